import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Yields until `condition` holds or `seconds` pass; returns whether it held.
/// For waiting on another thread's progress where no flush applies (a producer
/// blocked on a full queue); it polls, it never sleeps a fixed time.
@discardableResult
func waitUntil(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        sched_yield()
    }
    return true
}

/// A gate a hook can wait at, to hold the processing thread still.
final class Gate: Sendable {
    private let opened = DispatchSemaphore(value: 0)
    private let arrivals = DispatchSemaphore(value: 0)

    /// Called by the held thread: announces it arrived, then waits for `open()`.
    func pass() {
        arrivals.signal()
        opened.wait()
        opened.signal()
    }

    /// Waits until a thread has arrived at the gate.
    func awaitArrival() { arrivals.wait() }

    /// Lets every waiting and future thread through.
    func open() { opened.signal() }
}
