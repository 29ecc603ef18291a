import Benchmark
import BenchmarkWorkload
import Synchronization

/// What the work costs at the least: three relaxed atomic adds, and appending
/// the 24-byte event to an array under a `Mutex`.
enum FloorBenchmarks {
    static func register() {
        registerAtomics()
        registerMutexAppend()
    }

    /// A counter, a bytes sum and a duration sum as relaxed atomics.
    final class AtomicCounters: Sendable {
        let attempts = Atomic<Int>(0)
        let bytes = Atomic<Int>(0)
        let nanoseconds = Atomic<Int>(0)

        @inline(__always)
        func record(_ event: DocumentSaveAttempt) {
            attempts.wrappingAdd(1, ordering: .relaxed)
            bytes.wrappingAdd(event.contentSize.bytes, ordering: .relaxed)
            nanoseconds.wrappingAdd(event.duration.nanoseconds, ordering: .relaxed)
        }
    }

    static func registerAtomics() {
        for threads in [1, 2] {
            let state = BenchmarkState<AtomicCounters>()
            Benchmark(
                "floor: three relaxed atomic adds, \(threads) thread\(threads == 1 ? "" : "s")",
                configuration: Harness.configuration(.kilo)
            ) { benchmark in
                let counters = state.current
                if threads == 1 {
                    Harness.runOneThread(benchmark, next: &state.next) { counters.record($0) }
                } else {
                    Harness.runTwoThreads(benchmark, helper: state.helper, next: &state.next) { counters.record($0) }
                }
            } setup: {
                state.set(
                    AtomicCounters(),
                    helperJob: threads == 1
                        ? nil
                        : { counters, range in
                            for index in range { counters.record(Workload.event(index)) }
                        })
            } teardown: {
                let attempts = state.current.attempts.load(ordering: .relaxed)
                precondition(attempts == state.next, "atomics counted \(attempts) of \(state.next) operations")
                state.clear()
            }
        }
    }

    /// Events appended to an array under a lock; emptied, keeping its
    /// capacity, before each measurement.
    final class LockedEvents: Sendable {
        let events: Mutex<[DocumentSaveAttempt]>

        init(capacity: Int) {
            var events: [DocumentSaveAttempt] = []
            events.reserveCapacity(capacity)
            self.events = Mutex(events)
        }

        @inline(__always)
        func record(_ event: DocumentSaveAttempt) {
            events.withLock { $0.append(event) }
        }
    }

    static func registerMutexAppend() {
        for threads in [1, 2] {
            let state = BenchmarkState<LockedEvents>()
            Benchmark(
                "floor: Mutex array append, \(threads) thread\(threads == 1 ? "" : "s")",
                configuration: Harness.configuration(.kilo)
            ) { benchmark in
                let locked = state.current
                let before = locked.events.withLock { events in
                    events.removeAll(keepingCapacity: true)
                    return events.capacity
                }
                if threads == 1 {
                    Harness.runOneThread(benchmark, next: &state.next) { locked.record($0) }
                } else {
                    Harness.runTwoThreads(benchmark, helper: state.helper, next: &state.next) { locked.record($0) }
                }
                let (count, capacity) = locked.events.withLock { ($0.count, $0.capacity) }
                precondition(
                    count == benchmark.configuration.scalingFactor.rawValue && capacity == before,
                    "the locked array holds \(count) events (capacity \(before) -> \(capacity))")
            } setup: {
                state.set(
                    LockedEvents(capacity: 1 << 20),
                    helperJob: threads == 1
                        ? nil
                        : { locked, range in
                            for index in range { locked.record(Workload.event(index)) }
                        })
            } teardown: {
                state.clear()
            }
        }
    }
}
