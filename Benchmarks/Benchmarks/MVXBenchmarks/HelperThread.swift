import CMVXBenchmarkShims
import Foundation
import Synchronization

/// A second producer thread for the two-producer benchmarks: it runs its job
/// on one range of operations at a time, and the job is given once, so handing
/// over a range allocates nothing inside a measurement.
///
/// A measurement hands over a range in two steps. `prepare(_:)`, before the
/// clock starts, wakes the thread and waits until it is running and spinning
/// on the start signal; `go()`, after the clock starts, releases it. Without
/// the first step, a thread that yielded its core or parked between
/// measurements would start its half late, and on a busy machine the
/// measurement would time the scheduler rather than the work. Between
/// measurements the thread yields, then parks, so it does not take a core
/// from the processing thread or from other work.
final class HelperThread: @unchecked Sendable {
    // @unchecked: `range` is written before `generation` is published with a
    // releasing store and read after it is loaded with an acquiring one; `job`
    // is written before the thread starts.
    private let job: (Range<Int>) -> Void
    private var range: Range<Int> = 0..<0
    private let generation = Atomic<Int>(0)
    private let ready = Atomic<Int>(0)
    private let released = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let condition = NSCondition()

    init(job: @escaping (Range<Int>) -> Void) {
        self.job = job
        let thread = Thread { [self] in run() }
        thread.name = "mvx-bench-helper"
        thread.start()
    }

    /// Hands `range` to the thread and returns once it is running, waiting for
    /// `go()`. Call it before the clock starts.
    func prepare(_ range: Range<Int>) {
        self.range = range
        let next = generation.add(1, ordering: .releasing).newValue
        condition.lock()
        condition.signal()
        condition.unlock()
        while ready.load(ordering: .acquiring) != next { sched_yield() }
    }

    /// Starts the prepared job.
    @inline(__always)
    func go() {
        released.store(generation.load(ordering: .relaxed), ordering: .releasing)
    }

    /// Returns when the job started last has finished.
    @inline(__always)
    func wait() {
        let target = generation.load(ordering: .relaxed)
        var spins = 0
        while completed.load(ordering: .acquiring) != target {
            spins += 1
            if spins < 4096 { mvx_bench_cpu_relax() } else { sched_yield() }
        }
    }

    /// Runs the job on `range` and waits for it (outside measurements).
    func run(_ range: Range<Int>) {
        prepare(range)
        go()
        wait()
    }

    /// Ends the thread once its current job is done.
    func stop() {
        stopping.store(true, ordering: .releasing)
        prepare(0..<0)
        go()
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
            ready.store(seen, ordering: .releasing)
            // Running, and the benchmark's thread is about to start the clock:
            // spin without yielding until it does.
            while released.load(ordering: .acquiring) != seen { mvx_bench_cpu_relax() }
            if stopping.load(ordering: .acquiring) { break }
            job(range)
            completed.store(seen, ordering: .releasing)
        }
        completed.store(seen, ordering: .releasing)
    }
}
