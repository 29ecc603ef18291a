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

    /// Every ready-made metric, limited to the successful saves.
    static func registerFiltered(in recorder: some RegisteringMetricsRecorder) throws {
        let succeeded: @Sendable (SaveAttempt) -> Bool = { $0.outcome == .success }
        try recorder.register(SumMetric("f.bytes", of: SaveAttempt.self, value: \.size, where: succeeded))
        try recorder.register(
            DistributionMetric(
                "f.duration", of: SaveAttempt.self, buckets: .durations, value: \.duration, where: succeeded))
        try recorder.register(LastValueMetric("f.last_size", of: SaveAttempt.self, value: \.size, where: succeeded))
        try recorder.register(OutcomeMetric("f.attempts", of: SaveAttempt.self, outcome: \.outcome, where: succeeded))
        try recorder.register(
            CaseCountMetric(
                "f.outcomes", of: SaveAttempt.self, label: "outcome", value: { $0.outcome }, where: succeeded))
        try recorder.register(
            LabelCountMetric("f.sizes", of: SaveAttempt.self, label: "size", value: { "\($0.size.bytes % 3)" }) {
                $0.outcome == .success
            })
        try recorder.register(EventCountMetric("f.count", of: SaveAttempt.self) { $0.outcome == .success })
    }

    @Test func theSuccessfulSavesBytesAreOneLine() throws {
        let recorder = InlineMetricsRecorder(entityID: "inline")
        try recorder.register(
            SumMetric("test_storage.save.success_bytes", of: SaveAttempt.self, value: \.size) { $0.outcome == .success }
        )
        for event in Self.events { recorder.record(event) }
        #expect(recorder.snapshot(metric: "test_storage.save.success_bytes")?.count("total") == Self.expectedBytes)
    }

    @Test func filteredReadyMadeMetricsCountOnlyWhatTheyInclude() throws {
        let recorder = InlineMetricsRecorder(entityID: "inline")
        try Self.registerFiltered(in: recorder)
        for event in Self.events { recorder.record(event) }
        let successes = Self.events.filter { $0.outcome == .success }
        let snapshot = recorder.snapshot()
        #expect(snapshot["f.bytes"]?.count("total") == Self.expectedBytes)
        #expect(snapshot["f.duration"]?.distribution("distribution")?.count == UInt64(successes.count))
        #expect(snapshot["f.last_size"]?.value("value") == Double(successes.last!.size.bytes))
        #expect(snapshot["f.attempts"]?.count("success_total") == UInt64(successes.count))
        #expect(snapshot["f.attempts"]?.count("failure_total") == 0)
        #expect(snapshot["f.outcomes"]?.count("total", labels: ["outcome": "success"]) == UInt64(successes.count))
        #expect(snapshot["f.outcomes"]?.count("total", labels: ["outcome": "failure"]) == 0)
        let sizes = (0..<3).map { label in successes.filter { $0.size.bytes % 3 == label }.count }
        // Sizes of 0 mod 3 are all failures: that label was never seen.
        #expect(sizes == [0, 100, 100])
        #expect(snapshot["f.sizes"]?.count("total", labels: ["size": "0"]) == nil)
        #expect(snapshot["f.sizes"]?.count("total", labels: ["size": "1"]) == 100)
        #expect(snapshot["f.sizes"]?.count("total", labels: ["size": "2"]) == 100)
        #expect(snapshot["f.count"]?.count("total") == UInt64(successes.count))
        // Every failure is refused by every metric: ignored; a success is taken.
        #expect(snapshot.statistics.ignored == UInt64(Self.events.count - successes.count))
    }

    @Test func filteredMetricsAppliedInBatchesMatchTheInlineRecorder() throws {
        try expectQueuedMatchesInline(Self.events) { try Self.registerFiltered(in: $0) }
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
