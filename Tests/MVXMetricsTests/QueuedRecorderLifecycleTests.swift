import MVXMetrics
import MVXMetricsTestSupport
import Testing

@Suite struct QueuedRecorderLifecycleTests {
    private func stateError(_ body: () throws -> Void) -> MetricsError? {
        let error = #expect(throws: MetricsError.self) { try body() }
        #expect(error?.code == .invalidState)
        return error
    }

    @Test func everyTransitionAndEveryWrongStateError() throws {
        let runtime = MetricsRuntime()
        let hook = CountingHook()
        let recorder = try runtime.makeRecorder(entityID: "lifecycle", hooks: [hook])
        try recorder.register(saveAttempts())
        #expect(runtime.state == .created)
        #expect(recorder.state == .created)

        // Created: nothing processes yet.
        #expect(stateError { try recorder.start() }?.message.contains("runtime is not running") == true)
        #expect(stateError { try recorder.stop() }?.message.contains("it is created, expected running") == true)
        #expect(stateError { try recorder.flush() } != nil)

        // Events recorded before start are kept and processed once it starts.
        #expect(recorder.record(SaveAttempt(outcome: .success)) == .recorded)
        #expect(recorder.statistics.pending == 1)

        try runtime.start()
        #expect(runtime.state == .running)
        #expect(recorder.state == .running)
        #expect(stateError { try runtime.start() }?.message.contains("expected created") == true)
        #expect(stateError { try recorder.start() }?.message.contains("it is running") == true)
        try recorder.flush()
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 1)

        try recorder.stop()
        #expect(recorder.state == .stopped)
        #expect(stateError { try recorder.stop() } != nil)
        #expect(stateError { try recorder.flush() } != nil)

        // After stop: refused and counted.
        #expect(recorder.record(SaveAttempt(outcome: .success)) == .dropped)
        #expect(
            recorder.statistics
                == RecorderStatistics(
                    accepted: 2, processed: 1, dropped: 1, droppedByEventType: ["test_storage.save.attempt": 1]))
        let refusal = #expect(throws: MetricsError.self) { try recorder.recordOrThrow(SaveAttempt(outcome: .success)) }
        #expect(refusal?.code == .invalidState)

        // A stopped recorder starts again.
        try recorder.start()
        recorder.record(SaveAttempt(outcome: .failure))
        try recorder.flush()
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("failure_total") == 1)
        #expect(hook.lifecycleEvents == ["started lifecycle", "stopped lifecycle", "started lifecycle"])

        runtime.shutdown()
        #expect(runtime.state == .stopped)
        #expect(recorder.state == .stopped)
        #expect(stateError { try runtime.start() }?.message.contains("make a new one") == true)
        let late = #expect(throws: MetricsError.self) { try runtime.makeRecorder(entityID: "late") }
        #expect(late?.code == .invalidState)
        runtime.shutdown()  // idempotent
        #expect(hook.lifecycleEvents.last == "stopped lifecycle")
    }

    @Test func asyncFormsFlushStopAndShutDown() async throws {
        let runtime = MetricsRuntime()
        try await runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "async")
        try recorder.register(saveAttempts())
        for _ in 0..<1000 { recorder.record(SaveAttempt(outcome: .success)) }
        try await recorder.flush()
        #expect(await recorder.snapshot()["test_storage.save.attempts"]?.count("total") == 1000)
        for _ in 0..<1000 { recorder.record(SaveAttempt(outcome: .tooLarge)) }
        try await recorder.stop()
        #expect(recorder.state == .stopped)
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("too_large_total") == 1000)
        try await recorder.start()
        recorder.record(SaveAttempt(outcome: .failure))
        await runtime.flush()
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("failure_total") == 1)
        await runtime.shutdown()
        #expect(runtime.state == .stopped)
        #expect(recorder.state == .stopped)
        await runtime.shutdown()
    }

    @Test func flushFromSyncCodeWaitsForEveryEarlierEvent() throws {
        let (runtime, recorder) = try runningRecorder(capacity: 1 << 16, policy: .block)
        defer { runtime.shutdown() }
        for round in 1...20 {
            for _ in 0..<5000 { recorder.record(SaveAttempt(outcome: .success)) }
            try recorder.flush()
            #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == UInt64(round * 5000))
            #expect(recorder.statistics.pending == 0)
        }
    }

    @Test func concurrentStopsAllReturnOnceStopped() throws {
        let (runtime, recorder) = try runningRecorder()
        defer { runtime.shutdown() }
        for _ in 0..<10_000 { recorder.record(SaveAttempt(outcome: .success)) }
        let errors = LockedCounts()
        runOnThreads(
            (0..<4).map { _ in
                {
                    do { try recorder.stop() } catch { errors.add([.failure: 1]) }
                    #expect(recorder.state == .stopped)
                }
            })
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 10_000)
        // Callers that arrived after the stop finished got an invalidState error; none hung.
        #expect(errors.value[.failure, default: 0] <= 3)
    }

    @Test func shuttingDownARuntimeThatNeverStartedProcessesWhatWasQueued() throws {
        let (runtime, recorder) = try unstartedRecorder(capacity: 16, policy: .dropNew)
        for _ in 0..<5 { recorder.record(SaveAttempt(outcome: .success)) }
        runtime.shutdown()
        #expect(recorder.state == .stopped)
        #expect(recorder.statistics == RecorderStatistics(accepted: 5, processed: 5))
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("success_total") == 5)
    }

    @Test func aRuntimeShutsDownWhenReleased() throws {
        weak var weakRecorder: QueuedMetricsRecorder?
        do {
            let (runtime, recorder) = try runningRecorder()
            weakRecorder = recorder
            recorder.record(SaveAttempt(outcome: .success))
            _ = runtime
        }
        // The runtime's deinit stopped the recorder and joined the thread; the
        // recorder is then free.
        #expect(weakRecorder == nil)
    }
}
