extension QueuedMetricsRecorder {
    /// What `record` does when the producing thread's queue for the event's
    /// type is full.
    ///
    /// | policy | `record` returns | the event | counted in |
    /// | --- | --- | --- | --- |
    /// | ``dropNew`` (default) | ``RecordResult/dropped`` at once | discarded | `dropped` |
    /// | ``dropOldest`` | ``RecordResult/recorded`` at once | queued; the oldest pending event of that queue is discarded | `dropped` |
    /// | ``block`` | ``RecordResult/recorded`` once there is room | queued: nothing is lost | — |
    ///
    /// Whatever the policy, ``QueuedMetricsRecorder/recordOrThrow(_:)`` throws
    /// ``MetricsError/Code/queueFull`` instead of applying it. Before the
    /// recorder starts nothing drains the queue, so ``block`` drops like
    /// ``dropNew`` there rather than wait for ever. Neither does ``block`` wait
    /// on a runtime's processing thread (a hook that records): the thread that
    /// would make room is the one that would wait, or another runtime's, which
    /// may be waiting on this one; a full queue drops the event there, and the
    /// drop is counted. Whatever the policy, a processing thread never waits
    /// for a queue's lock either: a metric's handler that records an event of
    /// its own type into its own recorder writes into the queue being
    /// processed, which can neither grow nor give up its oldest event until
    /// that pass ends. A full queue whose lock is taken drops the new event
    /// there (``dropOldest`` included), and the drop is counted.
    ///
    /// A struct with static values rather than an enum, so a later version
    /// can add a policy without breaking a `switch` in your code.
    public struct OverflowPolicy: Sendable, Hashable, CustomStringConvertible {
        enum Kind: UInt8, Sendable, Hashable {
            case dropNew, dropOldest, block
        }

        let kind: Kind

        /// Discard the new event.
        public static var dropNew: OverflowPolicy { OverflowPolicy(kind: .dropNew) }
        /// Discard the oldest pending event to make room for the new one.
        public static var dropOldest: OverflowPolicy { OverflowPolicy(kind: .dropOldest) }
        /// Wait until the processing thread makes room: the lossless mode.
        public static var block: OverflowPolicy { OverflowPolicy(kind: .block) }

        /// `dropNew`, `dropOldest` or `block`.
        public var description: String {
            switch kind {
            case .dropNew: "dropNew"
            case .dropOldest: "dropOldest"
            case .block: "block"
            }
        }
    }
}
