/// Finds the histogram bucket of a value in about one comparison, whatever the
/// number of buckets.
///
/// A positive `Double`'s bits, read as an integer, grow with its value, so
/// their top 17 bits (the bin of ``LogLinearBins``, 32 per power of two) order
/// values coarsely. The table holds, for each bin between the smallest and the
/// largest positive bound, the first bucket whose bound is at least the bin's
/// lower edge: a lower bound of the answer, which a short forward scan (no
/// step at all unless a bound lies inside the value's bin) makes exact. Zero,
/// negative values, and bounds too far apart for a table of
/// ``maximumTableSize`` bins use a search of the bounds instead.
@usableFromInline
struct BucketLocator: Sendable {
    /// The largest table kept: 8 KiB, enough for bounds spanning 2^128.
    static let maximumTableSize = 4096

    @usableFromInline let bounds: [Double]
    /// The first bucket for each bin from `firstBin` on; empty if there is no table.
    @usableFromInline let table: [UInt16]
    @usableFromInline let firstBin: Int

    init(bounds: [Double]) {
        self.bounds = bounds
        guard let first = bounds.firstIndex(where: { $0 > 0 }), let last = bounds.last,
            bounds.count <= Int(UInt16.max)
        else {
            (table, firstBin) = ([], 0)
            return
        }
        let low = LogLinearBins.index(of: bounds[first])
        let high = LogLinearBins.index(of: last)
        guard high - low < Self.maximumTableSize else {
            (table, firstBin) = ([], 0)
            return
        }
        var table: [UInt16] = []
        table.reserveCapacity(high - low + 1)
        // Over all bounds, so that a zero bound is the answer for zero's bin.
        var bucket = 0
        for bin in low...high {
            let lowerEdge = LogLinearBins.lowerEdge(of: bin)
            while bounds[bucket] < lowerEdge { bucket += 1 }
            table.append(UInt16(bucket))
        }
        (self.table, firstBin) = (table, low)
    }

    /// The index of the first bucket whose bound is at least `number` (a
    /// finite value); `bounds.count` for the `+Inf` bucket.
    ///
    /// A negative value's bits (its sign bit set) and zero's fall outside the
    /// table, as do positive values beyond its ends: one unsigned comparison
    /// sends them all to ``indexOutsideTable(of:position:)``.
    @inlinable @inline(__always)
    func index(of number: Double) -> Int {
        index(of: number, bin: LogLinearBins.index(of: number))
    }

    /// `index(of:)` with `number`'s bin (``LogLinearBins/index(of:)``) already
    /// computed, as the sketch needs it too.
    @inlinable @inline(__always)
    func index(of number: Double, bin: Int) -> Int {
        let position = bin &- firstBin
        guard UInt(bitPattern: position) < UInt(bitPattern: table.count) else {
            return indexOutsideTable(of: number, position: position)
        }
        var index = Int(table[position])
        while index < bounds.count, number > bounds[index] { index &+= 1 }
        return index
    }

    /// `index(of:)` for a value whose bin is outside the table: a positive
    /// value below it goes to the first positive bound, above it to `+Inf`.
    @usableFromInline
    func indexOutsideTable(of number: Double, position: Int) -> Int {
        guard number > 0, let first = table.first else { return search(number) }
        return position < 0 ? Int(first) : bounds.count
    }

    /// The first bucket whose bound is at least `number`, by search: linear
    /// for a few bounds, binary above.
    @inlinable
    func search(_ number: Double) -> Int {
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
}
