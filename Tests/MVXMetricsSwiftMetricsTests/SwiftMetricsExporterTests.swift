import CoreMetrics
import Logging
import MVXMetricsSwiftMetrics
import MVXMetricsTestKit
import MetricsTestKit
import ServiceLifecycle
import Testing

private enum Outcome: MetricCase { case success, failure }

private struct Save: MetricEvent {
    static let eventType = "exporter_test.save.attempt"
    var outcome: Outcome
    var size: ByteCount
    var duration: Duration
    var level: Double
}

@Suite struct SwiftMetricsExporterTests {
    private static func register(_ recorder: some RegisteringMetricsRecorder) throws {
        try recorder.register(OutcomeMetric("exporter_test.save.attempts", of: Save.self, outcome: \.outcome))
        try recorder.register(SumMetric("exporter_test.save.bytes", of: Save.self, value: \.size))
        try recorder.register(
            SumMetric("exporter_test.save.busy", of: Save.self, dimension: "busy_seconds", value: \.duration))
        try recorder.register(
            DistributionMetric(
                "exporter_test.save.duration", of: Save.self, dimension: "seconds",
                buckets: try HistogramBuckets([0.01, 0.1]),
                value: \.duration))
        try recorder.register(
            DistributionMetric(
                "exporter_test.save.size", of: Save.self, buckets: try HistogramBuckets([100, 1000]), value: \.size))
        try recorder.register(LastValueMetric("exporter_test.queue.level", of: Save.self, value: \.level))
    }

    /// The runtime's common labels are dimensions of every instrument, after
    /// the series' own and the entity label, which win on a clash.
    @Test func commonLabelsAreDimensionsOfEveryInstrument() async throws {
        let backend = TestMetrics()
        let runtime = MetricsRuntime(
            configuration: .init(commonLabels: ["service": "orders", "entity_id": "hidden", "zone": "b"]))
        try await runtime.start()
        let exporter = SwiftMetricsExporter(runtime: runtime, factory: backend)
        let recorder = try runtime.makeRecorder(entityID: "storage", overflowPolicy: .block)
        try Self.register(recorder)
        recorder.record(Save(outcome: .success, size: 50, duration: .milliseconds(5), level: 3))
        await exporter.export()
        await runtime.shutdown()
        let dimensions = [("entity_id", "storage"), ("service", "orders"), ("zone", "b")]
        #expect(try backend.expectCounter("exporter_test.save.attempts", dimensions).totalValue == 1)
        #expect(try backend.expectGauge("exporter_test.queue.level", dimensions).lastValue == 3)
    }

    @Test func mvxDimensionsReachASwiftMetricsTestBackendExactly() async throws {
        let backend = TestMetrics()
        let runtime = MetricsRuntime()
        try await runtime.start()
        let exporter = SwiftMetricsExporter(runtime: runtime, factory: backend, interval: .seconds(3600))
        let recorder = try runtime.makeRecorder(entityID: "storage", overflowPolicy: .block)
        try Self.register(recorder)

        let saves: [Save] = [
            Save(outcome: .success, size: 50, duration: .milliseconds(5), level: 3),
            Save(outcome: .success, size: 500, duration: .milliseconds(50), level: 4),
            Save(outcome: .failure, size: 5000, duration: .milliseconds(500), level: 2),
        ]
        for save in saves { recorder.record(save) }
        await exporter.export()
        // More events, exported as growth since the last export: by the
        // service's last export on graceful shutdown (its interval is an hour).
        recorder.record(Save(outcome: .failure, size: 10, duration: .milliseconds(1), level: 2))
        let group = ServiceGroup(
            services: [exporter], gracefulShutdownSignals: [], cancellationSignals: [],
            logger: Logger(label: "swift-metrics-exporter-test"))
        try await withThrowingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }

        let entity = ("entity_id", "storage")
        #expect(try backend.expectCounter("exporter_test.save.attempts", [entity]).totalValue == 4)
        #expect(try backend.expectCounter("exporter_test.save.attempts.success_total", [entity]).totalValue == 2)
        #expect(try backend.expectCounter("exporter_test.save.attempts.failure_total", [entity]).totalValue == 2)
        #expect(try backend.expectCounter("exporter_test.save.bytes", [entity]).values == [5550, 10])
        #expect(try backend.expectGauge("exporter_test.queue.level", [entity]).lastValue == 2)
        // The duration distribution became a timer, one recording per observation,
        // each at its bucket's upper bound or the observed maximum.
        let timer = try backend.expectTimer("exporter_test.save.duration.seconds", [entity])
        #expect(timer.values.count == 4)
        // In seconds, as the snapshot's dimension is.
        #expect(timer.displayUnit == .seconds)
        #expect(timer.values.sorted() == [10_000_000, 10_000_000, 100_000_000, 500_000_000])
        let sizes = try backend.expectRecorder("exporter_test.save.size", [entity])
        #expect(sizes.values.sorted() == [100, 100, 1000, 5000])
        await runtime.shutdown()
    }

    @Test func anUnsetGaugeMakesNoGaugeUntilItIsSet() async throws {
        struct Stock: MetricEvent {
            static let eventType = "exporter_test.stock.counted"
            var items: Int
        }
        let backend = TestMetrics()
        let recorder = InlineMetricsRecorder(entityID: "inline")
        try recorder.register(LastValueMetric("exporter_test.stock", of: Stock.self, value: \.items))
        let exporter = SwiftMetricsExporter(factory: backend) { [recorder.snapshot()] }
        await exporter.export()
        #expect(throws: (any Error).self) { try backend.expectGauge("exporter_test.stock", [("entity_id", "inline")]) }
        recorder.record(Stock(items: 2700))
        await exporter.export()
        #expect(try backend.expectGauge("exporter_test.stock", [("entity_id", "inline")]).values == [2700])
    }

    @Test func anInlineRecorderIsExportedOnDemand() async throws {
        let backend = TestMetrics()
        let recorder = InlineMetricsRecorder(entityID: "inline")
        try Self.register(recorder)
        let exporter = SwiftMetricsExporter(factory: backend) { [recorder.snapshot()] }
        recorder.record(Save(outcome: .success, size: 7, duration: .milliseconds(2), level: 1))
        await exporter.export()
        await exporter.export()  // nothing changed: nothing more is sent
        #expect(try backend.expectCounter("exporter_test.save.attempts", [("entity_id", "inline")]).values == [1])
        #expect(try backend.expectCounter("exporter_test.save.bytes", [("entity_id", "inline")]).values == [7])
    }
}
