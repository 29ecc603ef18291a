extension QueuedMetricsRecorder {
    /// What `record` does when the producing thread's queue for the event's
    /// type is full.
    ///
    /// | policy | `record` returns | the event | counted in |
    /// | --- | --- | --- | --- |
    /// | ``dropNew`` (default) | ``RecordResult/dropped`` at once | discarded | `dropped` |
    /// | ``dropOldest`` | ``RecordResult/accepted`` at once | queued; the oldest pending event of that queue is discarded | `dropped` |
    /// | ``block`` | ``RecordResult/accepted`` once there is room | queued: nothing is lost | — |
    ///
    /// Whatever the policy, ``QueuedMetricsRecorder/recordOrThrow(_:)`` throws
    /// ``MetricsError/Code/queueFull`` instead of applying it. Before the
    /// recorder starts nothing drains the queue, so ``block`` drops like
    /// ``dropNew`` there rather than wait for ever.
    public enum OverflowPolicy: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Discard the new event.
        case dropNew
        /// Discard the oldest pending event to make room for the new one.
        case dropOldest
        /// Wait until the processing thread makes room: the lossless mode.
        case block

        public var description: String { rawValue }
    }
}
