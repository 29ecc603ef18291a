/// Estimates quantiles with a bounded relative error, in constant time per
/// observation and memory that depends on the range of values, not their number.
///
/// Magnitudes go into log-linear bins read straight from a `Double`'s bits: the
/// 11 exponent bits and the top 5 mantissa bits. Each power of two is split
/// into 32 bins of equal width, so a bin's width is at most 1/32 of its lower
/// bound, and its midpoint is within 1/64 of every value in it. Zero (and
/// subnormal magnitudes) are counted apart; negative values use a second set
/// of bins.
///
/// Bins are a dense array from the lowest to the highest bin seen: durations
/// between a microsecond and a minute use about 800 bins (6 KiB); the array can
/// never exceed 65,536 bins.
@usableFromInline
struct QuantileSketch: Sendable {
    @usableFromInline var positive = LogLinearBins()
    @usableFromInline var negative = LogLinearBins()
    @usableFromInline var zeroCount: UInt64 = 0

    @usableFromInline init() {}

    /// Adds a finite value.
    @inlinable @inline(__always)
    mutating func add(_ value: Double) {
        let magnitude = value.magnitude
        if magnitude < Double.leastNormalMagnitude {
            zeroCount &+= 1
        } else if value > 0 {
            positive.add(magnitude)
        } else {
            negative.add(magnitude)
        }
    }

    /// The estimate of the observation of rank ⌈q·count⌉ (at least 1), clamped
    /// to the observed extremes.
    func quantile(_ q: Double, count: UInt64, min: Double, max: Double) -> Double {
        let rank = Self.rank(of: q, count: count)
        var seen: UInt64 = 0
        // Ascending order of value: negatives from the largest magnitude down,
        // then zero, then positives from the smallest magnitude up.
        if let value = negative.valueAtRank(rank, seen: &seen, descending: true) {
            return Swift.min(Swift.max(-value, min), max)
        }
        seen &+= zeroCount
        if seen >= rank { return Swift.min(Swift.max(0, min), max) }
        if let value = positive.valueAtRank(rank, seen: &seen, descending: false) {
            return Swift.min(Swift.max(value, min), max)
        }
        return max
    }

    /// The nearest rank ⌈q·count⌉, between 1 and `count`, robust to the
    /// rounding of q·count (0.99 × 100 is 99.00000000000001 in binary).
    static func rank(of q: Double, count: UInt64) -> UInt64 {
        let exact = q * Double(count)
        let below = exact.rounded(.down)
        let rank = exact - below <= 1e-9 * Swift.max(1, exact) ? below : exact.rounded(.up)
        return Swift.min(Swift.max(UInt64(rank), 1), count)
    }
}

/// Counts of magnitudes in log-linear bins; see ``QuantileSketch``.
@usableFromInline
struct LogLinearBins: Sendable {
    /// Mantissa bits per bin index: 32 bins per power of two.
    @usableFromInline static let mantissaBits: UInt64 = 5
    @usableFromInline var counts: [UInt64] = []
    @usableFromInline var offset = 0

    @usableFromInline init() {}

    /// The bin of a positive normal magnitude: its exponent and top mantissa
    /// bits. (Of any `Double`: the bits above them, its sign, add 65,536.)
    @inlinable @inline(__always)
    static func index(of magnitude: Double) -> Int {
        Int(truncatingIfNeeded: magnitude.bitPattern >> (52 - mantissaBits))
    }

    /// The bin of the smallest normal magnitude; lower bins are never used.
    @inlinable static var firstNormalBin: Int { index(of: .leastNormalMagnitude) }

    @inlinable @inline(__always)
    mutating func add(_ magnitude: Double) {
        let position = Self.index(of: magnitude) &- offset
        if position >= 0 && position < counts.count {
            counts[position] &+= 1
        } else {
            addOutsideRange(Self.index(of: magnitude))
        }
    }

    /// Grows the dense range to include `index`: rare, once per new extreme.
    @usableFromInline
    mutating func addOutsideRange(_ index: Int) {
        if counts.isEmpty {
            offset = index
            counts = [1]
            counts.reserveCapacity(64)
        } else if index < offset {
            counts.insert(contentsOf: repeatElement(0, count: offset - index), at: 0)
            offset = index
            counts[0] = 1
        } else {
            counts.append(contentsOf: repeatElement(0, count: index - offset - counts.count + 1))
            counts[counts.count - 1] = 1
        }
    }

    /// The smallest magnitude in bin `index`.
    static func lowerEdge(of index: Int) -> Double {
        Double(bitPattern: UInt64(index) << (52 - mantissaBits))
    }

    /// The midpoint of bin `index`.
    static func representative(of index: Int) -> Double {
        let lower = lowerEdge(of: index)
        return lower + (lowerEdge(of: index + 1) - lower) / 2
    }

    /// Walks the bins, adding their counts to `seen`, and returns the
    /// representative magnitude of the bin where `seen` reaches `rank`.
    func valueAtRank(_ rank: UInt64, seen: inout UInt64, descending: Bool) -> Double? {
        let positions =
            descending
            ? stride(from: counts.count - 1, through: 0, by: -1)
            : stride(from: 0, through: counts.count - 1, by: 1)
        for position in positions where counts[position] > 0 {
            seen &+= counts[position]
            if seen >= rank { return Self.representative(of: position + offset) }
        }
        return nil
    }
}
