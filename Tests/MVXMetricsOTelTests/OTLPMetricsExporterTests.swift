import Foundation
import Logging
import MVXMetricsOTel
import MVXMetricsTestKit
import MVXMetricsTestSupport
import ServiceLifecycle
import Testing

private enum Outcome: MetricCase { case success, failure, invalid }

private struct Save: MetricEvent {
    static let eventType = "otlp_test.save.attempt"
    var outcome: Outcome
    var size: ByteCount
    var duration: Duration
}

private struct Hit: MetricEvent {
    static let eventType = "otlp_test.hit"
}

/// A metric that only groups instruments, as the swift-metrics bridge's do.
private struct InstrumentsMetric: Metric {
    let name = "otlp_test.instruments"
    private var hits: UInt64 = 0

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Hit.self) { metric, _ in
            metric.hits += 1
            return .changed
        }
    }

    func snapshot() -> MetricSnapshot {
        MetricSnapshot(
            name: name,
            dimensions: [MetricDimension("hb_requests", labels: ["http_route": "/a"], value: .counter(hits))],
            naming: .dimension)
    }
}

/// What a real OTLP receiver (a Python server decoding
/// `ExportMetricsServiceRequest` with the official `opentelemetry-proto`)
/// gets is the snapshot, value for value.
@Suite(.serialized) struct OTLPMetricsExporterTests {
    private static let buckets = try! HistogramBuckets([0.005, 0.009, 0.011, 0.013, 0.05])

    /// A runtime with one recorder, `storage`, of three metrics.
    private static func recorder(in runtime: MetricsRuntime) throws -> QueuedMetricsRecorder {
        let recorder = try runtime.makeRecorder(entityID: "storage", overflowPolicy: .block)
        try recorder.register(
            OutcomeMetric(
                "otlp_test.save.attempts", help: "Save attempts by outcome.", of: Save.self, outcome: \.outcome))
        try recorder.register(SumMetric("otlp_test.save.bytes", help: "Bytes saved.", of: Save.self, value: \.size))
        try recorder.register(
            DistributionMetric(
                "otlp_test.save.duration", help: "How long a save took.", of: Save.self, dimension: "seconds",
                buckets: buckets, value: \.duration))
        return recorder
    }

    /// A started runtime with the recorder of ``recorder(in:)``.
    private static func startedRuntime(
        commonLabels: [String: String] = [:]
    ) async throws -> (MetricsRuntime, QueuedMetricsRecorder) {
        let runtime = MetricsRuntime(configuration: .init(commonLabels: commonLabels))
        try await runtime.start()
        return (runtime, try recorder(in: runtime))
    }

    /// Runs `exporter` in a service group around `body`, then shuts it down gracefully.
    private static func whileExporting(
        _ exporter: OTLPMetricsExporter, _ body: () async throws -> Void
    ) async throws {
        let group = ServiceGroup(services: [exporter], logger: Logger(label: "otlp-test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    private static func nanoseconds(_ date: Date) -> UInt64 {
        UInt64((date.timeIntervalSince1970 * 1000).rounded()) * 1_000_000
    }

    @Test(.needsOTLPReceiver)
    func anOTLPReceiverGetsExactlyTheSnapshot() async throws {
        let python = try #require(RealComponents.python, "a Python with opentelemetry-proto is required under CI")
        let receiver = try OTLPReceiver(python: python)
        defer { receiver.discard() }
        // The common labels are resource attributes; the configured ones win.
        let (runtime, recorder) = try await Self.startedRuntime(
            commonLabels: ["service.namespace": "shop", "deployment.environment.name": "overridden"])
        let exporter = OTLPMetricsExporter(
            runtime: runtime,
            configuration: .init(
                serviceName: "mvx-otlp-test", endpoint: receiver.endpoint,
                interval: .milliseconds(200), resourceAttributes: ["deployment.environment.name": "test"]))
        // 9, 11 and 13 ms sit on bucket bounds: replayed through another
        // metrics API, or converted to seconds inexactly, they land in the
        // next bucket.
        let durations: [Duration] = [.milliseconds(9), .milliseconds(11), .milliseconds(13), .microseconds(1_644_100)]
        for index in 0..<30 {
            recorder.record(
                Save(
                    outcome: index % 5 == 0 ? .failure : .success, size: ByteCount(1000 + index),
                    duration: durations[index % durations.count]))
        }
        try await recorder.flush()
        let snapshot = await recorder.snapshot()
        try await Self.whileExporting(exporter) {
            try await receiver.waitFor(deadline: .seconds(60)) {
                $0.metric("otlp_test.save.attempts")?.point(["entity_id": "storage", "outcome": "success"])?.int == 24
            }
        }
        let request = try #require(receiver.requests().last)
        await runtime.shutdown()

        #expect(
            request.resource == [
                "service.name": "mvx-otlp-test", "deployment.environment.name": "test", "service.namespace": "shop",
            ])
        #expect(request.scopeNames == ["mvx-metrics"])
        #expect(
            request.metrics.map(\.name) == [
                "otlp_test.save.attempts", "otlp_test.save.bytes", "otlp_test.save.duration",
            ])
        let start = Self.nanoseconds(recorder.startedAt)
        let time = try #require(request.metrics.first?.points.first?.time)
        #expect(time >= start)

        // The outcome's cases, the one still at zero among them, and no
        // point for the whole: summing the points gives the total once.
        let attempts = try #require(request.metric("otlp_test.save.attempts"))
        #expect(attempts.kind == "sum" && attempts.isMonotonic)
        #expect(attempts.temporality == "AGGREGATION_TEMPORALITY_CUMULATIVE")
        #expect(attempts.description == "Save attempts by outcome.")
        #expect(attempts.unit == "")
        #expect(attempts.points.count == 3)
        for (outcome, count) in [("success", 24), ("failure", 6), ("invalid", 0)] as [(String, Int64)] {
            let point = try #require(attempts.point(["entity_id": "storage", "outcome": outcome]), "\(outcome)")
            #expect(point.int == count, "\(outcome)")
            #expect(point.start == start && point.time == time)
        }

        let bytes = try #require(request.metric("otlp_test.save.bytes"))
        #expect(bytes.unit == "By" && bytes.description == "Bytes saved." && bytes.isMonotonic)
        #expect(bytes.points.map(\.int) == [Int64(snapshot["otlp_test.save.bytes"]!.count("total")!)])
        #expect(bytes.points.first?.int == Int64(30_435))

        let duration = try #require(request.metric("otlp_test.save.duration"))
        let expected = try #require(snapshot["otlp_test.save.duration"]?.distribution("seconds"))
        #expect(duration.kind == "histogram" && duration.unit == "s")
        #expect(duration.description == "How long a save took.")
        #expect(duration.temporality == "AGGREGATION_TEMPORALITY_CUMULATIVE")
        let point = try #require(duration.point(["entity_id": "storage"]))
        #expect(point.bounds == [0.005, 0.009, 0.011, 0.013, 0.05])
        // Per bucket, not cumulative: 9, 11 and 13 ms each in their own
        // bucket, 1.6441 s above every bound.
        #expect(point.bucketCounts == [0, 8, 8, 7, 0, 7])
        #expect(point.count == expected.count && point.count == 30)
        #expect(point.sum == expected.sum)
        #expect(point.min == 0.009 && point.min == expected.min)
        #expect(point.max == 1.6441 && point.max == expected.max)
        #expect(point.start == start && point.time == time)
    }

