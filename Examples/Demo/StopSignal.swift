import MVXMetricsLocking

/// The demo's stop request: workload threads check it, and wait on it instead
/// of sleeping, so a stop ends their waits at once.
final class StopSignal: Sendable {
    private let state = ConditionLock(false)

    /// Whether a stop was requested.
    var isRaised: Bool { state.withLock { $0 } }

    /// Requests the stop and wakes every waiter.
    func raise() {
        state.withLockBroadcasting { $0 = true }
    }

    /// Waits up to `duration`; returns whether the stop was requested.
    func wait(for duration: Duration) -> Bool {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        return state.wait(timeoutNanoseconds: nanoseconds) { $0 ? true : nil } ?? false
    }
}
