import BenchmarkWorkload
import Foundation
import Synchronization

/// A second producer thread for the two-producer benchmarks: it runs its job
/// on one range of operations at a time, handed over by `start(_:)`, and
/// `wait()` returns when it is done. The job is given once, so handing over a
/// range allocates nothing inside a measurement.
///
/// The thread spins briefly for the next job (the per-operation benchmarks hand
/// one over every few microseconds, and a wake-up would cost more than the
/// work), then parks on a condition, so a benchmark with long measurements or a
/// busy processing thread does not lose a core to it.
final class HelperThread: @unchecked Sendable {
    // @unchecked: `range` is written before `generation` is published with a
    // releasing store and read after it is loaded with an acquiring one; `job`
    // is written before the thread starts.
    private let job: (Range<Int>) -> Void
    private var range: Range<Int> = 0..<0
    private let generation = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let condition = NSCondition()

    init(job: @escaping (Range<Int>) -> Void) {
        self.job = job
        let thread = Thread { [self] in run() }
        thread.name = "mvx-bench-helper"
        thread.start()
    }

    /// Starts the job on `range`.
    func start(_ range: Range<Int>) {
        self.range = range
        generation.add(1, ordering: .releasing)
        condition.lock()
        condition.signal()
        condition.unlock()
    }

    /// Returns when the job handed over last has finished.
    func wait() {
        let target = generation.load(ordering: .relaxed)
        while completed.load(ordering: .acquiring) != target { sched_yield() }
    }

    /// Runs the job on `range` and waits for it.
    func run(_ range: Range<Int>) {
        start(range)
        wait()
    }

    /// Ends the thread once its current job is done.
    func stop() {
        stopping.store(true, ordering: .releasing)
        start(0..<0)
    }

    private func run() {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < 20_000 {
                    sched_yield()
                    continue
                }
                condition.lock()
                while generation.load(ordering: .acquiring) == seen { condition.wait() }
                condition.unlock()
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { break }
            job(range)
            completed.store(seen, ordering: .releasing)
        }
        completed.store(seen, ordering: .releasing)
    }
}
