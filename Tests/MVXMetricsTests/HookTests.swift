import MVXMetrics
import MVXMetricsTestSupport
import Testing

@Suite struct HookTests {
    @Test func hooksAreToldOfEveryChangeAndOfStartAndStop() throws {
        let hook = CountingHook()
        let (runtime, recorder) = try runningRecorder(hooks: [hook])
        try recorder.register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        recorder.record(SaveAttempt(outcome: .success, size: 10))
        recorder.record(SaveAttempt(outcome: .success, size: 0))  // bytes unchanged: one change only
        recorder.record(NeverRoutedEvent())
        try recorder.flush()
        #expect(
            hook.changes == [
                "test_storage.save.attempts test_storage.save.attempt",
                "test_storage.save.bytes test_storage.save.attempt",
                "test_storage.save.attempts test_storage.save.attempt",
            ])
        runtime.shutdown()
        #expect(hook.lifecycleEvents == ["started queued", "stopped queued"])
    }

    @Test func aThrowingHookIsIsolatedAndCounted() throws {
        let hook = CountingHook()
        let (runtime, recorder) = try runningRecorder(hooks: [FailingHook(), hook, FailingHook()])
        for _ in 0..<10 { recorder.record(SaveAttempt(outcome: .failure)) }
        try recorder.flush()
        #expect(hook.changes.count == 10)
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("failure_total") == 10)
        // One start notification and ten changes each failed twice.
        #expect(recorder.statistics.hookFailures == 22)
        runtime.shutdown()
        #expect(recorder.statistics.hookFailures == 24)
        #expect(hook.lifecycleEvents == ["started queued", "stopped queued"])
    }

    @Test func inlineRecordersCallHooksOnTheRecordingThread() throws {
        let hook = CountingHook()
        let recorder = InlineMetricsRecorder(entityID: "inline", hooks: [FailingHook(), hook])
        try recorder.register(saveAttempts())
        try recorder.register(ThrowingMetric())
        recorder.record(SaveAttempt(outcome: .success))
        recorder.record(SaveAttempt(outcome: .failure))
        // Handlers run in registration order; the throwing metric changed only on success.
        #expect(
            hook.changes == [
                "test_storage.save.attempts test_storage.save.attempt",
                "test_storage.throwing test_storage.save.attempt",
                "test_storage.save.attempts test_storage.save.attempt",
            ])
        #expect(recorder.statistics.hookFailures == 3)
        #expect(recorder.statistics.handlerFailures == 1)
        #expect(recorder.snapshot().statistics.hookFailures == 3)
    }

    @Test func aHookMayFlushAndStopItsOwnRecorder() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        let stopper = MetricChangeHook { change in
            guard let attempt = change.event as? SaveAttempt, attempt.outcome == .failure else { return }
            let recorder = try runtime.recorder(entityID: change.entityID)
            try recorder.flush()
            try recorder.stop()
        }
        let recorder = try runtime.makeRecorder(entityID: "self-stopping", hooks: [stopper])
        try recorder.register(saveAttempts())
        recorder.record(SaveAttempt(outcome: .success))
        recorder.record(SaveAttempt(outcome: .failure))
        waitUntil { recorder.state == .stopped }
        #expect(recorder.state == .stopped)
        #expect(recorder.statistics.hookFailures == 0)
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 2)
        runtime.shutdown()
    }

    @Test func changesArriveAsAnAsyncSequenceThatEndsAtStop() async throws {
        let (runtime, recorder) = try runningRecorder()
        let changes = recorder.changes()
        let reader = Task {
            var seen: [String] = []
            for await change in changes {
                seen.append(
                    "\(change.entityID) \(change.metricName) \((change.event as? SaveAttempt)?.outcome.metricLabel ?? "?")"
                )
            }
            return seen
        }
        recorder.record(SaveAttempt(outcome: .success))
        recorder.record(SaveAttempt(outcome: .tooLarge))
        try await recorder.flush()
        try await recorder.stop()
        #expect(
            await reader.value == [
                "queued test_storage.save.attempts success", "queued test_storage.save.attempts too_large",
            ])
        await runtime.shutdown()
    }

    /// A stream asked for once the recorder stopped, or once its runtime
    /// failed to start, ends at once: nothing could ever be delivered to it.
    @Test(.timeLimit(.minutes(1))) func changesOfAStoppedOrFailedRecorderEndAtOnce() async throws {
        let (runtime, recorder) = try runningRecorder()
        recorder.record(SaveAttempt(outcome: .success))
        try await recorder.stop()
        var delivered = 0
        for await _ in recorder.changes() { delivered += 1 }
        #expect(delivered == 0)
        await runtime.shutdown()
        for await _ in recorder.changes() { delivered += 1 }
        #expect(delivered == 0)

        let unstarted = MetricsRuntime()
        let orphan = try unstarted.makeRecorder(entityID: "orphan")
        await unstarted.shutdown()
        #expect(orphan.state == .stopped)
        for await _ in orphan.changes() { delivered += 1 }
        #expect(delivered == 0)
    }

    /// A hook records ten events into a full `.block` queue, of its own
    /// recorder or of another recorder of its runtime: on the processing
    /// thread, which is the one that would make room, `record` drops and
    /// counts instead of waiting for ever, and shutdown returns.
    @Test(.timeLimit(.minutes(1)), arguments: [false, true])
    func aHookRecordingIntoAFullBlockQueueDropsInsteadOfDeadlocking(intoItsOwnRecorder: Bool) throws {
        let hook = RecordingHook()
        let runtime = MetricsRuntime()
        try runtime.start()
        let source = try runtime.makeRecorder(entityID: "source", capacity: 2, overflowPolicy: .block, hooks: [hook])
        try source.register(saveAttempts())
        let target =
            intoItsOwnRecorder
            ? source : try runtime.makeRecorder(entityID: "target", capacity: 2, overflowPolicy: .block)
        if !intoItsOwnRecorder { try target.register(saveAttempts()) }
        hook.aim(at: target)

        source.record(SaveAttempt(outcome: .success))
        // The first pass runs the hook, which fills the processing thread's
        // lane of `target` (two events) and drops the other eight; the second
        // processes those two.
        try source.flush()
        try source.flush()
        let snapshot = target.snapshot()
        #expect(snapshot["test_storage.save.attempts"]?.count("failure_total") == 2)
        #expect(snapshot.statistics.dropped == 8)
        #expect(snapshot.statistics.droppedByEventType == [SaveAttempt.eventType: 8])
        #expect(snapshot.statistics.accepted == (intoItsOwnRecorder ? 11 : 10))
        #expect(
            snapshot.statistics.accepted
                == snapshot.statistics.processed + snapshot.statistics.dropped + snapshot.statistics.pending)
        runtime.shutdown()
        #expect(source.state == .stopped)
        #expect(target.state == .stopped)
    }
}

/// Records ten failed save attempts into its target for every successful one
/// it hears of.
private final class RecordingHook: RecorderHook, @unchecked Sendable {
    // @unchecked: `target` is guarded by `lock`.
    private let lock = NSLockLike()
    private var target: QueuedMetricsRecorder?

    func aim(at recorder: QueuedMetricsRecorder) { lock.run { target = recorder } }

    func metricChanged(_ change: MetricChange) throws {
        guard (change.event as? SaveAttempt)?.outcome == .success, let target = lock.run({ target }) else { return }
        for _ in 0..<10 { target.record(SaveAttempt(outcome: .failure)) }
    }
}
