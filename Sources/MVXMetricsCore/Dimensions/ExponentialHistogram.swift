/// A base-2 exponential histogram: OpenTelemetry's `ExponentialHistogram`
/// and the shape of a Prometheus native histogram, whose buckets need no
/// bounds chosen in advance and whose state merges exactly with another's.
///
/// At scale `s`, bucket `i` holds the magnitudes in (2^(i·2^-s), 2^((i+1)·2^-s)]:
/// 2^s buckets per power of two. The histogram starts at scale 8 (256 per
/// power of two) and, when a value would make one sign's buckets span more
/// than ``maximumBucketCount`` (160 by default), lowers the scale just enough
/// to fit, merging pairs of neighbouring buckets each step; no count is ever
/// lost. Values whose magnitude is at most ``zeroThreshold`` (and subnormal
/// magnitudes) are counted in the zero bucket, negative values in buckets of
/// their own.
///
/// A quantile estimate is within ``relativeError`` of the observation of that
/// rank, relative to its magnitude: (b − 1)/(b + 1) for the base
/// b = 2^(2^-scale), 4.3 % at scale 3, 0.14 % at scale 8. Values in the zero
/// bucket read as 0. Durations from a microsecond to a minute (26 powers of
/// two) fit 160 buckets at scale 2 (8.6 %); from a millisecond to ten seconds
/// at scale 3.
///
/// ```swift
/// var latency = try ExponentialHistogram<Duration>()
/// latency.record(.milliseconds(12))
/// latency.quantile(0.5)   // 0.012 within 0.14 %
/// ```
public struct ExponentialHistogram<Value: MetricValue>: Sendable {
    /// The dimension's name.
    public let dimensionName: String
    /// The most buckets one sign may span before the scale is lowered.
    public let maximumBucketCount: Int
    /// The largest magnitude counted in the zero bucket.
    public let zeroThreshold: Double
    /// The quantiles a snapshot estimates.
    public let quantiles: [Double]

    @usableFromInline let cells = ExponentialIndexing.cells
    @usableFromInline var storedScale = ExponentialIndexing.maximumScale
    @usableFromInline var positiveBuckets = ExponentialBuckets()
    @usableFromInline var negativeBuckets = ExponentialBuckets()
    @usableFromInline var storedZeroCount: UInt64 = 0
    @usableFromInline var storedCount: UInt64 = 0
    @usableFromInline var storedSum: Double = 0
    @usableFromInline var storedMin = Double.infinity
    @usableFromInline var storedMax = -Double.infinity

    /// Creates an empty histogram.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` if
    ///   `maximumBucketCount` is not between 2 and 16,384, `zeroThreshold` is
    ///   negative or not finite, or a quantile is not between 0 and 1 or
    ///   appears twice.
    public init(
        dimension: String = "distribution", maximumBucketCount: Int = 160, zeroThreshold: Double = 0,
        quantiles: [Double] = Distribution<Value>.defaultQuantiles
    ) throws(MetricsError) {
        guard (2...16_384).contains(maximumBucketCount) else {
            throw MetricsError(
                .invalidConfiguration,
                "an exponential histogram's maximum bucket count must be between 2 and 16384, got \(maximumBucketCount)"
            )
        }
        guard zeroThreshold >= 0, zeroThreshold.isFinite else {
            throw MetricsError(
                .invalidConfiguration,
                "an exponential histogram's zero threshold must be finite and not negative, got \(zeroThreshold)")
        }
        try Distribution<Value>.check(quantiles: quantiles)
        dimensionName = dimension
        self.maximumBucketCount = maximumBucketCount
        self.zeroThreshold = zeroThreshold
        self.quantiles = quantiles
    }

