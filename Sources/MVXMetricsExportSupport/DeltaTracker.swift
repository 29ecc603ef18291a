import MVXMetrics

/// Remembers what an exporter last sent for each series, so it can send what
/// changed since: counter deltas, gauge changes, new observations.
///
/// Exporters see snapshots, not the observations behind a distribution. New
/// observations are reconstructed from bucket deltas: each is placed at its
/// bucket's upper bound (clamped to the observed maximum), so a backend with
/// the same buckets counts it in the same bucket; observations above the last
/// finite bound are placed at the maximum. Counts are exact; values are exact
/// to the bucket.
package struct DeltaTracker {
    private var counters: [SeriesKey: UInt64] = [:]
    private var sums: [SeriesKey: Double] = [:]
    private var gauges: [SeriesKey: Double] = [:]
    private var distributions: [SeriesKey: [UInt64]] = [:]

    package init() {}

    /// The growth of a counter since the last call; a counter that went down
    /// was reset (a new recorder), and counts from zero.
    package mutating func counterDelta(_ key: SeriesKey, _ value: UInt64) -> UInt64 {
        let last = counters.updateValue(value, forKey: key) ?? 0
        return value >= last ? value - last : value
    }

    /// The growth of a floating total since the last call.
    package mutating func sumDelta(_ key: SeriesKey, _ value: Double) -> Double {
        let last = sums.updateValue(value, forKey: key) ?? 0
        return value >= last ? value - last : value
    }

    /// Whether a gauge differs from the value last seen (always true the first time).
    package mutating func gaugeChanged(_ key: SeriesKey, _ value: Double) -> Bool {
        let last = gauges.updateValue(value, forKey: key)
        return last != value
    }

    /// The observations added to a distribution since the last call, as
    /// (value, how many) pairs in increasing order of value.
    package mutating func newObservations(
        _ key: SeriesKey, _ distribution: DistributionSnapshot
    ) -> [(
        value: Double, count: UInt64
    )] {
        // Per-bucket counts, not cumulative, with the +Inf bucket last.
        var current: [UInt64] = []
        current.reserveCapacity(distribution.buckets.count + 1)
        var below: UInt64 = 0
        for bucket in distribution.buckets {
            current.append(bucket.cumulativeCount &- below)
            below = bucket.cumulativeCount
        }
        current.append(distribution.count &- below)
        let last = distributions.updateValue(current, forKey: key)
        let reset = last.map { $0.count != current.count || zip($0, current).contains { $0 > $1 } } ?? true
        let maximum = distribution.max ?? 0
        var result: [(value: Double, count: UInt64)] = []
        for (index, count) in current.enumerated() {
            let added = reset ? count : count - last![index]
            guard added > 0 else { continue }
            let bound = index < distribution.buckets.count ? distribution.buckets[index].upperBound : maximum
            result.append((Swift.min(bound, maximum), added))
        }
        return result
    }
}
