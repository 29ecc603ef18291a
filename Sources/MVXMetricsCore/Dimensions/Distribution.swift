/// Summarises observations of a numeric payload field: histogram buckets,
/// count, sum, minimum, maximum and quantile estimates.
///
/// The unit comes from the value's type: a `Distribution<Duration>` observes
/// seconds. A non-finite value is not applied and the update reports
/// ``MetricUpdate/rejected``.
///
/// ```swift
/// var duration = try Distribution<Duration>(buckets: .durations)
/// duration.record(.milliseconds(12))
/// duration.quantile(0.99)
/// ```
///
/// ## Quantile estimates
///
/// Quantiles (by default p50, p90 and p99) use the nearest-rank definition:
/// the estimate for quantile *q* of *n* observations is within 1/64 (about
/// 1.6 %) of the observation of rank ⌈*q*·*n*⌉, relative to that
/// observation's magnitude, and never outside the observed minimum and
/// maximum. The bound holds for every value whose magnitude is a normal
/// `Double`; zero is exact. Each observation costs constant time; memory grows
/// with the range of magnitudes observed (about 6 KiB for durations between a
/// microsecond and a minute), never with their number. A distribution made
/// with no quantiles (`quantiles: []`) keeps no sketch at all: a histogram
/// exported to Prometheus or OTLP needs only its buckets, count and sum.
public struct Distribution<Value: MetricValue>: Sendable {
    /// The default quantiles: p50, p90 and p99.
    public static var defaultQuantiles: [Double] { [0.5, 0.9, 0.99] }

    /// The dimension's name.
    public let dimensionName: String
    /// The histogram's buckets.
    public let buckets: HistogramBuckets
    /// The quantiles the snapshot estimates.
    public let quantiles: [Double]

    @usableFromInline let bounds: [Double]
    /// Observations per bucket (not cumulative); the last element is the `+Inf` bucket.
    @usableFromInline var bucketCounts: [UInt64]
    @usableFromInline var storedCount: UInt64 = 0
    @usableFromInline var storedSum: Double = 0
    @usableFromInline var storedMin = Double.infinity
    @usableFromInline var storedMax = -Double.infinity
    @usableFromInline var sketch = QuantileSketch()
    /// Whether any quantile is asked for, so `sketch` is kept.
    @usableFromInline let sketches: Bool

    /// Creates an empty distribution.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` if a quantile is not
    ///   between 0 and 1 or appears twice.
    public init(
        dimension: String = "distribution",
        buckets: HistogramBuckets,
        quantiles: [Double] = Distribution.defaultQuantiles
    ) throws(MetricsError) {
        for quantile in quantiles where !(0...1).contains(quantile) {
            throw MetricsError(.invalidConfiguration, "quantile \(quantile) is not between 0 and 1")
        }
        guard Set(quantiles).count == quantiles.count else {
            throw MetricsError(.invalidConfiguration, "quantiles \(quantiles) contain a duplicate")
        }
        dimensionName = dimension
        self.buckets = buckets
        self.quantiles = quantiles
        sketches = !quantiles.isEmpty
        bounds = buckets.upperBounds
        bucketCounts = Array(repeating: 0, count: buckets.upperBounds.count + 1)
    }

    /// Records one observation, or rejects it if it is not finite.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func record(_ value: Value) -> MetricUpdate {
        record(value, sketching: sketches)
    }

    /// `record(_:)` with the sketch's check made by the caller, once for a
    /// whole batch (see `DistributionMetric`), so the loop has no branch on it.
    @inlinable @inline(__always)
    mutating func record(_ value: Value, sketching: Bool) -> MetricUpdate {
        let number = value.metricValue
        guard number.isFinite else { return .rejected }
        bucketCounts[bucketIndex(of: number)] &+= 1
        storedCount &+= 1
        storedSum += number
        if number < storedMin { storedMin = number }
        if number > storedMax { storedMax = number }
        if sketching { sketch.add(number) }
        return .changed
    }

    /// The index of the first bucket whose bound is at least `number`.
    ///
    /// It indexes the array itself: `Array.span` needs macOS 26 (and its
    /// peers), above the package's platforms.
    @inlinable @inline(__always)
    func bucketIndex(of number: Double) -> Int {
        if bounds.count <= 16 {
            for index in bounds.indices where number <= bounds[index] { return index }
            return bounds.count
        }
        var low = 0
        var high = bounds.count
        while low < high {
            let middle = (low + high) / 2
            if number <= bounds[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The number of observations.
    public var count: UInt64 { storedCount }
    /// The sum of the observations.
    public var sum: Double { storedSum }
    /// The smallest observation, or `nil` if there is none.
    public var min: Double? { storedCount == 0 ? nil : storedMin }
    /// The largest observation, or `nil` if there is none.
    public var max: Double? { storedCount == 0 ? nil : storedMax }

    /// The estimate for quantile `q` (between 0 and 1), or `nil` if there are no
    /// observations, `q` is out of range, or the distribution was made with no
    /// quantiles (it keeps no sketch then).
    public func quantile(_ q: Double) -> Double? {
        guard sketches, storedCount > 0, (0...1).contains(q) else { return nil }
        return sketch.quantile(q, count: storedCount, min: storedMin, max: storedMax)
    }

    /// The distribution's state as a snapshot value.
    public var snapshot: DistributionSnapshot {
        var cumulative: UInt64 = 0
        var snapshotBuckets: [DistributionSnapshot.Bucket] = []
        snapshotBuckets.reserveCapacity(bounds.count)
        for (bound, count) in zip(bounds, bucketCounts) {
            cumulative &+= count
            snapshotBuckets.append(.init(upperBound: bound, cumulativeCount: cumulative))
        }
        return DistributionSnapshot(
            count: storedCount, sum: storedSum, min: min, max: max,
            buckets: snapshotBuckets,
            quantiles: storedCount == 0
                ? [] : quantiles.map { .init(quantile: $0, value: quantile($0) ?? 0) }
        )
    }

    /// The distribution as a dimension.
    public var dimensions: [Dimension] {
        [Dimension(dimensionName, unit: Value.unit, value: .distribution(snapshot))]
    }
}
