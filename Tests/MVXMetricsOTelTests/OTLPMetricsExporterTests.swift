import Foundation
import Logging
import MVXMetricsOTel
import MVXMetricsTestKit
import MVXMetricsTestSupport
import OTel
import ServiceLifecycle
import Testing

private enum Outcome: MetricCase { case success, failure }

private struct Save: MetricEvent {
    static let eventType = "otlp_test.save.attempt"
    var outcome: Outcome
    var size: ByteCount
    var duration: Duration
}

/// MVX metrics exported over OTLP/HTTP through swift-otel reach a real OTLP
/// receiver (a Python server decoding `ExportMetricsServiceRequest` with
/// `opentelemetry-proto`) with the snapshot's names and values.
@Suite(.serialized) struct OTLPMetricsExporterTests {
    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.python),
            "no Python with opentelemetry-proto (MVX_PYTHON); bash .ci/run sets it"))
    func anOTLPReceiverGetsTheSnapshotsValues() async throws {
        let python = try #require(RealComponents.python, "a Python with opentelemetry-proto is required under CI")
        let receiver = try OTLPReceiver(python: python)
        defer { receiver.stop() }

        let runtime = MetricsRuntime()
        try await runtime.start()
        var configuration = OTel.Configuration.default
        configuration.serviceName = "mvx-otlp-test"
        configuration.metrics.exportInterval = .milliseconds(500)
        configuration.metrics.otlpExporter.endpoint = "http://127.0.0.1:\(receiver.port)/v1/metrics"
        configuration.metrics.otlpExporter.protocol = .httpProtobuf
        configuration.diagnosticLogLevel = .error
        let exporter = try OTLPMetricsExporter(
            source: runtime, configuration: configuration, interval: .milliseconds(100))
        let recorder = try runtime.createRecorder(named: "storage", overflowPolicy: .block, hooks: [exporter.hook])
        try recorder.register(OutcomeMetric("otlp_test.save.attempts", of: Save.self, outcome: \.outcome))
        try recorder.register(SumMetric("otlp_test.save.bytes", of: Save.self, value: \.size))
        try recorder.register(
            DistributionMetric(
                "otlp_test.save.duration", of: Save.self, dimension: "seconds", buckets: .durations, value: \.duration))

        let group = ServiceGroup(services: [exporter], logger: Logger(label: "otlp-test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for index in 0..<30 {
                recorder.record(
                    Save(
                        outcome: index % 5 == 0 ? .failure : .success, size: 1000,
                        duration: .milliseconds(index % 3 == 0 ? 3 : 30)))
            }
            try await recorder.flush()
            exporter.hook.flush()

            let expected: [(String, [String: String], Double)] = [
                ("otlp_test.save.attempts", ["entity_id": "storage"], 30),
                ("otlp_test.save.attempts.success_total", ["entity_id": "storage"], 24),
                ("otlp_test.save.attempts.failure_total", ["entity_id": "storage"], 6),
                ("otlp_test.save.bytes", ["entity_id": "storage"], 30_000),
            ]
            try await receiver.waitFor(deadline: .seconds(60)) { received in
                expected.allSatisfy { name, attributes, value in received.sums[name]?[attributes] == value }
                    && received.histogramCounts["otlp_test.save.duration.seconds"]?[["entity_id": "storage"]] == 30
            }
            let received = receiver.received()
            for (name, attributes, value) in expected {
                #expect(received.sums[name]?[attributes] == value, "\(name)")
            }
            #expect(received.histogramCounts["otlp_test.save.duration.seconds"]?[["entity_id": "storage"]] == 30)
            #expect(received.serviceNames.contains("mvx-otlp-test"))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await runtime.shutdown()
        exporter.hook.shutdown()
    }
}

/// The OTLP/HTTP receiver: Python's `http.server` decoding requests with
/// `opentelemetry-proto` and appending one JSON line per request to a file.
final class OTLPReceiver {
    let port: Int
    private let process = Process()
    private let output: URL

