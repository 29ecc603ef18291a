import MVXMetricsTestKit
import Testing

private enum Outcome: MetricCase { case success, failure }

private struct Attempt: MetricEvent {
    static let eventType = "probe.attempt"
    var outcome: Outcome
    var size: ByteCount
}

private struct Other: MetricEvent {
    static let eventType = "probe.other"
}

@Suite struct TestMetricsRecorderTests {
    private func probe() throws -> TestMetricsRecorder {
        let probe = TestMetricsRecorder()
        try probe.register(OutcomeMetric("probe.attempts", of: Attempt.self, outcome: \.outcome))
        try probe.register(SumMetric("probe.bytes", of: Attempt.self, value: \.size))
        return probe
    }

    @Test func capturesEventsInOrderAndAppliesThem() throws {
        let probe = try probe()
        probe.record(Attempt(outcome: .success, size: 10))
        probe.record(Other())
        probe.record(Attempt(outcome: .failure, size: 5))
        #expect(probe.eventTypes == ["probe.attempt", "probe.other", "probe.attempt"])
        #expect(probe.events(of: Attempt.self).map(\.outcome) == [.success, .failure])
        #expect(probe.events(of: Other.self).count == 1)
        #expect(probe.count("probe.attempts", "success_total") == 1)
        #expect(probe.value("probe.bytes", "total") == 15)
        #expect(probe.unroutedEventTypes == ["probe.other"])
        #expect(probe.consumers(of: Attempt.self) == ["probe.attempts", "probe.bytes"])
        try probe.expect("probe.attempts", "failure_total", count: 1)
        try probe.expect("probe.bytes", "total", value: 15)
    }

    @Test func failedExpectationsSayWhatWasExpectedAndFound() throws {
        let probe = try probe()
        probe.record(Attempt(outcome: .success, size: 10))

        let wrongCount = #expect(throws: MetricExpectationFailure.self) {
            try probe.expect("probe.attempts", "success_total", count: 3)
        }
        #expect(wrongCount?.message == "expected probe.attempts success_total to count 3, but it is counter 1")
        #expect(wrongCount?.description.contains("probe.attempts failure_total 0") == true)

        let missingMetric = #expect(throws: MetricExpectationFailure.self) {
            try probe.expect("probe.nothing", "total", count: 0)
        }
        #expect(missingMetric?.message == "no metric named probe.nothing; registered: probe.attempts, probe.bytes")

        let missingDimension = #expect(throws: MetricExpectationFailure.self) {
            try probe.expect("probe.attempts", "total", labels: ["reason": "x"], count: 0)
        }
        #expect(missingDimension?.message == "metric probe.attempts has no dimension total{reason=\"x\"}")

        let wrongValue = #expect(throws: MetricExpectationFailure.self) {
            try probe.expect("probe.bytes", "total", value: 11, tolerance: 0.5)
        }
        #expect(wrongValue?.message == "expected probe.bytes total to be 11.0, but it is counter 10")
        try probe.expect("probe.bytes", "total", value: 10.4, tolerance: 0.5)
    }

    @Test func replayRebuildsTheSameSnapshot() throws {
        let original = try probe()
        for index in 0..<50 {
            original.record(Attempt(outcome: index % 3 == 0 ? .failure : .success, size: ByteCount(index)))
        }
        let rebuilt = try probe()
        original.replay(into: rebuilt)
        #expect(rebuilt.snapshot().metrics == original.snapshot().metrics)
        #expect(rebuilt.events.count == 50)

        original.clearEvents()
        #expect(original.events.isEmpty)
        #expect(original.count("probe.attempts", "total") == 50)
    }
}
