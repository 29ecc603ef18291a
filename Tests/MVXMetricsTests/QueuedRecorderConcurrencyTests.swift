import MVXMetrics
import MVXMetricsTestSupport
import Synchronization
import Testing

@Suite struct QueuedRecorderConcurrencyTests {
    static func outcome(_ index: Int) -> SaveOutcome {
        index % 10 == 0 ? .failure : (index % 25 == 0 ? .tooLarge : .success)
    }

    @Test func aMillionEventsFromTwoProducersLosslesslyAreExact() throws {
        let (runtime, recorder) = try runningRecorder(capacity: 1024, policy: .block)
        defer { runtime.shutdown() }
        try recorder.register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        let perThread = 500_000
        let unbalanced = Atomic<Int>(0)
        let producersDone = Atomic<Int>(0)
        let producer: @Sendable () -> Void = {
            for index in 0..<perThread {
                recorder.record(SaveAttempt(outcome: Self.outcome(index), size: 3))
            }
            producersDone.add(1, ordering: .releasing)
        }
        runOnThreads([
            producer, producer,
            {
                // Snapshots taken mid-run: the accounting holds, and a metric's
                // dimensions agree with each other and with `processed`.
                repeat {
                    let snapshot = recorder.snapshot()
                    let attempts = snapshot["test_storage.save.attempts"]
                    let parts = ["success_total", "failure_total", "too_large_total"].compactMap { attempts?.count($0) }
                    if !snapshot.statistics.isBalanced || attempts?.count("total") != parts.reduce(0, +)
                        || attempts?.count("total") != snapshot.statistics.processed
                    {
                        unbalanced.add(1, ordering: .relaxed)
                    }
                } while producersDone.load(ordering: .acquiring) < 2
            },
        ])
        try recorder.stop()

        var expected: [SaveOutcome: UInt64] = [:]
        for index in 0..<perThread { expected[Self.outcome(index), default: 0] += 2 }
        let snapshot = recorder.snapshot()
        let attempts = try #require(snapshot["test_storage.save.attempts"])
        #expect(attempts.count("total") == UInt64(2 * perThread))
        #expect(attempts.count("success_total") == expected[.success])
        #expect(attempts.count("failure_total") == expected[.failure])
        #expect(attempts.count("too_large_total") == expected[.tooLarge])
        #expect(snapshot["test_storage.save.bytes"]?.count("total") == UInt64(2 * perThread * 3))
        #expect(
            snapshot.statistics == RecorderStatistics(accepted: UInt64(2 * perThread), processed: UInt64(2 * perThread))
        )
        #expect(unbalanced.load(ordering: .relaxed) == 0)
    }

    @Test func dropNewOnATinyQueueLosesOnlyWhatItReports() throws {
        let (runtime, recorder) = try runningRecorder(capacity: 4, policy: .dropNew)
        defer { runtime.shutdown() }
        let perThread = 200_000
        // Each producer keeps its own tally of what `record` accepted: the reference model.
        let accepted = LockedCounts()
        let dropped = Atomic<Int>(0)
        let producer: @Sendable () -> Void = {
            var mine: [SaveOutcome: UInt64] = [:]
            var refused = 0
            for index in 0..<perThread {
                let outcome = Self.outcome(index)
                if recorder.record(SaveAttempt(outcome: outcome)) == .recorded {
                    mine[outcome, default: 0] += 1
                } else {
                    refused += 1
                }
            }
            accepted.add(mine)
            dropped.add(refused, ordering: .relaxed)
        }
        runOnThreads([producer, producer])
        try recorder.flush()

        let model = accepted.value
        let acceptedCount = model.values.reduce(0, +)
        let snapshot = recorder.snapshot()
        let statistics = snapshot.statistics
        #expect(acceptedCount + UInt64(dropped.load(ordering: .relaxed)) == UInt64(2 * perThread))
        #expect(statistics.accepted == UInt64(2 * perThread))
        #expect(statistics.dropped == UInt64(dropped.load(ordering: .relaxed)))
        #expect(statistics.processed == acceptedCount)
        #expect(statistics.pending == 0)
        #expect(statistics.isBalanced)
        #expect(
            statistics.droppedByEventType
                == (statistics.dropped > 0 ? ["test_storage.save.attempt": statistics.dropped] : [:]))
        let attempts = try #require(snapshot["test_storage.save.attempts"])
        #expect(attempts.count("total") == acceptedCount)
        for outcome in SaveOutcome.allCases {
            #expect(attempts.count("\(outcome.metricLabel)_total") == model[outcome, default: 0])
        }
    }

    @Test func dropOldestKeepsTheAccountingBalanced() throws {
        let (runtime, recorder) = try runningRecorder(capacity: 8, policy: .dropOldest)
        defer { runtime.shutdown() }
        let perThread = 200_000
        runOnThreads([
            {
                for index in 0..<perThread {
                    #expect(recorder.record(SaveAttempt(outcome: Self.outcome(index))) == .recorded)
                }
            },
            { for index in 0..<perThread { recorder.record(SaveAttempt(outcome: Self.outcome(index))) } },
        ])
        try recorder.flush()
        let snapshot = recorder.snapshot()
        let statistics = snapshot.statistics
        #expect(statistics.accepted == UInt64(2 * perThread))
        #expect(statistics.pending == 0)
        #expect(statistics.processed + statistics.dropped == UInt64(2 * perThread))
        #expect(snapshot["test_storage.save.attempts"]?.count("total") == statistics.processed)
    }

    @Test func removingARecorderWhileProducersEmitLosesNothingAccepted() throws {
        let (runtime, recorder) = try runningRecorder(capacity: 256, policy: .block)
        defer { runtime.shutdown() }
        let started = Atomic<Int>(0)
        let results = LockedCounts()
        let producer: @Sendable () -> Void = {
            var accepted: UInt64 = 0
            var refused: UInt64 = 0
            for index in 0..<300_000 {
                if index == 1000 { started.add(1, ordering: .relaxed) }
                if recorder.record(SaveAttempt(outcome: .success)) == .recorded { accepted += 1 } else { refused += 1 }
            }
            results.add([.success: accepted, .failure: refused])
        }
        runOnThreads([
            producer, producer,
            {
                waitUntil { started.load(ordering: .relaxed) == 2 }
                _ = try? runtime.removeRecorder(entityID: "queued")
            },
        ])
        #expect(runtime.recorderEntityIDs == [])
        #expect(recorder.state == .stopped)
        let statistics = recorder.statistics
        let model = results.value
        #expect(statistics.accepted == 600_000)
        #expect(statistics.processed == model[.success])
        #expect(statistics.dropped == model[.failure])
        #expect(statistics.pending == 0)
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == model[.success])
        #expect(model[.failure, default: 0] > 0)
    }

    @Test func shutdownWithEventsPendingProcessesThemAll() throws {
        let gate = Gate()
        let (runtime, recorder) = try runningRecorder(
            capacity: 64, policy: .block, hooks: [MetricChangeHook { _ in gate.pass() }])
        recorder.record(SaveAttempt(outcome: .failure))
        gate.awaitArrival()  // the processing thread is held in the hook
        for _ in 0..<50 { recorder.record(SaveAttempt(outcome: .failure)) }
        #expect(recorder.statistics.pending == 50)
        runOnThreads([
            { runtime.shutdown() },
            {
                waitUntil { recorder.state == .stopping }
                gate.open()
            },
        ])
        #expect(runtime.state == .stopped)
        #expect(recorder.state == .stopped)
        #expect(recorder.statistics == RecorderStatistics(accepted: 51, processed: 51))
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("failure_total") == 51)
        #expect(recorder.record(SaveAttempt(outcome: .failure)) == .dropped)
    }

    @Test func producersOnManyShortLivedThreadsAreCountedAfterTheyExit() throws {
        let (runtime, recorder) = try runningRecorder(capacity: 64, policy: .block)
        defer { runtime.shutdown() }
        for _ in 0..<20 {
            runOnThreads((0..<4).map { _ in { for _ in 0..<500 { recorder.record(SaveAttempt(outcome: .success)) } } })
        }
        try recorder.flush()
        let statistics = recorder.statistics
        #expect(statistics == RecorderStatistics(accepted: 40_000, processed: 40_000))
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 40_000)
    }
}

/// Outcome tallies merged from several threads.
final class LockedCounts: Sendable {
    private let lock = NSLockLike()
    nonisolated(unsafe) private var counts: [SaveOutcome: UInt64] = [:]

    func add(_ more: [SaveOutcome: UInt64]) {
        lock.run { counts.merge(more, uniquingKeysWith: +) }
    }

    var value: [SaveOutcome: UInt64] { lock.run { counts } }
}
