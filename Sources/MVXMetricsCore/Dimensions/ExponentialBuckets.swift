/// The buckets of one sign of an ``ExponentialHistogram``: the counts of
/// consecutive bucket indexes, the first being ``offset``, as OpenTelemetry's
/// `ExponentialHistogramDataPoint.Buckets` carries them.
public struct ExponentialBuckets: Sendable, Hashable {
    @usableFromInline var storedOffset = 0
    @usableFromInline var storedCounts: [UInt64] = []

    /// The index of the first count's bucket.
    public var offset: Int { storedOffset }
    /// The counts of buckets ``offset``, ``offset`` + 1, and so on.
    public var counts: [UInt64] { storedCounts }

    @usableFromInline init() {}

    /// The sum of every count.
    public var totalCount: UInt64 { counts.reduce(0, &+) }

    /// Counts one value in bucket `index` if that bucket is already held:
    /// the path of almost every value.
    @inlinable @inline(__always)
    mutating func incrementIfHeld(_ index: Int) -> Bool {
        let position = index &- storedOffset
        guard position >= 0, position < storedCounts.count else { return false }
        storedCounts[position] &+= 1
        return true
    }

    /// How many scales down the buckets must go so that they and `index`
    /// span at most `maximum` buckets.
    func downscaleNeeded(toHold low: Int, _ high: Int, maximum: Int) -> Int {
        var low = low
        var high = high
        if !storedCounts.isEmpty {
            low = Swift.min(low, storedOffset)
            high = Swift.max(high, storedOffset + storedCounts.count - 1)
        }
        var change = 0
        while (high >> change) - (low >> change) + 1 > maximum { change += 1 }
        return change
    }

    /// Adds `count` to bucket `index`, growing the held range; the caller has
    /// made sure it fits.
    mutating func add(_ count: UInt64, at index: Int) {
        if storedCounts.isEmpty {
            storedOffset = index
            storedCounts = [count]
        } else if index < storedOffset {
            storedCounts.insert(contentsOf: repeatElement(0, count: storedOffset - index), at: 0)
            storedOffset = index
            storedCounts[0] &+= count
        } else if index >= storedOffset + storedCounts.count {
            storedCounts.append(contentsOf: repeatElement(0, count: index - storedOffset - storedCounts.count + 1))
            storedCounts[storedCounts.count - 1] &+= count
        } else {
            storedCounts[index - storedOffset] &+= count
        }
    }

    /// Merges each bucket into bucket `index >> change`: the same values at a
    /// scale `change` lower, no count lost.
    mutating func downscale(by change: Int) {
        guard change > 0, !storedCounts.isEmpty else { return }
        let newOffset = storedOffset >> change
        var merged = [UInt64](repeating: 0, count: ((storedOffset + storedCounts.count - 1) >> change) - newOffset + 1)
        for (position, count) in storedCounts.enumerated() {
            merged[((storedOffset + position) >> change) - newOffset] &+= count
        }
        storedOffset = newOffset
        storedCounts = merged
    }
}
