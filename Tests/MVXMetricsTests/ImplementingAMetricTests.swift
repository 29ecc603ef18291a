import MVXMetrics
import MVXMetricsTestKit
import Testing

private enum TransferOutcome: MetricCase { case completed, failed, cancelled }

private struct TransferStarted: MetricEvent {
    static let eventType = "file_transfer.started"
}

private struct TransferEnded: MetricEvent {
    static let eventType = "file_transfer.ended"
    var outcome: TransferOutcome
    var bytes: ByteCount
}

// The article's metric, as written there.
private struct TransferMetric: Metric {
    let name = "file_transfer.transfers"
    var help: String? { "File transfers by outcome, with the bytes of those that completed." }
    private var attempts = OutcomeCounts<TransferOutcome>()
    private var bytes = Sum<ByteCount>(dimension: "completed_bytes")
    private var inFlight = LastValue<Int>(dimension: "in_flight", initialValue: 0)
    private var started = 0

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(TransferStarted.self) { metric, _ in
            metric.started += 1
            return metric.inFlight.set(metric.started - Int(metric.attempts.total))
        }
        routes.on(TransferEnded.self) { metric, event in
            var update = metric.attempts.record(event.outcome)
            if event.outcome == .completed { update.formUnion(metric.bytes.add(event.bytes)) }
            update.formUnion(metric.inFlight.set(metric.started - Int(metric.attempts.total)))
            return update
        }
    }

    func snapshot() -> MetricSnapshot {
        MetricSnapshot(
            name: name, help: help, dimensions: attempts.dimensions + bytes.dimensions + inFlight.dimensions)
    }
}

/// The DocC article *Implementing a metric*: its example and its guarantees.
@Suite struct ImplementingAMetricTests {
    private static let events: [any MetricEvent] = [
        TransferStarted(), TransferStarted(), TransferEnded(outcome: .completed, bytes: 4096), TransferStarted(),
        TransferEnded(outcome: .failed, bytes: 12), TransferStarted(),
    ]

    @Test func theArticlesMetricKeepsItsDimensionsConsistent() throws {
        let probe = TestMetricsRecorder()
        try probe.register(TransferMetric())
        #expect(probe.value("file_transfer.transfers", "in_flight") == 0)
        for event in Self.events { probe.record(event) }
        let snapshot = try #require(probe.snapshot(metric: "file_transfer.transfers"))
        #expect(snapshot.count("total") == 2)
        #expect(snapshot.count("completed_total") == 1 && snapshot.count("failed_total") == 1)
        #expect(snapshot.count("completed_bytes") == 4096)
        #expect(snapshot.value("in_flight") == 2)
        #expect(probe.statistics.ignored == 0)
        #expect(probe.missingCases(of: \TransferEnded.outcome) == [.cancelled])
    }

    @Test func aQueuedRecorderShowsTheSameState() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let queued = try runtime.makeRecorder(entityID: "transfers", overflowPolicy: .block)
        let inline = InlineMetricsRecorder(entityID: "transfers")
        try queued.register(TransferMetric())
        try inline.register(TransferMetric())
        for event in Self.events {
            queued.record(event)
            inline.record(event)
        }
        try queued.flush()
        #expect(queued.snapshot().metrics == inline.snapshot().metrics)
    }
}
