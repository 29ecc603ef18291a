import Dispatch
import Foundation
import Synchronization

/// Runs each body on its own thread and returns when all have finished: a join,
/// not a sleep.
public func runOnThreads(_ bodies: [@Sendable () -> Void]) {
    let group = DispatchGroup()
    for body in bodies {
        group.enter()
        Thread {
            body()
            group.leave()
        }.start()
    }
    group.wait()
}

/// Runs each body on a thread of its own and resumes when all have returned,
/// without blocking the task's thread meanwhile.
public func onThreads(_ bodies: [@Sendable () -> Void]) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        Thread {
            runOnThreads(bodies)
            continuation.resume()
        }.start()
    }
}

/// Runs `body` on a thread of its own and returns its result, so a test that
/// blocks (joining producer threads, waiting for a flush) leaves the
/// cooperative threads to the tasks that need them, such as the HTTP server's
/// handlers in other tests.
public func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
        Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
    }
}

/// Runs `producers` on threads of their own while `observer` runs on another,
/// called again and again until every producer has returned (and once more
/// after that, so it always sees the end).
public func runProducers(_ producers: [@Sendable () -> Void], observing observer: @escaping @Sendable () -> Void) {
    let finished = Atomic<Int>(0)
    let count = producers.count
    runOnThreads(
        producers.map { producer in
            {
                producer()
                finished.add(1, ordering: .releasing)
            }
        } + [
            {
                while finished.load(ordering: .acquiring) < count { observer() }
                observer()
            }
        ])
}
