import MVXMetrics
import Testing

/// `EventMetric`: one building block that events of one type update, the
/// type every ready-made metric is.
@Suite struct EventMetricTests {
    /// The successful saves' bytes only: the snippet of `EventMetric`'s
    /// documentation, on both recorders.
    static func successBytes() -> EventMetric<SaveAttempt, Sum<ByteCount>> {
        EventMetric(
            "test_storage.save.success_bytes", of: SaveAttempt.self,
            aggregate: Sum<ByteCount>(dimension: "total")
        ) { sum, event in
            event.outcome == .success ? sum.add(event.size) : .unchanged
        }
    }

    static let events = (0..<300).map { index in
        SaveAttempt(outcome: index % 3 == 0 ? .failure : .success, size: ByteCount(index))
    }

    static var expectedBytes: UInt64 {
        UInt64(events.filter { $0.outcome == .success }.map(\.size.bytes).reduce(0, +))
    }

    @Test func aLastValueMetricIsUnsetOrReadsItsInitialValueUntilTheFirstEvent() throws {
        let recorder = InlineMetricsRecorder(entityID: "inline")
        try recorder.register(LastValueMetric("test_storage.save.last_size", of: SaveAttempt.self, value: \.size))
        try recorder.register(
            LastValueMetric("test_storage.save.stock", of: SaveAttempt.self, initialValue: 2700, value: \.size))
        #expect(recorder.snapshot(metric: "test_storage.save.last_size")?["value"] == .gauge(nil))
        #expect(recorder.snapshot(metric: "test_storage.save.stock")?.value("value") == 2700)
        recorder.record(SaveAttempt(outcome: .success, size: 12))
        #expect(recorder.snapshot(metric: "test_storage.save.last_size")?.value("value") == 12)
        #expect(recorder.snapshot(metric: "test_storage.save.stock")?.value("value") == 12)
        #expect(recorder.statistics.ignored == 0)
    }

    @Test func aFilteredSumCountsOnlyTheEventsItsUpdateApplies() throws {
        let recorder = InlineMetricsRecorder(entityID: "inline")
        try recorder.register(Self.successBytes())
        for event in Self.events { recorder.record(event) }
        let snapshot = recorder.snapshot()
        #expect(snapshot["test_storage.save.success_bytes"]?.count("total") == Self.expectedBytes)
        // The 100 failures did not apply.
        #expect(snapshot.statistics.ignored == 100)
    }

    @Test func theQueuedRecorderAppliesItBatchByBatchWithTheSameResult() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "queued", capacity: 16, overflowPolicy: .block)
        try recorder.register(Self.successBytes())
        for event in Self.events { recorder.record(event) }
        try recorder.flush()
        let snapshot = recorder.snapshot()
        #expect(snapshot["test_storage.save.success_bytes"]?.count("total") == Self.expectedBytes)
        #expect(snapshot.statistics.ignored == 100)
    }

    @Test func theReadyMadeMetricsAreEventMetricsOfTheirBuildingBlock() throws {
        let sum: EventMetric<SaveAttempt, Sum<ByteCount>> = SumMetric(
            "test_storage.save.bytes", of: SaveAttempt.self, value: \.size)
        let outcomes: EventMetric<SaveAttempt, OutcomeCounts<SaveOutcome>> = OutcomeMetric(
            "test_storage.save.attempts", of: SaveAttempt.self, outcome: \.outcome)
        #expect(sum.aggregate.dimensions == Sum<ByteCount>(dimension: "total").dimensions)
        #expect(outcomes.snapshot().dimensions == OutcomeCounts<SaveOutcome>().dimensions)
    }
}
