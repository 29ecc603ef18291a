import Foundation
import MVXMetricsTestSupport
import Testing

/// An OTLP/HTTP receiver: Python's `http.server` decoding each request with
/// the official `opentelemetry-proto` definitions and appending it, as
/// protobuf's JSON mapping, to a file of one line per request.
final class OTLPReceiver {
    let port: Int
    private let process = Process()

    /// Where an exporter sends to reach it.
    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)/v1/metrics")! }
    private let output: URL

    /// One received `ExportMetricsServiceRequest`, with what the tests compare.
    struct Request {
        var resource: [String: String] = [:]
        var scopeNames: [String] = []
        var metrics: [Metric] = []

        func metric(_ name: String) -> Metric? { metrics.first { $0.name == name } }

        /// The sum of the integer points of the metric `name`: an outcome
        /// counter's total, its cases added up.
        func total(of name: String) -> Int64 { (metric(name)?.points ?? []).reduce(0) { $0 + ($1.int ?? 0) } }
    }

    struct Metric {
        var name: String
        var description: String
        var unit: String
        /// `sum`, `gauge` or `histogram`.
        var kind: String
        /// `AGGREGATION_TEMPORALITY_CUMULATIVE` or `..._DELTA`; nil for a gauge.
        var temporality: String?
        var isMonotonic: Bool
        var points: [Point]

        func point(_ attributes: [String: String]) -> Point? { points.first { $0.attributes == attributes } }
    }

    struct Point {
        var attributes: [String: String]
        var start: UInt64
        var time: UInt64
        var int: Int64?
        var double: Double?
        var count: UInt64
        var sum: Double?
        var min: Double?
        var max: Double?
        var bucketCounts: [UInt64]
        var bounds: [Double]
    }

    private static let script = """
        import json, sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from google.protobuf import json_format
        from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
            ExportMetricsServiceRequest, ExportMetricsServiceResponse)
        OUT = sys.argv[2]
        ANSWER = sys.argv[3]
        # Doubles as their shortest round-trip text, in strings: a JSON number
        # may be read back through a decimal type and lose its last digits.
        def exact(value):
            if isinstance(value, float): return repr(value)
            if isinstance(value, dict): return {key: exact(item) for key, item in value.items()}
            if isinstance(value, list): return [exact(item) for item in value]
            return value
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                if self.path != "/v1/metrics":
                    self.send_error(404); return
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/x-protobuf":
                    self.send_error(415); return
                request = ExportMetricsServiceRequest()
                try:
                    request.ParseFromString(body)
                except Exception as error:
                    self.send_error(400, str(error)); return
                with open(OUT, "a") as f:
                    f.write(json.dumps(exact(json_format.MessageToDict(request))) + "\\n")
                if ANSWER == "reject":
                    self.send_response(400)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    self.wfile.write(b"not today"); return
                response = ExportMetricsServiceResponse()
                if ANSWER == "partial":
                    response.partial_success.rejected_data_points = 2
                    response.partial_success.error_message = "two points were too old"
                data = response.SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def log_message(self, *arguments): pass
        server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
        open(OUT + ".listening", "w").close()
        server.serve_forever()
        """

    /// How the receiver answers each request it decodes.
    enum Answer: String {
        /// 200 with an empty response.
        case accept
        /// 200 with a partial success: 2 points rejected.
        case partial
        /// 400 with the reason `not today`, after recording the request.
        case reject
    }

    /// Starts the receiver on `port`, or on a free port for nil.
    init(python: String, port: Int? = nil, answer: Answer = .accept) throws {
        self.port = port ?? freePort()
        output = FileManager.default.temporaryDirectory.appendingPathComponent("otlp-\(UUID().uuidString).jsonl")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", Self.script, String(self.port), output.path, answer.rawValue]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until the receiver listens (bounded by `deadline`, scaled).
    func listening(deadline: Duration = .seconds(30)) async throws {
        let marker = output.path + ".listening"
        let end = ContinuousClock.now.advanced(by: deadline.scaled)
        while !FileManager.default.fileExists(atPath: marker) {
            guard ContinuousClock.now < end, process.isRunning else {
                throw ReceiverTimeout(received: "(not listening)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops the receiver; returns every request it received.
    @discardableResult
    func stop() async -> [Request] {
        await stopProcessOffThread(process)
        let received = requests()
        removeFiles()
        return received
    }

    /// Kills the receiver without waiting for it: the cleanup of a `defer`,
    /// where a test cannot suspend.
    func discard() {
        killProcess(process)
        removeFiles()
    }

    private func removeFiles() {
        try? FileManager.default.removeItem(at: output)
        try? FileManager.default.removeItem(atPath: output.path + ".listening")
    }

    /// Every request received so far, in order.
    func requests() -> [Request] {
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).map(Self.request)
        }
    }

    /// Polls the requests until `condition` holds for the latest one, which it
    /// returns (bounded by `deadline`, scaled: ``Swift/Duration/scaled``).
    @discardableResult
    func waitFor(deadline: Duration, _ condition: (Request) -> Bool) async throws -> Request {
        let end = ContinuousClock.now.advanced(by: deadline.scaled)
        while ContinuousClock.now < end {
            if let last = requests().last, condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        throw ReceiverTimeout(received: String(text.suffix(3000)))
    }

    private static func request(_ json: [String: Any]) -> Request {
        var result = Request()
        for resourceMetrics in json["resourceMetrics"] as? [[String: Any]] ?? [] {
            let resource = resourceMetrics["resource"] as? [String: Any]
            result.resource.merge(attributes(resource?["attributes"])) { $1 }
            for scope in resourceMetrics["scopeMetrics"] as? [[String: Any]] ?? [] {
                result.scopeNames.append((scope["scope"] as? [String: Any])?["name"] as? String ?? "")
                for metric in scope["metrics"] as? [[String: Any]] ?? [] {
                    result.metrics.append(self.metric(metric))
                }
            }
        }
        return result
    }

    private static func metric(_ json: [String: Any]) -> Metric {
        let kind = ["sum", "gauge", "histogram"].first { json[$0] != nil } ?? "?"
        let data = json[kind] as? [String: Any] ?? [:]
        return Metric(
            name: json["name"] as? String ?? "", description: json["description"] as? String ?? "",
            unit: json["unit"] as? String ?? "", kind: kind,
            temporality: data["aggregationTemporality"] as? String,
            isMonotonic: data["isMonotonic"] as? Bool ?? false,
            points: (data["dataPoints"] as? [[String: Any]] ?? []).map(point))
    }

    private static func point(_ json: [String: Any]) -> Point {
        func integer(_ key: String) -> UInt64 { UInt64(json[key] as? String ?? "") ?? 0 }
        func number(_ value: Any?) -> Double? {
            switch value {
            case let number as NSNumber: number.doubleValue
            case let text as String:
                Double(text == "Infinity" ? "inf" : text == "-Infinity" ? "-inf" : text.lowercased())
            default: nil
            }
        }
        return Point(
            attributes: attributes(json["attributes"]), start: integer("startTimeUnixNano"),
            time: integer("timeUnixNano"), int: (json["asInt"] as? String).flatMap { Int64($0) },
            double: number(json["asDouble"]), count: integer("count"), sum: number(json["sum"]),
            min: number(json["min"]), max: number(json["max"]),
            bucketCounts: (json["bucketCounts"] as? [String] ?? []).compactMap { UInt64($0) },
            bounds: (json["explicitBounds"] as? [Any] ?? []).compactMap(number))
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
}

struct ReceiverTimeout: Error, CustomStringConvertible {
    let received: String
    var description: String { "the OTLP receiver did not get the expected values in time; it got:\n\(received)" }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test where a Python with `opentelemetry-proto` is there for
    /// the receiver; under CI its absence fails the test instead.
    static var needsOTLPReceiver: Self {
        .enabled(
            if: RealComponents.shouldRun(RealComponents.python),
            "no Python with opentelemetry-proto (MVX_PYTHON); bash .ci/run sets it")
    }
}