    /// Records one observation, or rejects it if it is not finite.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func record(_ value: Value) -> MetricUpdate {
        let number = value.metricValue
        guard number.isFinite else { return .rejected }
        storedCount &+= 1
        storedSum += number
        if number < storedMin { storedMin = number }
        if number > storedMax { storedMax = number }
        let magnitude = number.magnitude
        if magnitude <= zeroThreshold || magnitude < .leastNormalMagnitude {
            storedZeroCount &+= 1
            return .changed
        }
        let index = ExponentialIndexing.index(of: magnitude, scale: storedScale, cells: cells)
        let held = number > 0 ? positiveBuckets.incrementIfHeld(index) : negativeBuckets.incrementIfHeld(index)
        if !held { add(1, at: index, positive: number > 0) }
        return .changed
    }

    /// The current scale: 2^scale buckets per power of two.
    public var scale: Int { storedScale }
    /// The buckets of positive values.
    public var positive: ExponentialBuckets { positiveBuckets }
    /// The buckets of negative values, indexed by magnitude.
    public var negative: ExponentialBuckets { negativeBuckets }
    /// The number of values in the zero bucket.
    public var zeroCount: UInt64 { storedZeroCount }
    /// The number of values recorded.
    public var count: UInt64 { storedCount }
    /// The sum of the values recorded.
    public var sum: Double { storedSum }
    /// The smallest value recorded, or `nil` if none was.
    public var min: Double? { count == 0 ? nil : storedMin }
    /// The largest value recorded, or `nil` if none was.
    public var max: Double? { count == 0 ? nil : storedMax }

    /// The base at the current scale, 2^(2^-scale): each bucket's upper bound
    /// over its lower bound.
    public var base: Double { ExponentialIndexing.power(of2: 1, scale: scale) }

    /// The bound on a quantile estimate's error relative to the observation's
    /// magnitude, at the current scale.
    public var relativeError: Double { (base - 1) / (base + 1) }

    /// Adds `count` values to bucket `index` of one sign, lowering the scale
    /// first if the buckets would span too many.
    @usableFromInline
    mutating func add(_ count: UInt64, at index: Int, positive isPositive: Bool) {
        let change =
            isPositive
            ? positiveBuckets.downscaleNeeded(toHold: index, index, maximum: maximumBucketCount)
            : negativeBuckets.downscaleNeeded(toHold: index, index, maximum: maximumBucketCount)
        downscale(by: change)
        if isPositive {
            positiveBuckets.add(count, at: index >> change)
        } else {
            negativeBuckets.add(count, at: index >> change)
        }
    }

    /// Lowers the scale by `change`, merging buckets.
    mutating func downscale(by change: Int) {
        guard change > 0 else { return }
        positiveBuckets.downscale(by: change)
        negativeBuckets.downscale(by: change)
        storedScale -= change
    }

    /// Adds every value of `other`, as if each had been recorded here: the
    /// result is the histogram of all the values, scale included.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` if the two have
    ///   different zero thresholds, whose zero buckets hold different ranges.
    public mutating func merge(_ other: ExponentialHistogram) throws(MetricsError) {
        guard other.zeroThreshold == zeroThreshold else {
            throw MetricsError(
                .invalidConfiguration,
                "cannot merge exponential histograms with zero thresholds \(zeroThreshold) and \(other.zeroThreshold)")
        }
        var other = other
        let common = Swift.min(scale, other.scale)
        downscale(by: scale - common)
        other.downscale(by: other.scale - common)
        let change = Swift.max(
            Self.downscaleNeeded(positiveBuckets, holding: other.positiveBuckets, maximum: maximumBucketCount),
            Self.downscaleNeeded(negativeBuckets, holding: other.negativeBuckets, maximum: maximumBucketCount))
        downscale(by: change)
        other.downscale(by: change)
        for (position, bucketCount) in other.positive.counts.enumerated() where bucketCount > 0 {
            positiveBuckets.add(bucketCount, at: other.positive.offset + position)
        }
        for (position, bucketCount) in other.negative.counts.enumerated() where bucketCount > 0 {
            negativeBuckets.add(bucketCount, at: other.negative.offset + position)
        }
        storedZeroCount &+= other.storedZeroCount
        storedCount &+= other.storedCount
        storedSum += other.storedSum
        storedMin = Swift.min(storedMin, other.storedMin)
        storedMax = Swift.max(storedMax, other.storedMax)
    }

    private static func downscaleNeeded(
        _ buckets: ExponentialBuckets, holding other: ExponentialBuckets, maximum: Int
    ) -> Int {
        guard !other.counts.isEmpty else { return 0 }
        return buckets.downscaleNeeded(
            toHold: other.offset, other.offset + other.counts.count - 1, maximum: maximum)
    }

    /// The estimate of the observation of rank ⌈q·count⌉ (at least 1): the
    /// point of its bucket nearest, relatively, to every value the bucket
    /// holds, clamped to the observed extremes (the first and last ranks are
    /// the extremes themselves); `nil` without observations.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0, let min, let max else { return nil }
        let rank = QuantileSketch.rank(of: Swift.min(Swift.max(q, 0), 1), count: count)
        // The extremes are known exactly.
        if rank == 1 { return min }
        if rank == count { return max }
        var seen: UInt64 = 0
        // Ascending order of value: negatives from the largest magnitude down,
        // then zero, then positives from the smallest magnitude up.
        for position in negative.counts.indices.reversed() {
            seen &+= negative.counts[position]
            if seen >= rank {
                return Swift.min(Swift.max(-representative(of: negative.offset + position), min), max)
            }
        }
        seen &+= zeroCount
        if seen >= rank { return Swift.min(Swift.max(0, min), max) }
        for position in positive.counts.indices {
            seen &+= positive.counts[position]
            if seen >= rank {
                return Swift.min(Swift.max(representative(of: positive.offset + position), min), max)
            }
        }
        return max
    }

    /// 2·upper/(1 + base): within (base − 1)/(base + 1) of every magnitude in
    /// (upper/base, upper].
    private func representative(of index: Int) -> Double {
        2 * ExponentialIndexing.upperBound(of: index, scale: scale) / (1 + base)
    }

    /// The histogram as a distribution: count, sum, extremes and quantile
    /// estimates, without classic buckets.
    public var dimensions: [MetricDimension] {
        let estimates =
            count == 0 ? [] : quantiles.map { DistributionSnapshot.Quantile(quantile: $0, value: quantile($0)!) }
        return [
            MetricDimension(
                dimensionName, unit: Value.unit,
                value: .distribution(
                    DistributionSnapshot(count: count, sum: sum, min: min, max: max, buckets: [], quantiles: estimates))
            )
        ]
    }
}

extension ExponentialHistogram: MetricAggregate {}
