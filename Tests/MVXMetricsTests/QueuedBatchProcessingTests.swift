import MVXMetrics
import Testing

/// The processing thread applies a queued batch metric by metric when every
/// metric on the event type's route is a ready-made one, and event by event
/// otherwise. Both must leave the metrics and the statistics exactly as the
/// inline recorder does for the same events.
@Suite struct QueuedBatchProcessingTests {
    /// Events that exercise every kind of update: changes, a value of zero
    /// (the sum is unchanged), a negative size and a non-finite duration
    /// (rejected values).
    static func events() -> [SaveAttempt] {
        (0..<5_000).map { index in
            let size: ByteCount = index % 7 == 0 ? 0 : (index % 11 == 0 ? -5 : ByteCount(index % 300))
            let outcome: SaveOutcome = index % 5 == 0 ? .failure : (index % 13 == 0 ? .tooLarge : .success)
            return SaveAttempt(outcome: outcome, size: size, duration: .milliseconds(index % 40))
        }
    }

    static func registerReadyMade(_ register: (any Metric) throws -> Void) throws {
        try register(OutcomeMetric("test_storage.save.attempts", of: SaveAttempt.self, outcome: \.outcome))
        try register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        try register(
            DistributionMetric(
                "test_storage.save.duration", of: SaveAttempt.self, buckets: .durations, value: \.duration))
        try register(EventCountMetric("test_storage.save.events", of: SaveAttempt.self))
        try register(
            CaseCountMetric(
                "test_storage.save.by_outcome", of: SaveAttempt.self, label: "outcome",
                value: { $0.outcome == .tooLarge ? nil : $0.outcome }))
        try register(LastValueMetric("test_storage.save.last_size", of: SaveAttempt.self, value: \.size))
    }

    /// The queued recorder's snapshot after `events`, and the inline recorder's.
    static func compare(extra: (any Metric)? = nil) throws -> (queued: RecorderSnapshot, inline: RecorderSnapshot) {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        // A small capacity makes the processing thread see many batches, some
        // wrapping around the end of the ring.
        let queued = try runtime.makeRecorder(entityID: "queued", capacity: 64, overflowPolicy: .block)
        let inline = InlineMetricsRecorder(entityID: "queued")
        try registerReadyMade { try queued.register($0) }
        try registerReadyMade { try inline.register($0) }
        if let extra {
            try queued.register(extra)
            try inline.register(extra)
        }
        for event in events() {
            queued.record(event)
            inline.record(event)
        }
        try queued.flush()
        return (queued.snapshot(), inline.snapshot())
    }

    @Test func readyMadeMetricsAppliedBatchByBatchMatchTheInlineRecorder() throws {
        let (queued, inline) = try Self.compare()
        #expect(queued.metrics == inline.metrics)
        let statistics = queued.statistics
        #expect(statistics.processed == 5_000)
        #expect(statistics.rejectedValues == inline.statistics.rejectedValues)
        #expect(statistics.rejectedValues > 0)
        #expect(statistics.ignored == inline.statistics.ignored)
        #expect(statistics.handlerFailures == 0)
        #expect(statistics.isBalanced)
    }

    @Test func aCustomMetricOnTheRouteFallsBackToEventByEventWithTheSameResult() throws {
        // ThrowingMetric is a metric type of its own (no batch form) whose
        // handler throws for failures: the route is processed event by event.
        let (queued, inline) = try Self.compare(extra: ThrowingMetric())
        #expect(queued.metrics == inline.metrics)
        #expect(queued.statistics.rejectedValues == inline.statistics.rejectedValues)
        #expect(queued.statistics.ignored == inline.statistics.ignored)
        #expect(queued.statistics.handlerFailures == inline.statistics.handlerFailures)
        #expect(queued.statistics.handlerFailures > 0)
    }

    @Test func eventsNoMetricChangesAreCountedAsIgnoredInABatch() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "queued", capacity: 16, overflowPolicy: .block)
        try recorder.register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        for index in 0..<100 { recorder.record(SaveAttempt(outcome: .success, size: index % 4 == 0 ? 0 : 1)) }
        try recorder.flush()
        let snapshot = recorder.snapshot()
        #expect(snapshot["test_storage.save.bytes"]?.count("total") == 75)
        #expect(snapshot.statistics.ignored == 25)
        #expect(snapshot.statistics.processed == 100)
    }

    @Test func largeBatchesProcessedInChunksWhileAProducerWaitsForRoomAreExact() throws {
        // Lanes much larger than a chunk: the processing thread hands slots
        // back chunk by chunk while the producer, blocked on a full lane under
        // the block policy, refills them. Nothing may be lost or counted twice.
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "queued", capacity: 8192, overflowPolicy: .block)
        try recorder.register(OutcomeMetric("test_storage.save.attempts", of: SaveAttempt.self, outcome: \.outcome))
        try recorder.register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        let count = 300_000
        var expectedBytes: UInt64 = 0
        for index in 0..<count {
            let size = ByteCount(1 + index % 97)
            expectedBytes += UInt64(size.bytes)
            recorder.record(SaveAttempt(outcome: index % 3 == 0 ? .failure : .success, size: size))
        }
        try recorder.flush()
        let snapshot = recorder.snapshot()
        #expect(snapshot["test_storage.save.attempts"]?.count("total") == UInt64(count))
        #expect(snapshot["test_storage.save.attempts"]?.count("failure_total") == UInt64(count / 3))
        #expect(snapshot["test_storage.save.bytes"]?.count("total") == expectedBytes)
        #expect(snapshot.statistics == RecorderStatistics(accepted: UInt64(count), processed: UInt64(count)))
    }
}
