import Foundation
import MVXMetricsCore
import Testing

/// Health checks run on snapshots with the API module alone: no engine, no
/// HTTP server, no Hummingbird in this test target.
@Suite struct HealthCheckTests {
    private func snapshot(failures: UInt64, successes: UInt64) -> RecorderSnapshot {
        RecorderSnapshot(
            entityID: "tcp", takenAt: Date(timeIntervalSince1970: 0),
            metrics: [
                MetricSnapshot(
                    name: "tcp_stream.read.attempts",
                    dimensions: [
                        MetricDimension("total", value: .counter(failures + successes)),
                        MetricDimension("failure_total", value: .counter(failures)),
                        MetricDimension("success_total", value: .counter(successes)),
                    ])
            ], statistics: RecorderStatistics())
    }

    @Test func aRatioCheckRunsWithoutTheHTTPProduct() throws {
        let readFailures = HealthCheck.ratio(
            "tcp read failures below 5%", metric: "tcp_stream.read.attempts", numerator: ["failure_total"],
            below: 0.05)
        let healthy = HealthReport(checks: [readFailures], snapshots: [snapshot(failures: 1, successes: 99)])
        #expect(healthy.passed && healthy.status == "pass")
        #expect(healthy.checks.map(\.value) == [0.01])
        let failing = HealthReport(checks: [readFailures], snapshots: [snapshot(failures: 10, successes: 90)])
        #expect(!failing.passed && failing.status == "fail")
        #expect(failing.checks.map(\.name) == ["tcp read failures below 5%"])
    }

    /// The factories declare what they check, so other tools can read it;
    /// a closure declares nothing.
    @Test func declaredChecksCarryTheirCondition() {
        let ratio = HealthCheck.ratio(
            "reads", metric: "tcp_stream.read.attempts", numerator: ["failure_total"], below: 0.05, recorder: "tcp")
        #expect(
            ratio.condition
                == .ratio(
                    metric: "tcp_stream.read.attempts", numerator: ["failure_total"], denominator: "total", below: 0.05,
                    recorder: "tcp"))
        #expect(ratio.condition?.dimensions == ["failure_total", "total"])
        #expect(ratio.condition?.recorder == "tcp")
        let value = HealthCheck.value("few", metric: "tcp_stream.read.attempts", dimension: "total", below: 10)
        #expect(
            value.condition == .value(metric: "tcp_stream.read.attempts", dimension: "total", below: 10, recorder: nil))
        #expect(value.condition?.metric == "tcp_stream.read.attempts")
        #expect(value.condition?.threshold == 10)
        #expect(HealthCheck("closure") { _ in .init(passed: true, detail: "") }.condition == nil)
    }

    /// A check made from a condition runs as the factory's does.
    @Test func aConditionRunsInProcess() {
        let condition = HealthCheck.Condition.ratio(
            metric: "tcp_stream.read.attempts", numerator: ["failure_total"], denominator: "total", below: 0.05,
            recorder: nil)
        let check = HealthCheck("reads", condition: condition)
        #expect(
            check.run([snapshot(failures: 10, successes: 90)])
                == .init(
                    passed: false, value: 0.1, detail: "failure_total / total = 0.1, threshold 0.05"))
        #expect(
            check.run([snapshot(failures: 0, successes: 0)]) == .init(passed: true, value: 0, detail: "no total yet"))
        // Summed across recorders: 10 of 300.
        #expect(check.run([snapshot(failures: 10, successes: 90), snapshot(failures: 0, successes: 200)]).passed)
        #expect(
            check.run([]) == .init(passed: false, detail: "no recorder has a metric named tcp_stream.read.attempts"))
        let misspelt = HealthCheck.value("x", metric: "tcp_stream.read.attempts", dimension: "totl", below: 1)
        #expect(
            misspelt.run([snapshot(failures: 0, successes: 0)])
                == .init(passed: false, detail: "tcp_stream.read.attempts has no dimension totl"))
    }
}
