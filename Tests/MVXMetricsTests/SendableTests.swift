import MVXMetrics
import Testing

/// Moves every public value type and recorder across tasks: a compile-time
/// check that they are `Sendable`, and a run-time check that they survive it.
@Suite struct SendableTests {
    @Test func publicTypesCrossTaskBoundaries() async throws {
        let recorder = InlineMetricsRecorder(entityID: "sendable")
        try recorder.register(saveAttempts())
        let noop = NoopMetricsRecorder()
        let snapshot = recorder.snapshot()
        let metric = try #require(snapshot["test_storage.save.attempts"])
        let dimension = metric.dimensions[0]
        let distribution = try Distribution<Duration>(buckets: .durations)
        let error = MetricsError(.invalidName, "example")
        let values: (ByteCount, MetricUnit, MetricUpdate, RecordResult, RecorderStatistics, HistogramBuckets) = (
            1, .bytes, .changed, .recorded, snapshot.statistics, .durations
        )
        let counts = (
            OutcomeCounts<SaveOutcome>(), Sum<ByteCount>(), LastValue<Double>(), EventCount(),
            CaseCounts<SaveOutcome>(dimension: "total", label: "reason"),
            try LabelCounts(dimension: "total", label: "route")
        )

        let result = await Task.detached {
            recorder.record(SaveAttempt(outcome: .success))
            noop.record(SaveAttempt(outcome: .success))
            _ = (values, counts, distribution, error, dimension)
            return recorder.snapshot(metric: metric.name)
        }.value
        #expect(result?.count("success_total") == 1)
    }
}
