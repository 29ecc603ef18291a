import MVXMetricsTestSupport
import Testing

@testable import MVXMetrics

/// Every lane of every route of `recorder`.
private func laneCount(_ recorder: QueuedMetricsRecorder) -> Int {
    recorder.registry.withLock { registry in registry.table.routes.reduce(0) { $0 + $1.lanes.withLock(\.count) } }
}

/// The ring sizes of every lane of `recorder`.
private func ringSizes(_ recorder: QueuedMetricsRecorder) -> [Int] {
    recorder.registry.withLock { registry in
        registry.table.routes.flatMap { route in route.lanes.withLock { $0.map(\.ringSize) } }
    }
}

@Suite struct RemovedRecorderTests {
    /// Removing a recorder frees its lanes' rings once every event they held
    /// is processed, whether the removal stops it or it was stopped before:
    /// lanes pinned in live threads keep one slot each.
    @Test(arguments: [false, true]) func removingARecorderFreesItsLanesRings(stoppedFirst: Bool) throws {
        let runtime = MetricsRuntime()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "removed", capacity: 1024, overflowPolicy: .dropNew)
        try recorder.register(saveAttempts())
        for _ in 0..<1000 { recorder.record(SaveAttempt(outcome: .success)) }
        #expect(ringSizes(recorder) == [1024])
        if stoppedFirst {
            try runtime.start()
            try recorder.stop()
            #expect(ringSizes(recorder) == [1024])
        }
        try runtime.removeRecorder(entityID: "removed")
        #expect(ringSizes(recorder) == [1])
        #expect(recorder.statistics.processed == 1000)
        #expect(recorder.record(SaveAttempt(outcome: .success)) == .dropped)
        #expect(
            recorder.statistics
                == RecorderStatistics(
                    accepted: 1001, processed: 1000, dropped: 1, droppedByEventType: ["test_storage.save.attempt": 1]))
    }

    /// Threads that record into a stopped recorder for the first time are
    /// refused without a lane being made for them: refusing holds no memory.
    @Test func refusalsOfAStoppedRecorderMakeNoLane() throws {
        let (runtime, recorder) = try runningRecorder()
        defer { runtime.shutdown() }
        try recorder.stop()
        let results = LockedCounts()
        runOnThreads(
            (0..<4).map { _ in
                {
                    for _ in 0..<10 where recorder.record(SaveAttempt(outcome: .success)) == .dropped {
                        results.add([.failure: 1])
                    }
                    if (try? recorder.recordOrThrow(SaveAttempt(outcome: .success))) == nil {
                        results.add([.failure: 1])
                    }
                }
            })
        #expect(results.value == [.failure: 44])
        #expect(laneCount(recorder) == 0)
        #expect(
            recorder.statistics
                == RecorderStatistics(
                    accepted: 44, processed: 0, dropped: 44, droppedByEventType: ["test_storage.save.attempt": 44]))
    }

    /// A removed recorder keeps what it counted and refuses what comes after,
    /// and it cannot start again: the runtime's thread no longer visits it.
    @Test func aRemovedRecorderCannotStartAgain() throws {
        let (runtime, recorder) = try runningRecorder()
        defer { runtime.shutdown() }
        #expect(recorder.record(SaveAttempt(outcome: .success)) == .recorded)
        try runtime.removeRecorder(entityID: recorder.entityID)
        #expect(recorder.state == .stopped)
        let error = #expect(throws: MetricsError.self) { try recorder.start() }
        #expect(error?.code == .invalidState)
        #expect(error?.message.contains("removed from its runtime") == true)
        #expect(recorder.state == .stopped)
        #expect(recorder.record(SaveAttempt(outcome: .failure)) == .dropped)
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 1)
        #expect(recorder.statistics.pending == 0)
        #expect(recorder.statistics.dropped == 1)
    }

    /// A recorder that never started and is removed processes what it
    /// queued, and cannot start afterwards either.
    @Test func aRecorderRemovedBeforeItsRuntimeStartedCannotStart() throws {
        let runtime = MetricsRuntime()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "early")
        try recorder.register(saveAttempts())
        #expect(recorder.record(SaveAttempt(outcome: .success)) == .recorded)
        try runtime.removeRecorder(entityID: "early")
        try runtime.start()
        #expect(throws: MetricsError.self) { try recorder.start() }
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 1)
        #expect(recorder.statistics.pending == 0)
    }
}
