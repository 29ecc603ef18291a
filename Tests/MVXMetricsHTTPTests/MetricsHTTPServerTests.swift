import Foundation
import MVXMetricsHTTP
import MVXMetricsPrometheus
import MVXMetricsTestKit
import MVXMetricsTestSupport
import Testing

private enum Outcome: MetricCase { case success, failure }

private struct Read: MetricEvent {
    static let eventType = "http_test.read.attempt"
    var outcome: Outcome
}

@Suite struct MetricsHTTPServerTests {
    private static func recorder(failures: Int, successes: Int) throws -> InlineMetricsRecorder {
        let recorder = InlineMetricsRecorder(entityID: "http-test")
        try recorder.register(OutcomeMetric("http_test.read.attempts", of: Read.self, outcome: \.outcome))
        for _ in 0..<failures { recorder.record(Read(outcome: .failure)) }
        for _ in 0..<successes { recorder.record(Read(outcome: .success)) }
        return recorder
    }

    private static let readFailures = HealthCheck.ratio(
        "read failures below 5%", metric: "http_test.read.attempts", numerator: ["failure_total"], below: 0.05)

    /// `name[]` parameters select families, the key written plainly or
    /// percent-encoded; a name that matches nothing selects nothing.
    @Test func nameParametersSelectFamilies() async throws {
        let recorder = try Self.recorder(failures: 1, successes: 3)
        try await withLiveServer(snapshots: { [recorder.snapshot()] }) { port in
            let base = "http://127.0.0.1:\(port)/metrics"
            for query in ["?name[]=http_test_read_attempts_total", "?name%5B%5D=http_test_read_attempts_total&other=1"]
            {
                let selected = try await httpGet(base + query)
                #expect(selected.status == 200)
                #expect(
                    selected.body == """
                        # HELP http_test_read_attempts_total http_test.read.attempts total
                        # TYPE http_test_read_attempts_total counter
                        http_test_read_attempts_total{entity_id="http-test",outcome="failure"} 1
                        http_test_read_attempts_total{entity_id="http-test",outcome="success"} 3

                        """, "\(query)")
            }
            let two = try await httpGet(
                base + "?name[]=mvx_recorder_events_processed_total&name[]=http_test_read_attempts")
            #expect(two.body.contains("# TYPE mvx_recorder_events_processed_total counter"))
            #expect(two.body.contains("# TYPE http_test_read_attempts_total counter"))
            #expect(!two.body.contains("mvx_recorder_events_accepted_total"))
            let none = try await httpGet(base + "?name[]=no_such_family")
            #expect(none.status == 200)
            #expect(none.body == "")
            let unrelated = try await httpGet(base + "?names=x")
            #expect(unrelated.body.contains("mvx_recorder_events_accepted_total"))
        }
    }

    @Test func metricsNegotiatesTheFormat() async throws {
        let recorder = try Self.recorder(failures: 1, successes: 3)
        try await withLiveServer(snapshots: { [recorder.snapshot()] }) { port in
            let text = try await httpGet("http://127.0.0.1:\(port)/metrics")
            #expect(text.status == 200)
            #expect(text.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
            #expect(text.body.contains(#"http_test_read_attempts_total{entity_id="http-test",outcome="failure"} 1"#))
            #expect(text.body.contains(#"http_test_read_attempts_total{entity_id="http-test",outcome="success"} 3"#))
            #expect(!text.body.contains(#"http_test_read_attempts_total{entity_id="http-test"} "#))
            #expect(!text.body.contains("# EOF"))

            let openMetrics = try await httpGet(
                "http://127.0.0.1:\(port)/metrics",
                headers: ["Accept": "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"])
            #expect(
                openMetrics.header("Content-Type")
                    == "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores")
            #expect(openMetrics.body.hasSuffix("# EOF\n"))
            #expect(openMetrics.body.contains("# TYPE http_test_read_attempts counter"))

            let preferringText = try await httpGet(
                "http://127.0.0.1:\(port)/metrics", headers: ["Accept": "application/openmetrics-text;q=0.1,text/plain"]
            )
            #expect(
                preferringText.header("Content-Type")
                    == "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
        }
    }

    @Test func snapshotReturnsTheStableJSON() async throws {
        let recorder = try Self.recorder(failures: 2, successes: 0)
        try await withLiveServer(snapshots: { [recorder.snapshot()] }) { port in
            let result = try await httpGet("http://127.0.0.1:\(port)/snapshot")
            #expect(result.status == 200)
            #expect(result.header("Content-Type") == "application/json")
            let decoded = try MetricsJSON.decoder().decode([RecorderSnapshot].self, from: Data(result.body.utf8))
            #expect(decoded.first?.entityID == "http-test")
            #expect(decoded.first?["http_test.read.attempts"]?.count("failure_total") == 2)
        }
    }

    @Test func healthIs200WhenEveryCheckPassesAnd503Otherwise() async throws {
        let healthy = try Self.recorder(failures: 1, successes: 99)
        try await withLiveServer(.init(healthChecks: [Self.readFailures]), snapshots: { [healthy.snapshot()] }) {
            port in
            let result = try await httpGet("http://127.0.0.1:\(port)/health")
            #expect(result.status == 200)
            let report = try MetricsJSON.decoder().decode(HealthReport.self, from: Data(result.body.utf8))
            #expect(report.status == "pass")
            #expect(report.checks.map(\.name) == ["read failures below 5%"])
            #expect(report.checks.first?.value == 0.01)
        }
        let unhealthy = try Self.recorder(failures: 10, successes: 90)
        let alwaysFine = HealthCheck("always fine") { _ in .init(passed: true, detail: "fine") }
        try await withLiveServer(
            .init(healthChecks: [alwaysFine, Self.readFailures]), snapshots: { [unhealthy.snapshot()] }
        ) { port in
            let result = try await httpGet("http://127.0.0.1:\(port)/health")
            #expect(result.status == 503)
            let report = try MetricsJSON.decoder().decode(HealthReport.self, from: Data(result.body.utf8))
            #expect(report.status == "fail")
            #expect(report.checks.map(\.passed) == [true, false])
            #expect(report.checks.last?.value == 0.1)
        }
    }

    @Test func aBearerTokenProtectsEveryRoute() async throws {
        let recorder = try Self.recorder(failures: 0, successes: 1)
        try await withLiveServer(.init(bearerToken: "s3cret-token"), snapshots: { [recorder.snapshot()] }) { port in
            for path in ["metrics", "snapshot", "health", "nowhere"] {
                let anonymous = try await httpGet("http://127.0.0.1:\(port)/\(path)")
                #expect(anonymous.status == 401, "\(path)")
                #expect(anonymous.header("WWW-Authenticate") == #"Bearer realm="mvx-metrics""#)
                #expect(anonymous.body == #"{"error":"unauthorized"}"#)
                for wrong in [
                    "Bearer s3cret-tokeN", "Bearer s3cret-token2", "Bearer ", "Basic s3cret-token", "s3cret-token",
                ] {
                    #expect(
                        try await httpGet("http://127.0.0.1:\(port)/\(path)", headers: ["Authorization": wrong]).status
                            == 401)
                }
            }
            let authorized = try await httpGet(
                "http://127.0.0.1:\(port)/metrics", headers: ["Authorization": "Bearer s3cret-token"])
            #expect(authorized.status == 200)
            #expect(
                try await httpGet("http://127.0.0.1:\(port)/health", headers: ["Authorization": "bearer s3cret-token"])
                    .status == 200)
        }
    }

    @Test func unknownRoutesAre404WithoutDetail() async throws {
        try await withLiveServer(snapshots: { [] }) { port in
            let result = try await httpGet("http://127.0.0.1:\(port)/admin")
            #expect(result.status == 404)
            #expect(result.body == #"{"error":"not found"}"#)
        }
    }

    @Test func itBindsTheLoopbackInterfaceByDefault() async throws {
        #expect(MetricsHTTPServer.Configuration().host == "127.0.0.1")
        #expect(MetricsHTTPServer.Configuration().port == 9464)
        let outside = nonLoopbackIPv4Addresses()
        try await withLiveServer(snapshots: { [] }) { port in
            let status = try await httpGet("http://127.0.0.1:\(port)/metrics").status
            #expect(status == 200)
            // Reachable on loopback only: any other address of this host refuses.
            for address in outside {
                #expect(!canConnect(address, port), "reachable on \(address)")
            }
        }
    }

    @Test func healthChecksFailOnMissingNamesAndPassWithoutData() throws {
        let recorder = try Self.recorder(failures: 0, successes: 0)
        let snapshots = [recorder.snapshot()]
        let empty = Self.readFailures.run(snapshots)
        #expect(empty.passed)
        #expect(empty.detail == "no total yet")
        let misspelt = HealthCheck.ratio("x", metric: "http_test.reads", numerator: ["failure_total"], below: 1).run(
            snapshots)
        #expect(!misspelt.passed)
        #expect(misspelt.detail == "no recorder has a metric named http_test.reads")
        let badDimension = HealthCheck.ratio(
            "x", metric: "http_test.read.attempts", numerator: ["oops_total"], below: 1
        )
        .run(snapshots)
        #expect(!badDimension.passed)
        let otherRecorder = HealthCheck.ratio(
            "x", metric: "http_test.read.attempts", numerator: ["failure_total"], below: 1, recorder: "elsewhere"
        ).run(snapshots)
        #expect(!otherRecorder.passed)
        let level = HealthCheck.value("y", metric: "http_test.read.attempts", dimension: "total", below: 1).run(
            snapshots)
        #expect(level.passed)
        #expect(level.value == 0)
    }
}
