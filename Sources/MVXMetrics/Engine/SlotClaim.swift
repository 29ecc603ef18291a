/// A queued recorder's claim on the next slot of the calling thread's lane,
/// or what `record` returns when there is none: the non-generic part of
/// recording, handed to the generic part that writes the event.
// @unsafe: a raw pointer to a ring slot, valid only until the claim is published.
@unsafe
@usableFromInline
struct SlotClaim {
    /// The lane whose next slot is claimed; nil when `slot` is nil.
    @usableFromInline let lane: Unmanaged<AnyLane>?
    /// Where the event goes, or nil if it is not queued.
    @usableFromInline let slot: UnsafeMutableRawPointer?
    /// The recorder's accept mode when the slot was claimed.
    @usableFromInline let mode: UInt8
    /// What `record` returns when `slot` is nil.
    @usableFromInline let result: RecordResult

    /// No slot: `record` returns `result`.
    @inlinable @inline(__always)
    init(result: RecordResult) {
        unsafe self.lane = nil
        unsafe self.slot = nil
        unsafe self.mode = 0
        unsafe self.result = result
    }

    /// The next slot of `lane`, claimed while the recorder was in `mode`.
    @inlinable @inline(__always)
    init(lane: Unmanaged<AnyLane>, slot: UnsafeMutableRawPointer, mode: UInt8) {
        unsafe self.lane = unsafe lane
        unsafe self.slot = unsafe slot
        unsafe self.mode = mode
        unsafe self.result = .recorded
    }
}
