import Benchmark
import BenchmarkWorkload
import Foundation

/// Settings shared by every benchmark, and the two ways of running a
/// contender: on the benchmark's thread, or split across two producer threads.
enum Harness {
    /// `MVX_BENCHMARK_SMOKE=1` makes every benchmark run a couple of short
    /// iterations: the CI checks that the harness works (its preconditions
    /// hold, every benchmark runs), not how fast anything is.
    static let isSmoke = ProcessInfo.processInfo.environment["MVX_BENCHMARK_SMOKE"] == "1"

    /// The metrics every benchmark reports: time, throughput (the JMH export
    /// needs it), and heap allocations from the malloc interposer.
    static let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]

    /// A configuration whose every measurement covers `scalingFactor` operations.
    static func configuration(
        _ scalingFactor: BenchmarkScalingFactor, maxDuration: Duration = .seconds(2), maxIterations: Int = 1_000_000
    ) -> Benchmark.Configuration {
        Benchmark.Configuration(
            metrics: metrics,
            timeUnits: .nanoseconds,
            warmupIterations: isSmoke ? 1 : 3,
            scalingFactor: scalingFactor,
            maxDuration: isSmoke ? .milliseconds(50) : maxDuration,
            maxIterations: isSmoke ? 2 : maxIterations
        )
    }

    /// Runs `operation` for every operation of one measurement on the
    /// benchmark's thread; `next` numbers the operations across measurements.
    @inline(__always)
    static func runOneThread(
        _ benchmark: Benchmark, next: inout Int, _ operation: (DocumentSaveAttempt) -> Void,
        finish: () -> Void = {}
    ) {
        let first = next
        let count = benchmark.configuration.scalingFactor.rawValue
        next += count
        benchmark.startMeasurement()
        for index in first..<(first + count) { operation(Workload.event(index)) }
        finish()
        benchmark.stopMeasurement()
    }

    /// Runs one measurement's operations on two threads, half each: `helper`
    /// runs its job (the same operation) on the first half, the benchmark's
    /// thread the second. The time is the wall clock for all of them, so per
    /// operation it is the aggregate cost.
    @inline(__always)
    static func runTwoThreads(
        _ benchmark: Benchmark, helper: HelperThread, next: inout Int,
        _ operation: (DocumentSaveAttempt) -> Void, finish: () -> Void = {}
    ) {
        let first = next
        let count = benchmark.configuration.scalingFactor.rawValue
        let half = count / 2
        next += count
        benchmark.startMeasurement()
        helper.start(first..<(first + half))
        for index in (first + half)..<(first + count) { operation(Workload.event(index)) }
        helper.wait()
        finish()
        benchmark.stopMeasurement()
    }
}

/// What a benchmark keeps between its setup and teardown hooks: the
/// contender, the number of the next operation, and the second producer.
final class BenchmarkState<Value>: @unchecked Sendable {
    // @unchecked: the benchmark runner calls setup, the measurements and
    // teardown one after another, never at once.
    private var value: Value?
    /// The number of the next operation, counted across measurements, warm-up included.
    var next = 0
    private var helperThread: HelperThread?

    init() {}

    var current: Value {
        guard let value else { preconditionFailure("benchmark state used outside setup and teardown") }
        return value
    }

    var helper: HelperThread {
        guard let helperThread else { preconditionFailure("this benchmark has no helper thread") }
        return helperThread
    }

    /// Called by a setup hook. `helperJob`, if given, is what a second
    /// producer thread does with a range of operations.
    func set(_ value: Value, helperJob: ((Value, Range<Int>) -> Void)? = nil) {
        self.value = value
        next = 0
        helperThread = helperJob.map { job in HelperThread { [unowned self] range in job(self.current, range) } }
    }

    /// Replaces the contender between measurements.
    func replace(_ value: Value) {
        self.value = value
    }

    /// Called by a teardown hook: stops the helper and releases the contender.
    func clear() {
        helperThread?.stop()
        helperThread = nil
        value = nil
    }
}