    struct Received {
        /// The latest value of every sum's data point, by metric name and attributes.
        var sums: [String: [[String: String]: Double]] = [:]
        /// The latest count of every histogram's data point.
        var histogramCounts: [String: [[String: String]: Double]] = [:]
        var serviceNames: Set<String> = []
    }

    /// swift-otel treats a 200 without a matching content type as a failed
    /// export: the receiver answers with the request's own type.
    private static let script = """
        import json, sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from google.protobuf import json_format
        from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
            ExportMetricsServiceRequest, ExportMetricsServiceResponse)
        OUT = sys.argv[2]
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                if self.path != "/v1/metrics":
                    self.send_error(404); return
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
                request = ExportMetricsServiceRequest()
                try:
                    if content_type == "application/x-protobuf": request.ParseFromString(body)
                    elif content_type == "application/json": json_format.Parse(body, request)
                    else: self.send_error(415); return
                except Exception as error:
                    self.send_error(400, str(error)); return
                with open(OUT, "a") as f:
                    f.write(json.dumps(json_format.MessageToDict(request)) + "\\n")
                response = ExportMetricsServiceResponse()
                data = json_format.MessageToJson(response).encode() if content_type == "application/json" else response.SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def log_message(self, *arguments): pass
        ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """

    /// Starts the receiver on `port`, or on a free port for nil.
    init(python: String, port: Int? = nil) throws {
        self.port = port ?? freePort()
        output = FileManager.default.temporaryDirectory.appendingPathComponent("otlp-\(UUID().uuidString).jsonl")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", Self.script, String(self.port), output.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func stop() {
        stopProcess(process)
        try? FileManager.default.removeItem(at: output)
    }

    /// Everything received so far.
    func received() -> Received {
        var result = Received()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            guard let request = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                continue
            }
            for resourceMetrics in request["resourceMetrics"] as? [[String: Any]] ?? [] {
                let resource = resourceMetrics["resource"] as? [String: Any]
                for attribute in Self.attributes(resource?["attributes"]) where attribute.key == "service.name" {
                    result.serviceNames.insert(attribute.value)
                }
                for scope in resourceMetrics["scopeMetrics"] as? [[String: Any]] ?? [] {
                    for metric in scope["metrics"] as? [[String: Any]] ?? [] {
                        let name = metric["name"] as? String ?? ""
                        if let sum = metric["sum"] as? [String: Any] {
                            for point in sum["dataPoints"] as? [[String: Any]] ?? [] {
                                let value =
                                    Double(point["asInt"] as? String ?? "") ?? (point["asDouble"] as? Double) ?? .nan
                                result.sums[name, default: [:]][Self.attributes(point["attributes"])] = value
                            }
                        }
                        if let histogram = metric["histogram"] as? [String: Any] {
                            for point in histogram["dataPoints"] as? [[String: Any]] ?? [] {
                                let count = Double(point["count"] as? String ?? "") ?? .nan
                                result.histogramCounts[name, default: [:]][Self.attributes(point["attributes"])] = count
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    private static func attributes(_ raw: Any?) -> [String: String] {
        var result: [String: String] = [:]
        for attribute in raw as? [[String: Any]] ?? [] {
            guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any] else {
                continue
            }
            result[key] = value["stringValue"] as? String ?? "\(value)"
        }
        return result
    }

    /// Polls what was received until `condition` holds (bounded by `deadline`,
    /// scaled: ``Swift/Duration/scaled``).
    func waitFor(deadline: Duration, _ condition: (Received) -> Bool) async throws {
        let end = ContinuousClock.now.advanced(by: deadline.scaled)
        while ContinuousClock.now < end {
            if condition(received()) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        throw ReceiverTimeout(received: String(text.suffix(3000)))
    }
}

struct ReceiverTimeout: Error, CustomStringConvertible {
    let received: String
    var description: String { "the OTLP receiver did not get the expected values in time; it got:\n\(received)" }
}
