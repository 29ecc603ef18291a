import MVXMetrics
import Testing

@Suite struct InlineMetricsRecorderTests {
    @Test func oneEventFeedsEveryAcceptingMetric() throws {
        let recorder = InlineMetricsRecorder(entityID: "storage")
        try recorder.register(saveAttempts())
        try recorder.register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        try recorder.register(
            DistributionMetric(
                "test_storage.save.duration", of: SaveAttempt.self, buckets: .durations, value: \.duration))
        try recorder.register(EventCountMetric("test_storage.reads", of: ReadAttempt.self))

        #expect(recorder.record(SaveAttempt(outcome: .success, size: 100, duration: .milliseconds(3))) == .recorded)
        recorder.record(SaveAttempt(outcome: .failure, size: 50, duration: .milliseconds(30)))

        let snapshot = recorder.snapshot()
        #expect(snapshot.entityID == "storage")
        #expect(
            snapshot.metrics.map(\.name) == [
                "test_storage.reads", "test_storage.save.attempts", "test_storage.save.bytes",
                "test_storage.save.duration",
            ])
        #expect(snapshot["test_storage.save.attempts"]?.count("total") == 2)
        #expect(snapshot["test_storage.save.attempts"]?.count("failure_total") == 1)
        #expect(snapshot["test_storage.save.bytes"]?.count("total") == 150)
        #expect(snapshot["test_storage.save.duration"]?.distribution("distribution")?.count == 2)
        #expect(snapshot["test_storage.reads"]?.count("total") == 0)
        #expect(snapshot.statistics == RecorderStatistics(accepted: 2, processed: 2))
    }

    @Test func rejectedValuesAreCountedAndNotApplied() throws {
        let recorder = InlineMetricsRecorder()
        try recorder.register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        try recorder.register(LastValueMetric("test_sensor.temperature", of: Temperature.self, value: \.celsius))
        recorder.record(SaveAttempt(outcome: .success, size: 10))
        recorder.record(SaveAttempt(outcome: .success, size: -10))
        recorder.record(Temperature(celsius: .nan))
        recorder.record(Temperature(celsius: 20))
        #expect(recorder.snapshot(metric: "test_storage.save.bytes")?.count("total") == 10)
        #expect(recorder.snapshot(metric: "test_sensor.temperature")?.value("value") == 20)
        let statistics = recorder.statistics
        #expect(statistics.rejectedValues == 2)
        #expect(statistics.ignored == 2)
        #expect(statistics.processed == 4)
    }

    @Test func aThrowingHandlerIsIsolated() throws {
        let recorder = InlineMetricsRecorder()
        try recorder.register(ThrowingMetric())
        try recorder.register(saveAttempts())
        recorder.record(SaveAttempt(outcome: .failure))
        recorder.record(SaveAttempt(outcome: .success))
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 2)
        #expect(recorder.snapshot(metric: "test_storage.throwing")?.count("total") == 1)
        #expect(recorder.statistics.handlerFailures == 1)
        #expect(recorder.statistics.ignored == 0)
    }

    @Test func eventsBeforeRegistrationDoNotReachTheMetric() throws {
        let recorder = InlineMetricsRecorder()
        recorder.record(SaveAttempt(outcome: .success))
        try recorder.register(saveAttempts())
        recorder.record(SaveAttempt(outcome: .success))
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 1)
        #expect(recorder.statistics.ignored == 1)
    }

    @Test func aMetricMayAcceptSeveralEventTypes() throws {
        struct StorageOperations: Metric {
            let name = "test_storage.operations"
            var saves = OutcomeCounts<SaveOutcome>()
            var reads = EventCount(dimension: "reads_total")

            func routes(_ routes: inout MetricRoutes<Self>) {
                routes.on(SaveAttempt.self) { metric, event in metric.saves.record(event.outcome) }
                routes.on(ReadAttempt.self) { metric, _ in metric.reads.increment() }
            }

            func snapshot() -> MetricSnapshot {
                MetricSnapshot(name: name, dimensions: saves.dimensions + reads.dimensions)
            }
        }
        let recorder = InlineMetricsRecorder()
        try recorder.register(StorageOperations())
        recorder.record(SaveAttempt(outcome: .tooLarge))
        recorder.record(ReadAttempt(outcome: .success))
        recorder.record(ReadAttempt(outcome: .failure))
        let snapshot = try #require(recorder.snapshot(metric: "test_storage.operations"))
        #expect(snapshot.count("too_large_total") == 1)
        #expect(snapshot.count("reads_total") == 2)
        #expect(recorder.consumers(of: ReadAttempt.self) == ["test_storage.operations"])
    }

    @Test func noopRecorderDiscards() {
        let recorder: any MetricsRecorder = .noop
        #expect(recorder.record(SaveAttempt(outcome: .success)) == .discarded)
    }
}
