/// Queued events of one type, ready to be applied metric by metric: the
/// positions `positions` of a lane's ring, and two bytes of scratch per event,
/// one for the update a metric's handler reports and one for the union of all
/// metrics' updates.
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
        var rejected = 0
        for index in 0..<offset {
            let update = unsafe updates[index].rawValue
            rejected &+= Int(truncatingIfNeeded: (update &>> 1) & 1)
            unsafe combined[index] = MetricUpdate(rawValue: combined[index].rawValue | update)
            unsafe updates[index] = .unchanged
        }
        return rejected
    }
}
