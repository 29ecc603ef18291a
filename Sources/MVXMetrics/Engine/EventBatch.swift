/// Queued events of one type, ready to be applied metric by metric: the
/// positions `positions` of a lane's ring, and two bytes of scratch per event,
/// one for the update a metric's handler reports and one for the union of all
/// metrics' updates, each combined eight at a time as one word.
///
/// Each metric is called once for each contiguous run of the batch (at most
/// two, where the ring wraps), so the processing thread's cost per event and
/// metric is the metric's own loop.
// @unsafe: raw pointers into a lane's ring, valid only during one processing pass.
@unsafe
struct EventBatch {
    let slots: UnsafeMutableRawPointer
    let mask: Int
    let stride: Int
    let positions: Range<Int>
    /// One update per event of the batch, `positions.count` of them, for the
    /// handler being called.
    let updates: UnsafeMutablePointer<MetricUpdate>
    /// The union of every handler's updates, per event.
    let combined: UnsafeMutablePointer<MetricUpdate>

    /// Bit 0 of each of a word's eight updates.
    static let lowBits: UInt64 = 0x0101_0101_0101_0101

    /// The number of bytes of `word` that are 1, when each byte is 0 or 1: the
    /// multiplication sums them into the top byte. (`nonzeroBitCount` is a
    /// dozen instructions on an x86-64 without `popcnt`, Swift's default.)
    @inline(__always)
    static func countOfLowBits(_ word: UInt64) -> Int {
        unsafe Int(truncatingIfNeeded: (word &* lowBits) &>> 56)
    }

    /// The scratch's bytes for `count` events: a whole number of words.
    static func paddedCount(_ count: Int) -> Int { (count &+ 7) & ~7 }

    /// Applies the batch to `handler`'s metric, run by run; adds what the
    /// handler did to `combined` and returns how many values it rejected.
    @inline(__always)
    func apply(_ handler: RawHandler, failed: (any Error) -> Void) -> Int {
        var position = unsafe positions.lowerBound
        var offset = 0
        while unsafe position < positions.upperBound {
            let index = unsafe position & mask
            let run = unsafe min(positions.upperBound &- position, mask &+ 1 &- index)
            unsafe handler.apply(handler.metric, slots + index &* stride, run, updates + offset, failed)
            position &+= run
            offset &+= run
        }
        // Eight updates at a time: the scratch is 8-aligned and zero past the
        // batch up to a multiple of 8 (see `MetricRegistry.processQuietly`).
        let updateWords = unsafe UnsafeMutableRawPointer(updates)
        let combinedWords = unsafe UnsafeMutableRawPointer(combined)
        var rejected = 0
        var byteOffset = 0
        while byteOffset < offset {
            let update = unsafe updateWords.load(fromByteOffset: byteOffset, as: UInt64.self)
            rejected &+= unsafe Self.countOfLowBits((update &>> 1) & Self.lowBits)
            let union = unsafe combinedWords.load(fromByteOffset: byteOffset, as: UInt64.self) | update
            unsafe combinedWords.storeBytes(of: union, toByteOffset: byteOffset, as: UInt64.self)
            unsafe updateWords.storeBytes(of: 0, toByteOffset: byteOffset, as: UInt64.self)
            byteOffset &+= 8
        }
        return rejected
    }
}
