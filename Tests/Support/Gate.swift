import Dispatch

/// A gate a hook can wait at, to hold the processing thread still.
public final class Gate: Sendable {
    private let opened = DispatchSemaphore(value: 0)
    private let arrivals = DispatchSemaphore(value: 0)

    /// Creates a closed gate.
    public init() {}

    /// Called by the held thread: announces it arrived, then waits for `open()`.
    public func pass() {
        arrivals.signal()
        opened.wait()
        opened.signal()
    }

    /// Waits until a thread has arrived at the gate.
    public func awaitArrival() { arrivals.wait() }

    /// Lets every waiting and future thread through.
    public func open() { opened.signal() }
}
