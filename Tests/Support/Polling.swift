import Foundation

/// Checks `condition` every 20 ms until it holds or `timeout` passes: for
/// waiting on a workload that runs on threads of its own. `timeout` is
/// scaled (``Swift/Duration/scaled``).
public func eventually(
    timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout.scaled
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Yields until `condition` holds or `timeout` passes (scaled); returns
/// whether it held. For waiting on another thread's progress where no flush
/// applies (a producer blocked on a full queue) from a thread that may block;
/// it polls, it never sleeps a fixed time.
@discardableResult
public func waitUntil(timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout.scaled
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        sched_yield()
    }
    return true
}
