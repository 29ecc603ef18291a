import DocumentStorageExample
import Foundation
import MVXMetricsTestKit
import MVXMetricsTestSupport
import TCPStreamExample

/// Snapshots of the running examples, with labels and help text full of
/// characters the formats must escape.
enum Fixtures {
    /// Document storage: five saves with every outcome.
    static func documentStorage() throws -> RecorderSnapshot {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exposition-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorder = InlineMetricsRecorder(entityID: "document-storage")
        for metric in try DocumentStorageMetrics.all() { try recorder.register(metric) }
        let storage = DocumentStorage(
            directory: folder, maximumSize: 4096, metrics: recorder, clock: StepClock(step: .milliseconds(12)))
        try storage.saveDocument(named: "a.txt", content: Array(repeating: 1, count: 1840))
        try storage.saveDocument(named: "b.txt", content: Array(repeating: 1, count: 160))
        try? storage.saveDocument(named: "", content: [1])
        try? storage.saveDocument(named: "big", content: Array(repeating: 0, count: 5000))
        return recorder.snapshot()
    }

    /// TCP stream: the metrics, fed synthetic attempts (no sockets needed here).
    static func tcpStream() throws -> RecorderSnapshot {
        let recorder = InlineMetricsRecorder(entityID: "tcp-stream")
        for metric in try TCPStreamMetrics.all() { try recorder.register(metric) }
        recorder.record(TCPStreamOpenAttempt(outcome: .success, duration: .milliseconds(1)))
        recorder.record(
            TCPStreamOpenAttempt(outcome: .refused, refusalReason: .connectionRefused, duration: .microseconds(80)))
        recorder.record(TCPStreamReadAttempt(outcome: .success, bytesReceived: 64, duration: .microseconds(300)))
        recorder.record(TCPStreamReadAttempt(outcome: .timeout, bytesReceived: 0, duration: .seconds(2)))
        recorder.record(TCPStreamWriteAttempt(outcome: .success, bytesSent: 64, duration: .microseconds(40)))
        return recorder.snapshot()
    }

    struct Route: MetricEvent {
        static let eventType = "hostile.route.hit"
        var route: String
    }

    /// The nastiest label values and help text we can think of.
    static let hostileValues = [
        #"say "hello""#, #"back\slash"#, "new\nline", "ünïcödé ✓ 日本語 🚀", "{braces},commas=equals",
        #"\"already\" escaped\n"#, "tab\there", "",
    ]

    static func hostile() throws -> RecorderSnapshot {
        let recorder = InlineMetricsRecorder(entityID: #"entity "quoted" \ and ünïcödé"#)
        try recorder.register(
            LabelCountMetric(
                "hostile.routes", help: "Help with \\backslash, \"quotes\" and a\nnewline.", of: Route.self,
                label: "route", cap: 100, value: \.route))
        for value in hostileValues { recorder.record(Route(route: value)) }
        var snapshot = recorder.snapshot()
        // Names a recorder would refuse, as a snapshot built by hand might carry.
        snapshot.metrics.append(
            MetricSnapshot(
                name: "9weird-name.with:colons", help: nil,
                dimensions: [
                    MetricDimension("total", labels: ["0bad-label": "x", "__reserved": "y"], value: .counter(3)),
                    MetricDimension("level é", value: .gauge(-1.5)),
                ]))
        // A gauge not set yet: its family has no sample.
        snapshot.metrics.append(
            MetricSnapshot(
                name: "hostile.stock", help: "Not counted yet.",
                dimensions: [MetricDimension("value", value: .gauge(nil))]))
        return snapshot
    }
}
