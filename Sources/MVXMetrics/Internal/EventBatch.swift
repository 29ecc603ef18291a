/// Queued events of one type, ready to be applied metric by metric: the
/// positions `positions` of a lane's ring, and a byte per event in which every
/// metric's handler sets the bits of its ``MetricUpdate``.
///
/// The ready-made metrics apply a whole batch in one call, with their update
/// inlined in the loop, instead of being called once per event through a
/// closure: the processing thread's cost per event and metric drops to the
/// update itself.
// @unsafe: raw pointers into a lane's ring, valid only during one processing pass.
@unsafe
@usableFromInline
struct EventBatch {
    @usableFromInline let slots: UnsafeMutableRawPointer
    @usableFromInline let mask: Int
    @usableFromInline let stride: Int
    @usableFromInline let positions: Range<Int>
    /// One byte per event of the batch, `positions.count` of them.
    @usableFromInline let updates: UnsafeMutablePointer<UInt8>

    init(
        slots: UnsafeMutableRawPointer, mask: Int, stride: Int, positions: Range<Int>,
        updates: UnsafeMutablePointer<UInt8>
    ) {
        unsafe self.slots = unsafe slots
        unsafe self.mask = mask
        unsafe self.stride = stride
        unsafe self.positions = positions
        unsafe self.updates = unsafe updates
    }

    /// Applies `body` to every event in order, recording each update; returns
    /// how many updates rejected a value.
    @inlinable @inline(__always)
    func apply(_ body: (UnsafeRawPointer) -> MetricUpdate) -> Int {
        var rejected = 0
        var index = 0
        for position in unsafe positions {
            let update = unsafe body(UnsafeRawPointer(slots + (position & mask) &* stride)).rawValue
            unsafe updates[index] |= update
            rejected &+= Int(truncatingIfNeeded: (update &>> 1) & 1)
            index &+= 1
        }
        return rejected
    }
}
