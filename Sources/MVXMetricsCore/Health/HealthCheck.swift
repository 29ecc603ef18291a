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
    /// What the check compares, when it was declared with one
    /// (``ratio(_:metric:numerator:denominator:below:recorder:)``,
    /// ``value(_:metric:dimension:below:recorder:)`` or
    /// ``init(_:condition:)``): a description other tools can read, such as
    /// `MVXMetricsPrometheus`'s `PrometheusAlertingRules`, which turns it into
    /// an alerting rule. `nil` for a check made of a closure, which only runs
    /// in process.
    public let condition: Condition?
    private let evaluate: @Sendable ([RecorderSnapshot]) -> Result

    /// A check made of a closure over the snapshots. It has no ``condition``,
    /// so it runs in process only: prefer a declared condition when the same
    /// check should also be an alerting rule.
    public init(_ name: String, evaluate: @escaping @Sendable ([RecorderSnapshot]) -> Result) {
        self.name = name
        self.condition = nil
        self.evaluate = evaluate
    }

    /// A check of a declared condition, run in process and readable by other
    /// tools through ``condition``.
    public init(_ name: String, condition: Condition) {
        self.name = name
        self.condition = condition
        self.evaluate = { condition.evaluate($0) }
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
        HealthCheck(
            name,
            condition: .ratio(
                metric: metric, numerator: numerator, denominator: denominator, below: threshold, recorder: recorder))
    }

    /// Passes while the dimension `dimension` of `metric` (summed over its
    /// label sets and recorders) stays below `threshold`.
    public static func value(
        _ name: String, metric: String, dimension: String, below threshold: Double, recorder: String? = nil
    ) -> HealthCheck {
        HealthCheck(name, condition: .value(metric: metric, dimension: dimension, below: threshold, recorder: recorder))
    }
}

extension HealthCheck {
    /// What a declared check compares: one metric's dimensions, summed over
    /// their label sets and over every recorder (or the one it names),
    /// against a threshold they must stay below.
    ///
    /// A distribution counts as the number of its observations. The same
    /// description runs in process (``HealthCheck/run(_:)``) and renders as a
    /// Prometheus alerting rule (`PrometheusAlertingRules`), so the two
    /// cannot drift apart.
    public enum Condition: Sendable, Hashable {
        /// Healthy while the sum of `numerator` divided by `denominator` is
        /// below `threshold`; healthy too while `denominator` is 0.
        case ratio(metric: String, numerator: [String], denominator: String, below: Double, recorder: String?)
        /// Healthy while `dimension` is below `threshold`.
        case value(metric: String, dimension: String, below: Double, recorder: String?)

        /// The metric the condition reads.
        public var metric: String {
            switch self {
            case .ratio(let metric, _, _, _, _), .value(let metric, _, _, _): metric
            }
        }

        /// The recorder the condition reads, or `nil` for every recorder.
        public var recorder: String? {
            switch self {
            case .ratio(_, _, _, _, let recorder), .value(_, _, _, let recorder): recorder
            }
        }

        /// The threshold the value must stay below.
        public var threshold: Double {
            switch self {
            case .ratio(_, _, _, let threshold, _), .value(_, _, let threshold, _): threshold
            }
        }

        /// Every dimension the condition reads, numerator first.
        public var dimensions: [String] {
            switch self {
            case .ratio(_, let numerator, let denominator, _, _): numerator + [denominator]
            case .value(_, let dimension, _, _): [dimension]
            }
        }

        func evaluate(_ snapshots: [RecorderSnapshot]) -> Result {
            let metric = self.metric
            let metrics = snapshots.filter { recorder == nil || $0.entityID == recorder }.compactMap { $0[metric] }
            guard !metrics.isEmpty else {
                return Result(passed: false, detail: "no recorder has a metric named \(metric)")
            }
            var sums = Array(repeating: 0.0, count: dimensions.count)
            for snapshot in metrics {
                for (index, dimension) in dimensions.enumerated() {
                    guard let value = HealthCheck.sum(snapshot, dimension) else {
                        return Result(passed: false, detail: "\(metric) has no dimension \(dimension)")
                    }
                    sums[index] += value
                }
            }
            switch self {
            case .ratio(_, let numerator, let denominator, let threshold, _):
                let top = sums.dropLast().reduce(0, +)
                let bottom = sums[sums.count - 1]
                guard bottom > 0 else {
                    return Result(passed: true, value: 0, detail: "no \(denominator) yet")
                }
                let ratio = top / bottom
                return Result(
                    passed: ratio < threshold, value: ratio,
                    detail: "\(numerator.joined(separator: " + ")) / \(denominator) = \(ratio), threshold \(threshold)")
            case .value(_, let dimension, let threshold, _):
                let total = sums[0]
                return Result(
                    passed: total < threshold, value: total,
                    detail: "\(metric) \(dimension) = \(total), threshold \(threshold)")
            }
        }
    }

    /// The sum of every series of `dimension` (any labels), or nil if there is none.
    fileprivate static func sum(_ snapshot: MetricSnapshot, _ dimension: String) -> Double? {
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