    @Test(.needsOTLPReceiver)
    func deltaTemporalitySendsWhatWasCountedSinceTheLastExport() async throws {
        let python = try #require(RealComponents.python, "a Python with opentelemetry-proto is required under CI")
        let receiver = try OTLPReceiver(python: python)
        defer { receiver.discard() }
        let (runtime, recorder) = try await Self.startedRuntime()
        let exporter = OTLPMetricsExporter(
            runtime: runtime,
            configuration: .init(
                serviceName: "mvx-otlp-test", endpoint: receiver.endpoint,
                temporality: .delta))
        let attributes = ["entity_id": "storage", "outcome": "success"]
        // No service here: each export is asked for, so each delta is known.
        try await receiver.listening()
        for _ in 0..<10 { recorder.record(Save(outcome: .success, size: 10, duration: .milliseconds(9))) }
        try await exporter.export()
        for _ in 0..<4 { recorder.record(Save(outcome: .success, size: 10, duration: .milliseconds(11))) }
        try await exporter.export()
        try await exporter.export()
        let requests = receiver.requests()
        await runtime.shutdown()
        try #require(requests.count == 3)

        let points = try requests.map { try #require($0.metric("otlp_test.save.attempts")?.point(attributes)) }
        #expect(points.map(\.int) == [10, 4, 0])
        #expect(
            requests.allSatisfy { $0.metric("otlp_test.save.attempts")?.temporality == "AGGREGATION_TEMPORALITY_DELTA" }
        )
        // Each delta starts where the one before ended, the first at the recorder's start.
        #expect(points[0].start == Self.nanoseconds(recorder.startedAt))
        #expect(points[1].start == points[0].time && points[2].start == points[1].time)

        let durations = try requests.map {
            try #require($0.metric("otlp_test.save.duration")?.point(["entity_id": "storage"]))
        }
        #expect(durations.map(\.count) == [10, 4, 0])
        #expect(durations.map(\.bucketCounts) == [[0, 10, 0, 0, 0, 0], [0, 0, 4, 0, 0, 0], [0, 0, 0, 0, 0, 0]])
        let total = await recorder.snapshot()["otlp_test.save.duration"]?.distribution("seconds")?.sum
        #expect(durations[1].sum == total.map { $0 - durations[0].sum! })
        // The first interval's extremes are the recorder's; later ones are not known.
        #expect(durations[0].min == 0.009 && durations[0].max == 0.009)
        #expect(durations[1].min == nil && durations[1].max == nil)
        #expect(exporter.statistics.exports == 3 && exporter.statistics.exportFailures == 0)
        #expect(exporter.statistics.dataPointsSent == 3 * 5)
    }

