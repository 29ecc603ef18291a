import Foundation
import MVXMetricsStatsD
import MVXMetricsTestKit
import MVXMetricsTestSupport
import Testing

private enum Outcome: MetricCase { case success, failure }

private struct Send: MetricEvent {
    static let eventType = "statsd_fault_test.send.attempt"
    var outcome: Outcome
}

/// A StatsD server that is down, goes away or comes back: the recorder never
/// notices, the exporter counts what it could not send, and sending resumes.
@Suite(.serialized) struct StatsDFaultTests {
    /// A queued recorder exporting to `port`, exported only when a test calls
    /// `export()` (the exporter's service is not run), so each test decides
    /// when datagrams go out.
    private static func setUp(port: Int) throws -> (MetricsRuntime, QueuedMetricsRecorder, StatsDExporter) {
        let runtime = MetricsRuntime()
        try runtime.start()
        let exporter = try StatsDExporter(runtime: runtime, configuration: .init(port: port, prefix: "fault"))
        let recorder = try runtime.makeRecorder(entityID: "sender")
        try recorder.register(OutcomeMetric("statsd_fault_test.sends", of: Send.self, outcome: \.outcome))
        return (runtime, recorder, exporter)
    }

    /// Records `count` events and exports once; returns how long recording took.
    private static func recordAndExport(
        _ count: Int, _ recorder: QueuedMetricsRecorder, _ exporter: StatsDExporter
    ) async throws -> Duration {
        let start = ContinuousClock.now
        for index in 0..<count {
            #expect(recorder.record(Send(outcome: index % 4 == 0 ? .failure : .success)) == .recorded)
        }
        let elapsed = ContinuousClock.now - start
        await exporter.export()
        return elapsed
    }

    @Test func aServerThatIsDownIsCountedAndNeverHoldsUpTheRecorder() async throws {
        let port = try { try UDPListener().port }()  // closed again at once: nothing listens
        let (runtime, recorder, exporter) = try Self.setUp(port: port)
        var recording = Duration.zero
        for _ in 0..<40 { recording += try await Self.recordAndExport(250, recorder, exporter) }
        // 10,000 events recorded while every export failed: recording stayed
        // a queue push (well under a millisecond per batch of 250 on average).
        // A promise of the recorder, scaled: the sanitizer slows the push itself.
        #expect(recording < .seconds(2).scaled)
        let statistics = exporter.statistics
        #expect(statistics.datagramsSent + statistics.datagramsDropped == 40)
        #expect(statistics.datagramsRefused >= 15)
        #expect(statistics.datagramsRefused == statistics.datagramsDropped)
        // Nothing the recorder accepted is lost: its totals are exact.
        let snapshot = await recorder.snapshot()
        #expect(snapshot["statsd_fault_test.sends"]?.count("total") == 10_000)
        #expect(snapshot["statsd_fault_test.sends"]?.count("failure_total") == 2_520)
        #expect(snapshot.statistics.accepted == 10_000)
        #expect(snapshot.statistics.processed == 10_000)
        #expect(snapshot.statistics.dropped == 0)
        await runtime.shutdown()
    }

    @Test func sendingResumesWhenTheServerComesBack() async throws {
        let port = try { try UDPListener().port }()
        let (runtime, recorder, exporter) = try Self.setUp(port: port)
        for _ in 0..<4 { _ = try await Self.recordAndExport(10, recorder, exporter) }
        #expect(exporter.statistics.datagramsRefused > 0)

        // The server is back on the same port: the next export reaches it,
        // carrying the growth since the last export.
        let server = try UDPListener(port: port)
        let sentBefore = exporter.statistics.datagramsSent
        _ = try await Self.recordAndExport(8, recorder, exporter)
        #expect(
            server.receive() == [
                """
                fault.sender.statsd_fault_test.sends:8|c
                fault.sender.statsd_fault_test.sends.success_total:6|c
                fault.sender.statsd_fault_test.sends.failure_total:2|c
                """
            ])
        #expect(exporter.statistics.datagramsSent == sentBefore + 1)
        #expect(await recorder.snapshot()["statsd_fault_test.sends"]?.count("total") == 48)
        await runtime.shutdown()
    }

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.navdoon), "navdoon is not installed (bash .ci/run installs it)")
    )
    func navdoonStoppingMidRunIsCountedAndGetsTheGrowthAfterItsReturn() async throws {
        let navdoon = try #require(RealComponents.navdoon, "navdoon is required under CI")
        var server = try NavdoonServer(executable: navdoon)
        let port = server.port
        try await server.waitUntilListening()
        let (runtime, recorder, exporter) = try Self.setUp(port: port)

        _ = try await Self.recordAndExport(100, recorder, exporter)
        try await server.poll(deadline: .seconds(60)) { $0.counters["fault.sender.statsd_fault_test.sends"] == 100 }

        // The server goes away mid-run: exports are refused, recording goes on.
        await server.stop()
        var recordedWhileDown = 0
        let deadline = ContinuousClock.now + .seconds(30).scaled
        while exporter.statistics.datagramsRefused == 0, ContinuousClock.now < deadline {
            _ = try await Self.recordAndExport(10, recorder, exporter)
            recordedWhileDown += 10
        }
        #expect(exporter.statistics.datagramsRefused > 0)

        // It comes back on the same port: what is recorded from then on arrives whole.
        server = try NavdoonServer(executable: navdoon, port: port)
        defer { server.discard() }
        try await server.waitUntilListening()
        _ = try await Self.recordAndExport(60, recorder, exporter)
        try await server.poll(deadline: .seconds(60)) { $0.counters["fault.sender.statsd_fault_test.sends"] == 60 }
        #expect(server.flushed().counters["fault.sender.statsd_fault_test.sends.failure_total"] == 15)
        // The recorder's own totals count every event, those of the outage too.
        let snapshot = await recorder.snapshot()
        #expect(snapshot["statsd_fault_test.sends"]?.count("total") == UInt64(160 + recordedWhileDown))
        #expect(snapshot.statistics.dropped == 0)
        await runtime.shutdown()
    }

}
