import Foundation
import MVXMetricsTestSupport
import Synchronization

/// Runs each body on a thread of its own and resumes when all have returned,
/// without blocking the task's thread meanwhile.
func onThreads(_ bodies: [@Sendable () -> Void]) async {
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
func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
        Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
    }
}

/// Runs `producers` on threads of their own while `observer` runs on another,
/// called again and again until every producer has returned (and once more
/// after that, so it always sees the end).
func runProducers(_ producers: [@Sendable () -> Void], observing observer: @escaping @Sendable () -> Void) {
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

/// The resident set size of this process, in bytes, from `/proc/self/statm`.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// A value several threads update and read, under a pthread-based lock: the
/// thread sanitizer sees its ordering (it does not see the futex under
/// `Synchronization.Mutex` on Linux, and reports false races there).
final class Collected<Value>: @unchecked Sendable {
    // @unchecked: `storage` is only touched with `lock` held.
    private let lock = NSLock()
    private var storage: Value

    init(_ value: Value) { storage = value }

    func update(_ body: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&storage)
    }

    func read<Result>(_ body: (Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(storage)
    }

    var value: Value { read { $0 } }
}
