import MVXMetricsTestKit
import Synchronization
import Testing

private enum SaveOutcome: MetricCase { case success, failure, tooLarge }
private enum Refusal: MetricCase { case quota, policy }

private struct Save: MetricEvent {
    static let eventType = "probe.save.attempt"
    var outcome: SaveOutcome
    var refusal: Refusal?
}

private struct Load: MetricEvent {
    static let eventType = "probe.load.attempt"
}

/// A hook as production code would write one: it keeps what it was told.
private final class Journal: RecorderHook {
    let lines = Mutex<[String]>([])
    let throwsOnStart: Bool

    init(throwsOnStart: Bool = false) { self.throwsOnStart = throwsOnStart }

    struct Refused: Error {}

    func metricChanged(_ change: MetricChange) throws {
        lines.withLock { $0.append("\(change.metricName) on \(change.event.eventType)") }
    }

    func recorderStarted(entityID: String) throws {
        lines.withLock { $0.append("started \(entityID)") }
        if throwsOnStart { throw Refused() }
    }

    func recorderStopped(entityID: String) throws {
        lines.withLock { $0.append("stopped \(entityID)") }
    }
}

/// The test kit as a harness for code that observes metrics: hooks, changes
/// and the lifecycle, and the coverage expectations.
@Suite struct TestMetricsRecorderObservingTests {
    private func probe(hooks: [any RecorderHook] = []) throws -> TestMetricsRecorder {
        let probe = TestMetricsRecorder(entityID: "storage", hooks: hooks)
        try probe.register(OutcomeMetric("probe.saves", of: Save.self, outcome: \.outcome))
        return probe
    }

    @Test func hooksAreToldOfChangesAndOfTheLifecycle() throws {
        let journal = Journal()
        let probe = try probe(hooks: [journal])
        probe.record(Save(outcome: .success))
        probe.record(Load())  // no metric accepts it: no change
        probe.record(Save(outcome: .failure))
        probe.stop()
        probe.stop()
        #expect(
            journal.lines.withLock { $0 } == [
                "started storage", "probe.saves on probe.save.attempt", "probe.saves on probe.save.attempt",
                "stopped storage",
            ])
        #expect(probe.recordedChanges.map(\.metricName) == ["probe.saves", "probe.saves"])
        #expect(probe.recordedChanges.map { ($0.event as? Save)?.outcome } == [.success, .failure])
    }

    @Test func aThrowingHookIsCountedAndTheOthersGoOn() throws {
        let failing = Journal(throwsOnStart: true)
        let journal = Journal()
        let probe = try probe(hooks: [failing, journal])
        probe.record(Save(outcome: .success))
        #expect(probe.statistics.hookFailures == 1)
        #expect(journal.lines.withLock { $0 } == ["started storage", "probe.saves on probe.save.attempt"])
    }

    @Test func theChangesStreamEndsAtStop() async throws {
        let probe = try probe()
        let stream = probe.changes()
        probe.record(Save(outcome: .success))
        probe.record(Save(outcome: .tooLarge))
        probe.stop()
        var outcomes: [SaveOutcome?] = []
        for await change in stream { outcomes.append((change.event as? Save)?.outcome) }
        #expect(outcomes == [.success, .tooLarge])
        // Asked for after the stop: empty, and ended at once.
        var late = 0
        for await _ in probe.changes() { late += 1 }
        #expect(late == 0)
    }

    @Test func eventsAfterStopAreRefusedAndCountedAsDropped() throws {
        let probe = try probe()
        probe.record(Save(outcome: .success))
        probe.stop()
        #expect(probe.record(Save(outcome: .failure)) == .dropped)
        #expect(probe.record(Load()) == .dropped)
        let statistics = probe.snapshot().statistics
        #expect(statistics.accepted == 3 && statistics.processed == 1 && statistics.dropped == 2)
        #expect(statistics.accepted == statistics.processed + statistics.dropped + statistics.pending)
        // Only event types a metric accepts are split out.
        #expect(statistics.droppedByEventType == ["probe.save.attempt": 1])
        #expect(probe.events(of: Save.self).map(\.outcome) == [.success])
        #expect(probe.count("probe.saves", "failure_total") == 0)
    }

    @Test func clearingEventsClearsTheChangesToo() throws {
        let probe = try probe()
        probe.record(Save(outcome: .success))
        probe.clearEvents()
        #expect(probe.recordedChanges.isEmpty && probe.events.isEmpty)
        #expect(probe.count("probe.saves", "success_total") == 1)
    }

    @Test func everyCaseOfAnOutcomeMustBeRecorded() throws {
        let probe = try probe()
        probe.record(Save(outcome: .success))
        #expect(probe.missingCases(of: \Save.outcome) == [.failure, .tooLarge])
        let failure = #expect(throws: MetricExpectationFailure.self) {
            try probe.expectEveryCase(of: \Save.outcome)
        }
        #expect(
            failure?.message
                == "expected every case of SaveOutcome in probe.save.attempt's outcome; never recorded: failure, too_large (recorded: success)"
        )
        probe.record(Save(outcome: .failure))
        probe.record(Save(outcome: .tooLarge))
        try probe.expectEveryCase(of: \Save.outcome)
        #expect(probe.missingCases(of: \Save.outcome).isEmpty)
    }

    @Test func everyCaseOfAnOptionalReasonMustBeRecorded() throws {
        let probe = try probe()
        probe.record(Save(outcome: .failure, refusal: .policy))
        probe.record(Save(outcome: .success))
        #expect(probe.missingCases(of: \Save.refusal) == [.quota])
        let failure = #expect(throws: MetricExpectationFailure.self) {
            try probe.expectEveryCase(of: \Save.refusal)
        }
        #expect(
            failure?.message
                == "expected every case of Refusal in probe.save.attempt's refusal; never recorded: quota (recorded: policy)"
        )
    }

    @Test func anEventTypeMustHaveAConsumer() throws {
        let probe = try probe()
        try probe.expectConsumer(of: Save.self)
        let failure = #expect(throws: MetricExpectationFailure.self) { try probe.expectConsumer(of: Load.self) }
        #expect(failure?.message == "no registered metric accepts probe.load.attempt (Load); registered: probe.saves")
        try probe.expectEveryRecordedEventConsumed()
        probe.record(Load())
        let unconsumed = #expect(throws: MetricExpectationFailure.self) {
            try probe.expectEveryRecordedEventConsumed()
        }
        #expect(unconsumed?.message == "events recorded that no metric accepts: probe.load.attempt")
        try probe.register(EventCountMetric("probe.loads", of: Load.self))
        try probe.expectConsumer(of: Load.self)
    }
}