    @Test(.needsOTLPReceiver)
    func aDimensionNamedAloneIsAMetricOfItsOwnName() async throws {
        let python = try #require(RealComponents.python, "a Python with opentelemetry-proto is required under CI")
        let receiver = try OTLPReceiver(python: python)
        defer { receiver.discard() }
        let runtime = MetricsRuntime()
        try await runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "grouped", overflowPolicy: .block)
        try recorder.register(InstrumentsMetric())
        for _ in 0..<3 { recorder.record(Hit()) }
        try await recorder.flush()
        let exporter = OTLPMetricsExporter(
            runtime: runtime,
            configuration: .init(
                serviceName: "mvx-otlp-test", endpoint: receiver.endpoint, interval: .milliseconds(200)))
        try await Self.whileExporting(exporter) {
            try await receiver.waitFor(deadline: .seconds(60)) {
                $0.metric("hb_requests")?.point(["entity_id": "grouped", "http_route": "/a"])?.int == 3
            }
        }
        await runtime.shutdown()
        let names = try #require(receiver.requests().last).metrics.map(\.name)
        #expect(names.contains("hb_requests") && !names.contains { $0.hasPrefix("otlp_test.instruments") })
    }

    @Test(.needsOTLPReceiver)
    func anUnsetGaugeIsNoMetricUntilItIsSet() async throws {
        struct Stock: MetricEvent {
            static let eventType = "otlp_test.stock.counted"
            var items: Int
        }
        let python = try #require(RealComponents.python, "a Python with opentelemetry-proto is required under CI")
        let receiver = try OTLPReceiver(python: python)
        defer { receiver.discard() }
        let runtime = MetricsRuntime()
        try await runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "shop", overflowPolicy: .block)
        try recorder.register(LastValueMetric("otlp_test.stock", help: "Items.", of: Stock.self, value: \.items))
        try recorder.register(EventCountMetric("otlp_test.stock_counts", of: Stock.self))
        let exporter = OTLPMetricsExporter(
            runtime: runtime, configuration: .init(serviceName: "mvx-otlp-test", endpoint: receiver.endpoint))
        try await receiver.listening()
        try await exporter.export()
        recorder.record(Stock(items: 2700))
        try await recorder.flush()
        try await exporter.export()
        let requests = receiver.requests()
        await runtime.shutdown()
        try #require(requests.count == 2)
        #expect(requests[0].metric("otlp_test.stock") == nil)
        #expect(requests[0].metric("otlp_test.stock_counts")?.point(["entity_id": "shop"])?.int == 0)
        let stock = try #require(requests[1].metric("otlp_test.stock"))
        #expect(stock.kind == "gauge" && stock.points.count == 1)
        #expect(stock.point(["entity_id": "shop"])?.int == 2700 || stock.point(["entity_id": "shop"])?.double == 2700)
        #expect(exporter.statistics.dataPointsSent == 1 + 2)
    }

    @Test func aCollectorThatIsNotThereIsATypedError() async throws {
        let runtime = MetricsRuntime()
        try await runtime.start()
        _ = try Self.recorder(in: runtime)
        let exporter = OTLPMetricsExporter(
            runtime: runtime,
            configuration: .init(
                serviceName: "mvx-otlp-test", endpoint: URL(string: "http://127.0.0.1:\(freePort())/v1/metrics")!,
                timeout: .seconds(5)))
        await #expect(throws: OTLPExportError.transport("connection refused")) { try await exporter.export() }
        #expect(exporter.statistics.exportFailures == 1 && exporter.statistics.exports == 0)
        await runtime.shutdown()
    }

    @Test(.needsOTLPReceiver)
    func aCollectorsRefusalsAreTypedAndItsPartialSuccessIsCounted() async throws {
        let python = try #require(RealComponents.python, "a Python with opentelemetry-proto is required under CI")
        let runtime = MetricsRuntime()
        try await runtime.start()
        _ = try Self.recorder(in: runtime)
        for answer in [OTLPReceiver.Answer.reject, .partial] {
            let receiver = try OTLPReceiver(python: python, answer: answer)
            defer { receiver.discard() }
            try await receiver.listening()
            let logs = CapturedLogs()
            let exporter = OTLPMetricsExporter(
                runtime: runtime,
                configuration: .init(
                    serviceName: "mvx-otlp-test",
                    endpoint: receiver.endpoint,
                    logger: Logger(label: "otlp-test") { _ in logs.handler() }))
            switch answer {
            case .reject:
                await #expect {
                    try await exporter.export()
                } throws: { error in
                    error as? OTLPExportError == .rejected(status: 400, body: "not today")
                }
                #expect(exporter.statistics.exportFailures == 1 && exporter.statistics.exports == 0)
                #expect(logs.messages(at: .warning) == ["OTLP export failed"])
            case .partial:
                try await exporter.export()
                #expect(exporter.statistics.exports == 1 && exporter.statistics.dataPointsRejected == 2)
                #expect(logs.messages(at: .warning) == ["the collector rejected part of an OTLP export"])
            case .accept:
                break
            }
            #expect(receiver.requests().count == 1)
        }
        await runtime.shutdown()
    }
}
