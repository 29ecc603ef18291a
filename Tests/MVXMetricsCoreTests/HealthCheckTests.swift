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
}
