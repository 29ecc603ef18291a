import CoreMetrics
import Foundation
import Hummingbird
import MVXMetrics
import MVXMetricsHTTP
import MVXMetricsSwiftMetrics
import MVXMetricsTestSupport
import Testing

/// A Hummingbird application instrumented with its own `MetricsMiddleware`,
/// reporting through `MVXMetricsFactory` and serving `/metrics` on its own
/// router, scraped by a real Prometheus server: its metrics are found under
/// the names Hummingbird gave them.
@Suite(.serialized) struct HummingbirdScrapeTests {
    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.prometheus),
            "the prometheus server is not installed (bash .ci/run installs it)"))
    func hummingbirdsOwnMetricsKeepTheirNamesInPrometheus() async throws {
        let prometheus = try #require(RealComponents.prometheus, "the prometheus server is required under CI")
        let runtime = MetricsRuntime()
        try await runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "http-server", overflowPolicy: .block)
        let factory = try MVXMetricsFactory(recorder: recorder)

        try await withInstrumentedApplication(
            reportingTo: factory, adding: { MetricsHTTPRoutes(runtime: runtime).add(to: $0) }
        ) { base in
            for _ in 0..<5 { _ = try await httpGet(base + "/hello") }
            for _ in 0..<2 { _ = try await httpGet(base + "/fail") }
            try await recorder.flush()

            // The exposition names the instruments alone, not after the
            // bridge's four metrics.
            let exposition = try await httpGet(base + "/metrics").body
            #expect(exposition.contains("# TYPE http_server_request_duration_seconds histogram\n"))
            #expect(exposition.contains("# TYPE hb_requests_total counter\n"))
            #expect(exposition.contains("# TYPE http_server_active_requests gauge\n"))
            #expect(!exposition.contains("swift_metrics"), "\(exposition)")

            let port = try #require(URL(string: base)?.port)
            try await withPrometheus(prometheus, scraping: port, token: nil) { query in
                let hello = #"http_route="/hello",http_request_method="GET",http_response_status_code="200""#
                let expectations: [(String, String)] = [
                    ("http_server_request_duration_seconds_count{\(hello)}", "5"),
                    ("sum(http_server_request_duration_seconds_bucket{\(hello),le=\"+Inf\"})", "5"),
                    ("sum by (http_route) (hb_requests_total{\(hello)})", "5"),
                    (#"sum by (error_type) (hb_request_errors_total{http_route="/fail"})"#, "2"),
                    (#"count(http_server_active_requests{entity_id="http-server"})"#, "1"),
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
