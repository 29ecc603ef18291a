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

    /// The buckets' bounds, and the table that finds a value's bucket.
    @usableFromInline let locator: BucketLocator
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
        try Self.check(quantiles: quantiles)
        dimensionName = dimension
        self.buckets = buckets
        self.quantiles = quantiles
        sketches = !quantiles.isEmpty
        locator = BucketLocator(bounds: buckets.upperBounds)
        bucketCounts = Array(repeating: 0, count: buckets.upperBounds.count + 1)
    }

    /// Throws unless every quantile is between 0 and 1 and none appears twice.
    static func check(quantiles: [Double]) throws(MetricsError) {
        for quantile in quantiles where !(0...1).contains(quantile) {
            throw MetricsError(.invalidConfiguration, "quantile \(quantile) is not between 0 and 1")
        }
        guard Set(quantiles).count == quantiles.count else {
            throw MetricsError(.invalidConfiguration, "quantiles \(quantiles) contain a duplicate")
        }
    }

    /// Records one observation, or rejects it if it is not finite.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func record(_ value: Value) -> MetricUpdate {
        record(value, sketching: sketches)
    }

    /// `record(_:)` with the sketch's check made by the caller.
    @inlinable @inline(__always)
    mutating func record(_ value: Value, sketching: Bool) -> MetricUpdate {
        let number = value.metricValue
        guard number.isFinite else { return .rejected }
        bucketCounts[locator.index(of: number)] &+= 1
        storedCount &+= 1
        storedSum += number
        if number < storedMin { storedMin = number }
        if number > storedMax { storedMax = number }
        if sketching { sketch.add(number) }
        return .changed
    }

    /// Records `value` of every event of a batch, one update per event.
    ///
    /// `sketching` is a constant in each caller (see `DistributionMetric`), so
    /// the loop has no branch on it.
    @inlinable @inline(__always)
    mutating func record<Event>(
        _ events: Span<Event>, updates: inout MutableSpan<MetricUpdate>, sketching: Bool, value: (Event) -> Value
    ) {
        if events.isLongEnoughForCounterSpans, #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
            recordThroughSpans(events, updates: &updates, sketching: sketching, value: value)
        } else {
            for index in events.indices { updates[index] = record(value(events[index]), sketching: sketching) }
        }
    }

    /// The batch loop on spans of the counter arrays: indexing an array checks
    /// its uniqueness on every write, a span once, where it is taken. The
    /// scalars live in locals for the batch. A value outside the sketch's bins
    /// ends the spans' scope, so its array can grow, and the loop resumes.
    @available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *)
    @inlinable @inline(__always)
    mutating func recordThroughSpans<Event>(
        _ events: Span<Event>, updates: inout MutableSpan<MetricUpdate>, sketching: Bool, value: (Event) -> Value
    ) {
        let locator = self.locator
        var count = storedCount
        var sum = storedSum
        var minimum = storedMin
        var maximum = storedMax
        var zeros: UInt64 = 0
        // Moved out of `self` (and back below) so that each span borrows a
        // variable of its own.
        var bucketArray = bucketCounts
        bucketCounts = []
        var positiveBins = sketch.positive
        var negativeBins = sketch.negative
        sketch.positive = LogLinearBins()
        sketch.negative = LogLinearBins()
        var index = 0
        while index < events.count {
            var outside = Double.nan
            do {
                var buckets = bucketArray.mutableSpan
                let positiveOffset = positiveBins.offset
                let negativeOffset = negativeBins.offset
                var positive = positiveBins.counts.mutableSpan
                var negative = negativeBins.counts.mutableSpan
                while index < events.count {
                    let number = value(events[index]).metricValue
                    guard number.isFinite else {
                        updates[index] = .rejected
                        index &+= 1
                        continue
                    }
                    let bin = LogLinearBins.index(of: number)
                    buckets[locator.index(of: number, bin: bin)] &+= 1
                    count &+= 1
                    sum += number
                    minimum = Swift.min(minimum, number)
                    maximum = Swift.max(number, maximum)
                    updates[index] = .changed
                    index &+= 1
                    guard sketching else { continue }
                    // The common case first: a positive value in an existing bin.
                    let positivePosition = bin &- positiveOffset
                    if UInt(bitPattern: positivePosition) < UInt(bitPattern: positive.count) {
                        positive[positivePosition] &+= 1
                        continue
                    }
                    // A sign bit adds 65,536 to the bin; zero and subnormal
                    // magnitudes are below the first normal bin.
                    let magnitudeBin = bin & 0xFFFF
                    if magnitudeBin < LogLinearBins.firstNormalBin {
                        zeros &+= 1
                        continue
                    }
                    if bin > 0xFFFF {
                        let position = magnitudeBin &- negativeOffset
                        if UInt(bitPattern: position) < UInt(bitPattern: negative.count) {
                            negative[position] &+= 1
                            continue
                        }
                    }
                    outside = number
                    break
                }
            }
            if outside > 0 {
                positiveBins.add(outside)
            } else if outside < 0 {
                negativeBins.add(-outside)
            }
        }
        bucketCounts = bucketArray
        sketch.positive = positiveBins
        sketch.negative = negativeBins
        sketch.zeroCount &+= zeros
        storedCount = count
        storedSum = sum
        storedMin = minimum
        storedMax = maximum
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
        snapshotBuckets.reserveCapacity(locator.bounds.count)
        for (bound, count) in zip(locator.bounds, bucketCounts) {
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
    public var dimensions: [MetricDimension] {
        [MetricDimension(dimensionName, unit: Value.unit, value: .distribution(snapshot))]
    }
}
