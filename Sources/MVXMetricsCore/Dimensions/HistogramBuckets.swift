/// The upper bounds of a histogram's buckets: finite, strictly increasing.
///
/// Each bucket counts observations less than or equal to its bound (Prometheus
/// `le`); a last `+Inf` bucket is implicit. Use a preset or a factory, or give
/// your own bounds:
///
/// ```swift
/// let latency = HistogramBuckets.durations                      // 5 ms … 10 s
/// let sizes = try HistogramBuckets.exponential(start: 64, factor: 4, count: 10)
/// let custom = try HistogramBuckets([0.001, 0.01, 0.1, 1])
/// ```
public struct HistogramBuckets: Sendable, Hashable {
    /// The most buckets a histogram may have.
    public static let maximumCount = 1024

    /// The finite upper bounds, in increasing order.
    public let upperBounds: [Double]

    /// Creates buckets with the given upper bounds.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` if a bound is not
    ///   finite, the bounds are not strictly increasing, or there are more than
    ///   ``maximumCount``.
    public init(_ upperBounds: [Double]) throws(MetricsError) {
        guard upperBounds.count <= Self.maximumCount else {
            throw MetricsError(
                .invalidConfiguration,
                "a histogram may have at most \(Self.maximumCount) buckets, got \(upperBounds.count)")
        }
        for (index, bound) in upperBounds.enumerated() {
            guard bound.isFinite else {
                throw MetricsError(
                    .invalidConfiguration,
                    "histogram bucket bound \(bound) at index \(index) is not finite; the +Inf bucket is implicit"
                )
            }
            if index > 0, bound <= upperBounds[index - 1] {
                throw MetricsError(
                    .invalidConfiguration,
                    "histogram bucket bounds must be strictly increasing, but \(bound) at index \(index) follows \(upperBounds[index - 1])"
                )
            }
        }
        self.upperBounds = upperBounds
    }

    private init(unchecked upperBounds: [Double]) { self.upperBounds = upperBounds }

    /// Eleven buckets for durations in seconds, from 5 ms to 10 s: the
    /// Prometheus client libraries' defaults.
    public static let durations = HistogramBuckets(
        unchecked: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])

    /// Ten buckets for sizes in bytes, from 64 B to 16 MiB in powers of four.
    public static let sizes = HistogramBuckets(
        unchecked: (0..<10).map { 64 * pow4($0) })

    /// `count` buckets starting at `start`, each `factor` times the previous.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` unless `start` > 0,
    ///   `factor` > 1 and `count` is between 1 and ``maximumCount``.
    public static func exponential(
        start: Double, factor: Double, count: Int
    ) throws(MetricsError)
        -> HistogramBuckets
    {
        guard start > 0, start.isFinite, factor > 1, factor.isFinite, (1...maximumCount).contains(count) else {
            throw MetricsError(
                .invalidConfiguration,
                "exponential buckets need start > 0, factor > 1 and 1...\(maximumCount) buckets; got start \(start), factor \(factor), count \(count)"
            )
        }
        var bounds: [Double] = []
        var bound = start
        for _ in 0..<count {
            bounds.append(bound)
            bound *= factor
        }
        return try HistogramBuckets(bounds)
    }

    /// `count` buckets starting at `start`, each `width` above the previous.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` unless `width` > 0
    ///   and `count` is between 1 and ``maximumCount``.
    public static func linear(start: Double, width: Double, count: Int) throws(MetricsError) -> HistogramBuckets {
        guard start.isFinite, width > 0, width.isFinite, (1...maximumCount).contains(count) else {
            throw MetricsError(
                .invalidConfiguration,
                "linear buckets need a finite start, width > 0 and 1...\(maximumCount) buckets; got start \(start), width \(width), count \(count)"
            )
        }
        return try HistogramBuckets((0..<count).map { start + Double($0) * width })
    }

    private static func pow4(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { result, _ in result * 4 }
    }
}
