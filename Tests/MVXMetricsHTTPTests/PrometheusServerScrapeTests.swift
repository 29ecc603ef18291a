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
        let runtime = MetricsRuntime()
        try await runtime.start()
        let recorder = try runtime.createRecorder(named: "tcp-stream", overflowPolicy: .block)
        for metric in try TCPStreamMetrics.all() { try recorder.register(metric) }
        for index in 0..<40 {
            recorder.record(
                TCPStreamReadAttempt(
                    outcome: index % 8 == 0 ? .timeout : .success, bytesReceived: 100, duration: .milliseconds(3)))
        }
        recorder.record(
            TCPStreamOpenAttempt(outcome: .refused, refusalReason: .connectionRefused, duration: .milliseconds(1)))
        try await recorder.flush()

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

/// Runs a Prometheus server on 127.0.0.1 with a temporary storage folder that
/// scrapes `127.0.0.1:port` every second, and gives `body` a query function
/// that polls until the expression has a value (bounded by a deadline). The
/// scrape timeout (so the interval, which bounds it) and the deadline are
/// scaled (``Swift/Duration/scaled``): the timeout bounds how long the server
/// under test may take to answer.
func withPrometheus(
    _ executable: String, scraping port: Int, token: String?,
    _ body: (_ query: @Sendable (String) async throws -> String) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
        at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let authorization = token.map { "\n    authorization:\n      credentials: \"\($0)\"" } ?? ""
    let interval = "\(Duration.seconds(1).scaled.components.seconds)s"
    let configuration = """
        global:
          scrape_interval: \(interval)
          evaluation_interval: \(interval)
        scrape_configs:
          - job_name: mvx
            scrape_interval: \(interval)
            scrape_timeout: \(interval)
            metrics_path: /metrics\(authorization)
            static_configs:
              - targets: ["127.0.0.1:\(port)"]

        """
    try configuration.write(to: folder.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
    let webPort = freePort()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = [
        "--config.file=\(folder.appendingPathComponent("prometheus.yml").path)",
        "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
        "--web.listen-address=127.0.0.1:\(webPort)", "--log.level=warn",
    ]
    let log = Pipe()
    process.standardOutput = log
    process.standardError = log
    try process.run()
    defer { killProcess(process) }
    let base = "http://127.0.0.1:\(webPort)"
    try await body { expression in
        // The first sample appears about five seconds after start: poll.
        let deadline = ContinuousClock.now.advanced(by: .seconds(60).scaled)
        var lastResponse = ""
        while ContinuousClock.now < deadline {
            var components = URLComponents(string: base + "/api/v1/query")!
            components.queryItems = [URLQueryItem(name: "query", value: expression)]
            if let result = try? await httpGet(components.url!.absoluteString), result.status == 200 {
                lastResponse = result.body
                if let value = firstValue(result.body) { return value }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw PrometheusQueryTimeout(expression: expression, lastResponse: lastResponse)
    }
}

struct PrometheusQueryTimeout: Error, CustomStringConvertible {
    let expression: String
    let lastResponse: String
    var description: String { "no value for \(expression) within the deadline; last response: \(lastResponse)" }
}

/// The value of the first series in a Prometheus instant-query response.
private func firstValue(_ body: String) -> String? {
    guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
        let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]],
        let value = result.first?["value"] as? [Any], value.count == 2
    else { return nil }
    return value[1] as? String
}
