import MVXMetrics
import Testing

@Suite struct ExponentialHistogramMetricTests {
    static let events = (1...500).map { index in
        SaveAttempt(outcome: index % 5 == 0 ? .failure : .success, duration: .microseconds(index * 37))
    }

    static func register(in recorder: some RegisteringMetricsRecorder) throws {
        try recorder.register(
            ExponentialHistogramMetric("e.duration", of: SaveAttempt.self, quantiles: [0.5, 1], value: \.duration))
        try recorder.register(
            ExponentialHistogramMetric("e.failed", of: SaveAttempt.self, value: \.duration) { $0.outcome == .failure })
        try recorder.register(
            ExponentialHistogramMetric("e.by_outcome", of: SaveAttempt.self, value: \.duration)
                .split(by: \.outcome, label: "outcome"))
    }

    @Test func theSnapshotCarriesCountSumExtremesAndBoundedQuantiles() throws {
        let recorder = InlineMetricsRecorder(entityID: "inline")
        try Self.register(in: recorder)
        for event in Self.events { recorder.record(event) }
        let snapshot = recorder.snapshot()
        let durations = try #require(snapshot["e.duration"]?.distribution("distribution"))
        #expect(durations.count == 500)
        #expect(durations.min == 37e-6)
        #expect(durations.max == 500 * 37e-6)
        #expect(abs(durations.sum - Double(500 * 501 / 2) * 37e-6) < 1e-9)
        // The 250th observation is 250 × 37 µs. 37 µs to 18.5 ms span nine
        // powers of two, which fit 160 buckets at scale 4: within 2.17 %.
        let median = try #require(durations.quantile(0.5))
        #expect(abs(median - 250 * 37e-6) <= 0.0217 * 250 * 37e-6)
        #expect(durations.quantile(1) == 500 * 37e-6)
        #expect(snapshot["e.failed"]?.distribution("distribution")?.count == 100)
        #expect(snapshot["e.by_outcome"]?.distribution("distribution", labels: ["outcome": "failure"])?.count == 100)
        #expect(snapshot["e.by_outcome"]?.distribution("distribution", labels: ["outcome": "too_large"])?.count == 0)
    }

    @Test func theQueuedRecorderMatchesTheInlineRecorder() throws {
        try expectQueuedMatchesInline(Self.events) { try Self.register(in: $0) }
    }

    @Test func anInvalidConfigurationIsRefusedWhenTheMetricIsMade() {
        #expect(throws: MetricsError.self) {
            try ExponentialHistogramMetric("e.bad", of: SaveAttempt.self, maximumBucketCount: 1, value: \.duration)
        }
    }
}
