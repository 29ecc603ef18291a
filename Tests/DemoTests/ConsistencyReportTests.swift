import DemoExample
import Foundation
import MVXMetrics
import TCPStreamExample
import Testing

/// The identities the demo checks hold for facts that add up, and fail, saying
/// which, for facts that do not.
@Suite struct ConsistencyReportTests {
    /// The TCP client's and the echo server's recorders after one connection
    /// on which the client sent 10 bytes, got `received` back, and the server
    /// echoed 6 and discarded 4.
    private func snapshots(clientReceived received: Int) throws -> [RecorderSnapshot] {
        let client = InlineMetricsRecorder(entityID: "tcp-stream")
        for metric in try TCPStreamMetrics.all() { try client.register(metric) }
        client.record(TCPStreamOpenAttempt(outcome: .success, duration: .microseconds(90)))
        client.record(TCPStreamWriteAttempt(outcome: .success, bytesSent: 10, duration: .microseconds(30)))
        client.record(
            TCPStreamReadAttempt(outcome: .success, bytesReceived: ByteCount(received), duration: .microseconds(50)))
        client.record(TCPStreamReadAttempt(outcome: .remoteDisconnect, bytesReceived: 0, duration: .microseconds(9)))
        client.record(TCPStreamCloseAttempt(outcome: .success, duration: .microseconds(5)))
        let server = InlineMetricsRecorder(entityID: "tcp-echo-server")
        for metric in TCPEchoServerMetrics.all() { try server.register(metric) }
        server.record(TCPEchoServerConnection(bytesReceived: 10, bytesEchoed: 6, duration: .milliseconds(1)))
        return [client.snapshot(), server.snapshot()]
    }

    @Test func factsThatAddUpPassEveryCheck() throws {
        let report = ConsistencyReport(try snapshots(clientReceived: 6))
        #expect(report.passed, "\(report)")
        #expect(report.checks.map(\.detail).contains("10 = 6 + 4"))
    }

    @Test func echoedBytesTheClientNeverReadFailTheReceivedCheck() throws {
        let report = ConsistencyReport(try snapshots(clientReceived: 5))
        let failed = report.checks.filter { !$0.passed }.map(\.name)
        #expect(failed == ["bytes received by the TCP clients = bytes echoed"])
        #expect(report.description.contains("✗ bytes received by the TCP clients = bytes echoed: 5 = 6"))
    }

    @Test func anAttemptsTotalThatIsNotTheSumOfItsOutcomesFails() {
        let attempts = MetricSnapshot(
            name: "document_storage.save.attempts",
            dimensions: [
                MetricDimension("total", value: .counter(3)), MetricDimension("success_total", value: .counter(1)),
                MetricDimension("failure_total", value: .counter(1)),
            ])
        let snapshot = RecorderSnapshot(
            entityID: "document-storage", takenAt: Date(), metrics: [attempts], statistics: RecorderStatistics())
        let report = ConsistencyReport([snapshot])
        let check = report.checks[0]
        #expect(!check.passed)
        #expect(check.detail == "document_storage.save.attempts: total 3 ≠ sum of outcomes 2")
    }

    @Test func aDroppedEventFailsTheRecorderCheck() throws {
        var snapshots = try snapshots(clientReceived: 6)
        snapshots[1].statistics.accepted += 1
        snapshots[1].statistics.dropped += 1
        let report = ConsistencyReport(snapshots)
        #expect(
            report.checks.filter { !$0.passed }.map(\.name) == [
                "every event accepted was processed: none pending, none dropped"
            ])
    }
}
