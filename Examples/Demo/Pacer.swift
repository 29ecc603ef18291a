/// Spaces one thread's operations `rate` per second.
///
/// After a stall (a slow disk, a busy machine) it does not burst to catch up
/// on more than a second of missed slots: the demo's rate is a pace, not a quota.
struct Pacer {
    private let interval: Duration
    private var next = ContinuousClock.now

    /// A pacer for `rate` operations per second.
    init(rate: Double) {
        interval = .nanoseconds(Int64(1_000_000_000 / max(rate, 0.001)))
    }

    /// Waits for the next slot; returns false once a stop is requested.
    mutating func waitForSlot(_ stop: StopSignal) -> Bool {
        let now = ContinuousClock.now
        if next < now - .seconds(1) { next = now }
        if next > now {
            if stop.wait(for: now.duration(to: next)) { return false }
        } else if stop.isRaised {
            return false
        }
        next += interval
        return true
    }
}
