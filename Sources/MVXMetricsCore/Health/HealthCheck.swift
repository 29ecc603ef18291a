/// A check over metric dimensions: "the failure ratio of
/// `tcp_stream.read.attempts` is below 5 %". A program runs checks on its
/// snapshots with ``HealthReport``, and `MVXMetricsHTTP` serves them on
/// `/health`; they need neither that module nor Hummingbird.
///
/// ```swift
/// let readFailures = HealthCheck.ratio(
///     "tcp read failures below 5%", metric: "tcp_stream.read.attempts",
///     numerator: ["failure_total", "timeout_total"], below: 0.05)
/// ```
///
/// A check sees the snapshots of every recorder the endpoint serves and sums a
/// metric's dimensions across them, unless it names one recorder.
public struct HealthCheck: Sendable {
    /// What a check found.
    public struct Result: Sendable, Hashable, Codable {
        /// Whether the check passed.
        public var passed: Bool
        /// The value the check compared, if there was one.
        public var value: Double?
        /// A sentence saying what was found.
        public var detail: String

        /// Creates a result.
        public init(passed: Bool, value: Double? = nil, detail: String) {
            self.passed = passed
            self.value = value
            self.detail = detail
        }
    }

    /// The check's name, shown in the `/health` response.
    public let name: String
    private let evaluate: @Sendable ([RecorderSnapshot]) -> Result

    /// A check made of a closure over the snapshots.
    public init(_ name: String, evaluate: @escaping @Sendable ([RecorderSnapshot]) -> Result) {
        self.name = name
        self.evaluate = evaluate
    }

    /// Runs the check.
    public func run(_ snapshots: [RecorderSnapshot]) -> Result {
        evaluate(snapshots)
    }

    /// Passes while the sum of the `numerator` dimensions divided by the
    /// `denominator` dimension of `metric` stays below `threshold`.
    ///
    /// With no events yet (a denominator of 0) the check passes. A metric or
    /// dimension that does not exist fails the check, so a misspelt name is
    /// noticed rather than silently healthy.
    public static func ratio(
        _ name: String, metric: String, numerator: [String], denominator: String = "total", below threshold: Double,
        recorder: String? = nil
    ) -> HealthCheck {
        HealthCheck(name) { snapshots in
            let metrics = snapshots.filter { recorder == nil || $0.entityID == recorder }.compactMap { $0[metric] }
            guard !metrics.isEmpty else {
                return Result(passed: false, detail: "no recorder has a metric named \(metric)")
            }
            var top = 0.0
            var bottom = 0.0
            for snapshot in metrics {
                for dimension in numerator {
                    guard let value = Self.sum(snapshot, dimension) else {
                        return Result(passed: false, detail: "\(metric) has no dimension \(dimension)")
                    }
                    top += value
                }
                guard let value = Self.sum(snapshot, denominator) else {
                    return Result(passed: false, detail: "\(metric) has no dimension \(denominator)")
                }
                bottom += value
            }
            guard bottom > 0 else {
                return Result(passed: true, value: 0, detail: "no \(denominator) yet")
            }
            let ratio = top / bottom
            return Result(
                passed: ratio < threshold, value: ratio,
                detail: "\(numerator.joined(separator: " + ")) / \(denominator) = \(ratio), threshold \(threshold)")
        }
    }

    /// Passes while the dimension `dimension` of `metric` (summed over its
    /// label sets and recorders) stays below `threshold`.
    public static func value(
        _ name: String, metric: String, dimension: String, below threshold: Double, recorder: String? = nil
    ) -> HealthCheck {
        HealthCheck(name) { snapshots in
            let metrics = snapshots.filter { recorder == nil || $0.entityID == recorder }.compactMap { $0[metric] }
            guard !metrics.isEmpty else {
                return Result(passed: false, detail: "no recorder has a metric named \(metric)")
            }
            var total = 0.0
            for snapshot in metrics {
                guard let value = sum(snapshot, dimension) else {
                    return Result(passed: false, detail: "\(metric) has no dimension \(dimension)")
                }
                total += value
            }
            return Result(
                passed: total < threshold, value: total,
                detail: "\(metric) \(dimension) = \(total), threshold \(threshold)")
        }
    }

    /// The sum of every series of `dimension` (any labels), or nil if there is none.
    private static func sum(_ snapshot: MetricSnapshot, _ dimension: String) -> Double? {
        let series = snapshot.dimensions.filter { $0.name == dimension }
        guard !series.isEmpty else { return nil }
        return series.reduce(0) { total, dimension in
            switch dimension.value {
            case .distribution(let distribution): total + Double(distribution.count)
            default: total + (dimension.value.number ?? 0)
            }
        }
    }
}
