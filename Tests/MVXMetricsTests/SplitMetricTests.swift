import MVXMetrics
import Testing

/// Ready-made metrics split by a case or a free-form value taken from each
/// event: `EventMetric.split(by:label:)`.
@Suite struct SplitMetricTests {
    static let events = (0..<300).map { index in
        SaveAttempt(
            outcome: [.success, .failure, .success][index % 3], size: ByteCount(index),
            duration: .milliseconds(index % 7))
    }

    /// A duration by outcome, bytes by a free-form kind, and a gauge and a
    /// counter split twice.
    static func register(in recorder: some RegisteringMetricsRecorder) throws {
        try recorder.register(
            DistributionMetric("s.duration", of: SaveAttempt.self, buckets: .durations, value: \.duration)
                .split(by: \.outcome, label: "outcome"))
        try recorder.register(
            SumMetric("s.bytes", of: SaveAttempt.self, value: \.size)
                .split(by: { "kind_\($0.size.bytes % 4)" }, label: "kind", cap: 3))
        try recorder.register(
            LastValueMetric("s.last_size", of: SaveAttempt.self, value: \.size).split(by: \.outcome, label: "outcome"))
        try recorder.register(
            EventCountMetric("s.count", of: SaveAttempt.self) { $0.size.bytes % 2 == 0 }
                .split(by: \.outcome, label: "outcome")
                .split(by: { $0.duration < .milliseconds(3) ? "fast" : "slow" }, label: "speed"))
    }

    @Test func eachSeriesAggregatesOnlyItsEvents() throws {
        let recorder = InlineMetricsRecorder(entityID: "inline")
        try Self.register(in: recorder)
        for event in Self.events { recorder.record(event) }
        let snapshot = recorder.snapshot()
        for outcome in SaveOutcome.allCases {
            let mine = Self.events.filter { $0.outcome == outcome }
            let labels = ["outcome": outcome.metricLabel]
            let durations = try #require(snapshot["s.duration"]?.distribution("distribution", labels: labels))
            #expect(durations.count == UInt64(mine.count))
            #expect(
                snapshot["s.last_size"]?["value", labels: labels] == .gauge(mine.last.map { Double($0.size.bytes) }))
        }
        // Three kinds are kept in order of arrival; the fourth overflows.
        for kind in 0..<4 {
            let bytes = Self.events.filter { $0.size.bytes % 4 == kind }.map(\.size.bytes).reduce(0, +)
            let value = kind < 3 ? "kind_\(kind)" : "_overflow"
            #expect(snapshot["s.bytes"]?.count("total", labels: ["kind": value]) == UInt64(bytes))
        }
        let evenFastSuccesses = Self.events.filter {
            $0.outcome == .success && $0.size.bytes % 2 == 0 && $0.duration < .milliseconds(3)
        }
        #expect(
            snapshot["s.count"]?.count("total", labels: ["outcome": "success", "speed": "fast"])
                == UInt64(evenFastSuccesses.count))
        #expect(snapshot["s.count"]?.count("total", labels: ["outcome": "too_large", "speed": "slow"]) == 0)
        // Every event changes the distribution at least: none is ignored.
        #expect(snapshot.statistics.ignored == 0)
        #expect(snapshot.statistics.rejectedValues == 0)
    }

    @Test func everyCaseSeriesExistsBeforeTheFirstEvent() throws {
        let recorder = InlineMetricsRecorder(entityID: "inline")
        try Self.register(in: recorder)
        let snapshot = recorder.snapshot()
        #expect(
            snapshot["s.duration"]?.dimensions.map(\.labels) == SaveOutcome.allCases.map { ["outcome": $0.metricLabel] }
        )
        #expect(snapshot["s.duration"]?.distribution("distribution", labels: ["outcome": "too_large"])?.count == 0)
        // A free-form split starts with its overflow part only.
        #expect(snapshot["s.count"]?.dimensions.map(\.labels["speed"]) == ["_overflow", "_overflow", "_overflow"])
        #expect(snapshot["s.bytes"]?.dimensions.map(\.labels) == [["kind": "_overflow"]])
        #expect(snapshot["s.last_size"]?["value", labels: ["outcome": "success"]] == .gauge(nil))
    }

    @Test func theQueuedRecorderMatchesTheInlineRecorder() throws {
        try expectQueuedMatchesInline(Self.events) { try Self.register(in: $0) }
    }

    @Test func aSplitByALabelThePartUsesIsRefused() {
        #expect(throws: MetricsError.self) {
            try CaseCountMetric("s.outcomes", of: SaveAttempt.self, label: "outcome", value: \.outcome)
                .split(by: \.outcome, label: "outcome")
        }
        #expect(throws: MetricsError.self) {
            try SumMetric("s.bytes", of: SaveAttempt.self, value: \.size).split(by: { _ in "x" }, label: "kind", cap: 0)
        }
    }

    @Test func aSplitLabelIsCheckedAtRegistration() throws {
        let recorder = InlineMetricsRecorder(entityID: "inline")
        do {
            try recorder.register(
                SumMetric("s.bytes", of: SaveAttempt.self, value: \.size).split(by: \.outcome, label: "Out Come"))
            Issue.record("an invalid label name was registered")
        } catch {
            #expect(error.code == .invalidName)
        }
    }
}
