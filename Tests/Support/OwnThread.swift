import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A trait that runs a test (its body and the tasks it starts) on a thread of
/// its own instead of Swift concurrency's cooperative threads.
///
/// Swift Testing starts every test at once, and there are only as many
/// cooperative threads as cores (two here); they are not added to when one
/// blocks. A test that computes or blocks for seconds on one holds it that
/// long, and the HTTP servers, exporters and sampling tasks of the tests
/// beside it stop meanwhile: in the sanitized run, trivial tests waited 40 s
/// behind the property runs, and tests with deadlines failed. Long CPU-bound
/// suites take this trait; the operating system then shares the cores fairly
/// between their threads and the cooperative ones.
public struct OwnThreadTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        // Each test case gets its own thread; a suite itself needs none.
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let executor = ThreadExecutor(name: test.name)
        defer { executor.stop() }
        try await withTaskExecutorPreference(executor) { try await function() }
    }
}

extension OwnThreadTrait {
    /// Whether the caller runs on a thread this trait made (`Thread.current`
    /// cannot tell: its name on Linux is the pool's even there).
    public static var isCurrentThreadATestsOwn: Bool { pthread_getspecific(ownThreadKey) != nil }
}

/// Marks the threads the trait makes.
private let ownThreadKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

extension Trait where Self == OwnThreadTrait {
    /// Runs the test on a thread of its own (see ``OwnThreadTrait``).
    public static var onAThreadOfItsOwn: Self { OwnThreadTrait() }
}

/// A task executor with one thread, which runs the jobs given to it in order.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `stopped` are only touched under `condition`'s lock.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if stopped, jobs.isEmpty {
            // The thread may have ended: a late job gets a thread of its own.
            condition.unlock()
            Thread { job.runSynchronously(on: self.asUnownedTaskExecutor()) }.start()
            return
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once the jobs given so far have run.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        pthread_setspecific(ownThreadKey, UnsafeRawPointer(bitPattern: 1))
        while true {
            condition.lock()
            while jobs.isEmpty, !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll()
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
