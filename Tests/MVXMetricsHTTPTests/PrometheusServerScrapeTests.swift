import Foundation
import MVXMetricsHTTP
import MVXMetricsTestKit
import MVXMetricsTestSupport
import TCPStreamExample
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real Prometheus server scrapes the endpoint, and its query API returns
/// the values the recorders hold.
@Suite(.serialized) struct PrometheusServerScrapeTests {
    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.prometheus),
            "the prometheus server is not installed (bash .ci/run installs it)"))
    func prometheusScrapesAndQueriesTheExactValues() async throws {
        let prometheusPath = try #require(RealComponents.prometheus, "the prometheus server is required under CI")
        // Labels every series carries, set once; the scrapes are gzipped, as
        // Prometheus asks, and OpenMetrics, so they carry `_created` too.
        let runtime = MetricsRuntime(
            configuration: .init(commonLabels: ["service": "orders", "deployment.environment": "test"]))
        try await runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "tcp-stream", overflowPolicy: .block)
        for metric in try TCPStreamMetrics.all() { try recorder.register(metric) }
        for index in 0..<40 {
            recorder.record(
                TCPStreamReadAttempt(
                    outcome: index % 8 == 0 ? .timeout : .success, bytesReceived: 100, duration: .milliseconds(3)))
        }
        recorder.record(
            TCPStreamOpenAttempt(outcome: .refused, refusalReason: .connectionRefused, duration: .milliseconds(1)))
        try await recorder.flush()
        let created = "\((recorder.startedAt.timeIntervalSince1970 * 1000).rounded() / 1000)"

        let token = "scrape-token-\(UUID().uuidString)"
        try await withLiveServer(.init(bearerToken: token), snapshots: { await runtime.snapshot() }) { port in
            try await withPrometheus(prometheusPath, scraping: port, token: token) { query in
                let expectations: [(String, String)] = [
                    // Outcomes are one family labelled `outcome`: summing it
                    // counts each attempt once, and by outcome reads each case.
                    (#"sum(tcp_stream_read_attempts_total{entity_id="tcp-stream"})"#, "40"),
                    (#"sum by (outcome) (tcp_stream_read_attempts_total{outcome="timeout"})"#, "5"),
                    (#"sum by (outcome) (tcp_stream_read_attempts_total{outcome="success"})"#, "35"),
                    (#"count(tcp_stream_read_attempts_total{entity_id="tcp-stream"})"#, "6"),
                    (#"tcp_stream_received_bytes_total{entity_id="tcp-stream"}"#, "4000"),
                    (#"tcp_stream_open_attempts_refused_by_reason_total{reason="connection_refused"}"#, "1"),
                    (#"tcp_stream_read_attempts_duration_seconds_count"#, "40"),
                    (#"tcp_stream_read_attempts_duration_seconds_bucket{le="0.005"}"#, "40"),
                    (#"mvx_recorder_events_processed_total{entity_id="tcp-stream"}"#, "41"),
                    (#"sum by (service) (tcp_stream_read_attempts_total{deployment_environment="test"})"#, "40"),
                    (#"count(tcp_stream_read_attempts_total{service="orders"})"#, "6"),
                    (#"tcp_stream_received_bytes_created{entity_id="tcp-stream"}"#, created),
                    // One scrape may miss its one-second timeout on a loaded
                    // machine (then `up` is 0 until the next): what must hold
                    // is that the scrapes succeed, so the query waits for a
                    // newest scrape that did.
                    (#"up{job="mvx"} == 1"#, "1"),
                ]
                for (expression, expected) in expectations {
                    let value = try await query(expression)
                    #expect(value == expected, "\(expression)")
                }
            }
        }
        await runtime.shutdown()
    }
}
