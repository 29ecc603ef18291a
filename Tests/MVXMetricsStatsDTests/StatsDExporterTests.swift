import Foundation
import MVXMetricsStatsD
import MVXMetricsTestKit
import Testing

private enum Outcome: MetricCase { case success, refused }
private enum Reason: MetricCase { case tls, policy }

private struct Call: MetricEvent {
    static let eventType = "statsd_test.call.attempt"
    var outcome: Outcome
    var reason: Reason?
    var duration: Duration
    var temperature: Double
}

@Suite struct StatsDExporterTests {
    private static func recorder() throws -> InlineMetricsRecorder {
        let recorder = InlineMetricsRecorder(entityID: "api")
        try recorder.register(OutcomeMetric("statsd_test.calls", of: Call.self, outcome: \.outcome))
        try recorder.register(
            CaseCountMetric(
                "statsd_test.refusals", of: Call.self, dimension: "refused_total", label: "reason", value: \.reason))
        try recorder.register(
            DistributionMetric(
                "statsd_test.latency", of: Call.self, buckets: try HistogramBuckets([0.01, 0.1]), value: \.duration))
        try recorder.register(LastValueMetric("statsd_test.temperature", of: Call.self, value: \.temperature))
        return recorder
    }

    @Test func theWireBytesAreExact() async throws {
        let listener = try UDPListener()
        let recorder = try Self.recorder()
        let exporter = try StatsDExporter(configuration: .init(port: listener.port, prefix: "mvx")) {
            [recorder.snapshot()]
        }
        recorder.record(Call(outcome: .success, duration: .milliseconds(5), temperature: 20.5))
        recorder.record(Call(outcome: .refused, reason: .tls, duration: .milliseconds(50), temperature: -3))
        await exporter.export()
        #expect(
            listener.receive() == [
                """
                mvx.api.statsd_test.calls:2|c
                mvx.api.statsd_test.calls.success_total:1|c
                mvx.api.statsd_test.calls.refused_total:1|c
                mvx.api.statsd_test.latency:10|ms
                mvx.api.statsd_test.latency:50|ms
                mvx.api.statsd_test.refusals.refused_total.reason.tls:1|c
                mvx.api.statsd_test.temperature:0|g
                mvx.api.statsd_test.temperature:-3|g
                """
            ])
        // Only what changed goes out next time: counters as growth.
        recorder.record(Call(outcome: .success, duration: .milliseconds(500), temperature: -3))
        await exporter.export()
        #expect(
            listener.receive() == [
                """
                mvx.api.statsd_test.calls:1|c
                mvx.api.statsd_test.calls.success_total:1|c
                mvx.api.statsd_test.latency:500|ms
                """
            ])
        #expect(exporter.statistics.datagramsSent == 2)
        #expect(exporter.statistics.linesSent == 11)
    }

    @Test func dogStatsDTagsCarryTheLabels() async throws {
        let listener = try UDPListener()
        let recorder = try Self.recorder()
        let exporter = try StatsDExporter(configuration: .init(port: listener.port, tagStyle: .dogStatsD)) {
            [recorder.snapshot()]
        }
        recorder.record(Call(outcome: .refused, reason: .policy, duration: .milliseconds(5), temperature: 1))
        await exporter.export()
        let lines = listener.receive().flatMap { $0.split(separator: "\n").map(String.init) }
        #expect(lines.contains("statsd_test.refusals.refused_total:1|c|#entity_id:api,reason:policy"))
        #expect(lines.contains("statsd_test.calls:1|c|#entity_id:api"))
        #expect(lines.contains("statsd_test.latency:5|ms|#entity_id:api"))
    }

    /// The runtime's common labels are tags of every line, for the runtime's
    /// recorders and for an inline recorder's snapshot alike; a series' own
    /// label and the entity id win over them.
    @Test func commonLabelsAreTagsOfEveryLine() async throws {
        let listener = try UDPListener()
        let runtime = MetricsRuntime(
            configuration: .init(commonLabels: ["service": "orders", "reason": "hidden", "entity_id": "hidden"]))
        try await runtime.start()
        let exporter = try StatsDExporter(
            runtime: runtime, configuration: .init(port: listener.port, tagStyle: .dogStatsD, interval: .seconds(3600)))
        let recorder = try runtime.makeRecorder(entityID: "api", overflowPolicy: .block)
        try recorder.register(
            CaseCountMetric(
                "statsd_test.refusals", of: Call.self, dimension: "refused_total", label: "reason", value: \.reason))
        recorder.record(Call(outcome: .refused, reason: .policy, duration: .milliseconds(5), temperature: 1))
        await exporter.export()
        await runtime.shutdown()
        #expect(
            listener.receive() == ["statsd_test.refusals.refused_total:1|c|#entity_id:api,reason:policy,service:orders"]
        )

        let other = InlineMetricsRecorder(entityID: "batch", commonLabels: ["service": "jobs"])
        try other.register(OutcomeMetric("statsd_test.calls", of: Call.self, outcome: \.outcome))
        other.record(Call(outcome: .success, duration: .milliseconds(5), temperature: 1))
        let inline = try StatsDExporter(configuration: .init(port: listener.port, tagStyle: .dogStatsD)) {
            [other.snapshot()]
        }
        await inline.export()
        let lines = listener.receive().flatMap { $0.split(separator: "\n").map(String.init) }
        #expect(lines.contains("statsd_test.calls:1|c|#entity_id:batch,service:jobs"))
    }

    @Test func anUnsetGaugeSendsNothingUntilItIsSet() async throws {
        let listener = try UDPListener()
        let recorder = InlineMetricsRecorder(entityID: "api")
        try recorder.register(LastValueMetric("statsd_test.temperature", of: Call.self, value: \.temperature))
        try recorder.register(EventCountMetric("statsd_test.calls", of: Call.self))
        let exporter = try StatsDExporter(configuration: .init(port: listener.port, prefix: "mvx")) {
            [recorder.snapshot()]
        }
        await exporter.export()
        // The counter's zero is not a change either: nothing at all goes out.
        #expect(exporter.statistics.linesSent == 0)
        recorder.record(Call(outcome: .success, duration: .zero, temperature: 20.5))
        await exporter.export()
        #expect(listener.receive() == ["mvx.api.statsd_test.calls:1|c\nmvx.api.statsd_test.temperature:20.5|g"])
    }

    @Test func dimensionsNamedAloneAreSentUnderTheirOwnName() async throws {
        // The swift-metrics bridge's shape: the metric only groups instruments.
        let snapshot = RecorderSnapshot(
            entityID: "http", takenAt: Date(timeIntervalSince1970: 0),
            metrics: [
                MetricSnapshot(
                    name: "swift_metrics.counters",
                    dimensions: [MetricDimension("hb_requests", labels: ["http_route": "/a"], value: .counter(2))],
                    naming: .dimension)
            ], statistics: .init())
        for (style, expected) in [
            (StatsDExporter.Configuration.TagStyle.none, "mvx.http.hb_requests.http_route._a:2|c"),
            (.dogStatsD, "mvx.hb_requests:2|c|#entity_id:http,http_route:/a"),
        ] {
            let listener = try UDPListener()
            let exporter = try StatsDExporter(configuration: .init(port: listener.port, prefix: "mvx", tagStyle: style))
            {
                [snapshot]
            }
            await exporter.export()
            #expect(listener.receive() == [expected])
        }
    }

    @Test func linesArePackedUnderTheDatagramLimit() async throws {
        let listener = try UDPListener()
        let recorder = InlineMetricsRecorder(entityID: "many")
        struct Hit: MetricEvent {
            static let eventType = "statsd_test.hit"
            var route: String
        }
        try recorder.register(
            LabelCountMetric("statsd_test.hits", of: Hit.self, label: "route", cap: 500, value: \.route))
        for index in 0..<300 { recorder.record(Hit(route: "/route/\(index)")) }
        let exporter = try StatsDExporter(configuration: .init(port: listener.port, maximumDatagramSize: 512)) {
            [recorder.snapshot()]
        }
        await exporter.export()
        let datagrams = listener.receive()
        #expect(datagrams.count > 1)
        #expect(datagrams.allSatisfy { $0.utf8.count <= 512 })
        let lines = datagrams.flatMap { $0.split(separator: "\n") }
        #expect(lines.count == 300)
        #expect(Set(lines).count == 300)
        #expect(exporter.statistics.datagramsSent == UInt64(datagrams.count))
    }

    @Test func aServerThatIsNotThereNeverBlocksAndDropsAreCounted() async throws {
        let recorder = try Self.recorder()
        // A port nothing listens on: the kernel answers the first datagram
        // with "unreachable", and later sends fail at once.
        let port = try { try UDPListener().port }()  // closed again at once
        let exporter = try StatsDExporter(configuration: .init(port: port)) { [recorder.snapshot()] }
        let start = ContinuousClock.now
        for index in 0..<200 {
            recorder.record(Call(outcome: .success, duration: .milliseconds(index % 50), temperature: Double(index)))
            await exporter.export()
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        let statistics = exporter.statistics
        #expect(statistics.datagramsSent + statistics.datagramsDropped == 200)
        #expect(statistics.datagramsDropped > 0)
    }

    @Test func invalidConfigurationsAreTypedErrors() throws {
        let recorder = try Self.recorder()
        for configuration in [
            StatsDExporter.Configuration(host: "statsd.example"), StatsDExporter.Configuration(port: 0),
            StatsDExporter.Configuration(maximumDatagramSize: 10),
        ] {
            let error = #expect(throws: MetricsError.self) {
                try StatsDExporter(configuration: configuration) { [recorder.snapshot()] }
            }
            #expect(error?.code == .invalidConfiguration)
        }
    }
}
