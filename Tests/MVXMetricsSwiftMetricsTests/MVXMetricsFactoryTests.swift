import CoreMetrics
import Foundation
import Hummingbird
import MVXMetricsSwiftMetrics
import MVXMetricsTestKit
import MetricsTestKit
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite struct MVXMetricsFactoryTests {
    /// The same swift-metrics calls, made against any factory.
    private static func script(_ factory: any MetricsFactory) {
        let requests = Counter(label: "app.requests", dimensions: [("route", "/a")], factory: factory)
        requests.increment()
        requests.increment(by: 4)
        Counter(label: "app.requests", dimensions: [("route", "/b")], factory: factory).increment(by: 2)
        let resets = Counter(label: "app.resets", factory: factory)
        resets.increment(by: 9)
        resets.reset()
        resets.increment(by: 3)
        let meter = Meter(label: "app.connections", factory: factory)
        meter.set(10)
        meter.increment(by: 5)
        meter.decrement(by: 2)
        meter.increment(by: -7)  // dropped, as swift-metrics' test kit drops it
        meter.decrement(by: Double.nan)  // dropped
        Gauge(label: "app.temperature", factory: factory).record(21.5)
        let sizes = Recorder(label: "app.payload_size", dimensions: [("kind", "json")], factory: factory)
        for size in [120, 80, 4000] { sizes.record(size) }
        let latency = CoreMetrics.Timer(label: "app.latency", factory: factory)
        for milliseconds in [3, 40, 900] { latency.recordMilliseconds(milliseconds) }
    }

    @Test func callsFromSwiftMetricsLandInOneMVXSnapshotAsTheTestKitSeesThem() throws {
        let testMetrics = TestMetrics()
        Self.script(testMetrics)
        let probe = TestMetricsRecorder(entityID: "swift-metrics")
        let factory = try MVXMetricsFactory(recorder: probe)
        Self.script(factory)

        let counters = try #require(probe.snapshot(metric: "swift_metrics.counters"))
        #expect(
            counters.count("app_requests", labels: ["route": "/a"])
                == UInt64(try testMetrics.expectCounter("app.requests", [("route", "/a")]).totalValue))
        #expect(counters.count("app_requests", labels: ["route": "/a"]) == 5)
        #expect(counters.count("app_requests", labels: ["route": "/b"]) == 2)
        #expect(counters.count("app_resets") == UInt64(try testMetrics.expectCounter("app.resets").totalValue))
        #expect(counters.count("app_resets") == 3)

        let gauges = try #require(probe.snapshot(metric: "swift_metrics.gauges"))
        #expect(gauges.value("app_connections") == (try testMetrics.expectMeter("app.connections").lastValue))
        #expect(gauges.value("app_connections") == 13)
        #expect(gauges.value("app_temperature") == (try testMetrics.expectGauge("app.temperature").lastValue))

        let recorded = try testMetrics.expectRecorder("app.payload_size", [("kind", "json")]).values
        let sizes = try #require(
            probe.distribution("swift_metrics.recorders", "app_payload_size", labels: ["kind": "json"]))
        #expect(sizes.count == UInt64(recorded.count))
        #expect(sizes.sum == recorded.reduce(0, +))
        #expect(sizes.max == recorded.max())

        let timed = try testMetrics.expectTimer("app.latency").values
        let latency = try #require(probe.distribution("swift_metrics.timers", "app_latency"))
        #expect(latency.count == UInt64(timed.count))
        #expect((latency.sum - Double(timed.reduce(0, +)) / 1e9).magnitude < 1e-12)
        #expect(latency.min == 0.003)
        #expect(probe.snapshot(metric: "swift_metrics.timers")?.dimensions.first?.unit == .seconds)
        #expect(probe.statistics.rejectedValues == 0)
    }

    @Test func seriesExistFromTheirHandlerAndNamesStayApart() throws {
        let probe = TestMetricsRecorder()
        let factory = try MVXMetricsFactory(recorder: probe, metricNamePrefix: "lib")
        _ = Counter(label: "http.requests", factory: factory)
        _ = Counter(label: "http_requests", factory: factory)  // same name once made valid
        _ = Counter(label: "9lives", dimensions: [("__weird key", "v")], factory: factory)
        let counters = try #require(probe.snapshot(metric: "lib.counters"))
        #expect(
            counters.dimensions.map(\.key)
                == ["http_requests 0", "http_requests_2 0", #"m_9lives{_weird_key="v"} 0"#].map {
                    $0.components(separatedBy: " ")[0]
                })
        #expect(counters.dimensions.allSatisfy { $0.value == .counter(0) })
        #expect(throws: MetricsError.self) { try MVXMetricsFactory(recorder: probe, metricNamePrefix: "lib") }
        #expect(throws: MetricsError.self) { try MVXMetricsFactory(recorder: probe, metricNamePrefix: "Not Valid") }
    }

    @Test func anyLabelBecomesAValidDistinctNameWithinTheLimits() throws {
        let probe = TestMetricsRecorder()
        let factory = try MVXMetricsFactory(recorder: probe, metricNamePrefix: "lib")
        let long = String(repeating: "a", count: 150)
        let counters: [(label: String, dimensions: [(String, String)], amount: Int64)] = [
            ("", [], 1),
            (long + ".x", [], 2),
            (long + "_y", [], 3),
            ("status", [("status-code", "200"), ("status.code", "201"), ("", "empty")], 4),
        ]
        for counter in counters {
            Counter(label: counter.label, dimensions: counter.dimensions, factory: factory).increment(
                by: counter.amount)
        }
        let snapshot = try #require(probe.snapshot(metric: "lib.counters"))
        #expect(snapshot.dimensions.count == 4)
        // Both long labels begin alike for the first 100 characters: they
        // stay apart, and the second is shortened to fit its suffix.
        let names = snapshot.dimensions.map(\.name)
        #expect(names == ["m_", String(long.prefix(100)), String(long.prefix(98)) + "_2", "status"])
        #expect(names.allSatisfy(MetricNaming.isValidDimensionName))
        #expect(snapshot.dimensions.map(\.value) == [.counter(1), .counter(2), .counter(3), .counter(4)])
        // Each dimension key keeps its value under a valid, distinct label.
        let labels = snapshot.dimensions[3].labels
        #expect(labels == ["status_code": "200", "status_code_2": "201", "_": "empty"])
        #expect(labels.keys.allSatisfy(MetricNaming.isValidLabelName))
    }

    @Test func aRealLibraryReportingThroughSwiftMetricsIsAggregatedExactly() async throws {
        let runtime = MetricsRuntime()
        try await runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "http-server", overflowPolicy: .block)
        let factory = try MVXMetricsFactory(recorder: recorder)

        // Hummingbird's own MetricsMiddleware reports through swift-metrics.
        try await withInstrumentedApplication(reportingTo: factory) { base in
            for _ in 0..<5 { _ = try await URLSession.shared.data(from: URL(string: base + "/hello")!) }
            for _ in 0..<2 { _ = try await URLSession.shared.data(from: URL(string: base + "/fail")!) }
        }
        try await recorder.flush()

        let snapshot = await recorder.snapshot()
        let hello = ["http_route": "/hello", "http_request_method": "GET", "http_response_status_code": "200"]
        #expect(snapshot["swift_metrics.counters"]?.count("hb_requests", labels: hello) == 5)
        let failed = ["http_route": "/fail", "http_request_method": "GET", "error_type": "400"]
        #expect(snapshot["swift_metrics.counters"]?.count("hb_request_errors", labels: failed) == 2)
        #expect(
            snapshot["swift_metrics.timers"]?.distribution("http_server_request_duration", labels: hello)?.count == 5)
        #expect(
            snapshot["swift_metrics.gauges"]?.value(
                "http_server_active_requests", labels: ["http_request_method": "GET"]) == 0)
        #expect(snapshot.statistics.isBalanced)
        await runtime.shutdown()
    }
}
