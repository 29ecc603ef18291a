import Foundation
import Logging
import MVXMetricsOTel
import MVXMetricsTestKit
import MVXMetricsTestSupport
import ServiceLifecycle
import Testing

private enum Outcome: MetricCase { case success, failure }

private struct Export: MetricEvent {
    static let eventType = "otlp_fault_test.export.attempt"
    var outcome: Outcome
}

/// An OTLP collector that is down, never answers, or goes away and comes
/// back: recording and the runtime go on, failures are counted and logged,
/// shutdown ends in bounded time, and the totals reach the collector whole
/// once it is back.
@Suite(.serialized) struct OTLPFaultTests {
    /// A running runtime, an exporter to `port` that exports every 200 ms and
    /// gives up on an export after one second, and a queued recorder.
    private struct Fixture {
        let runtime: MetricsRuntime
        let exporter: OTLPMetricsExporter
        let recorder: QueuedMetricsRecorder
        let logs: CapturedLogs

        init(port: Int, temporality: OTLPMetricsExporter.Temporality = .cumulative) async throws {
            runtime = MetricsRuntime()
            try await runtime.start()
            let logs = CapturedLogs()
            self.logs = logs
            exporter = OTLPMetricsExporter(
                runtime: runtime,
                configuration: .init(
                    serviceName: "mvx-otlp-fault-test", endpoint: URL(string: "http://127.0.0.1:\(port)/v1/metrics")!,
                    interval: .milliseconds(200), timeout: .seconds(1), temporality: temporality,
                    logger: Logger(label: "otlp-fault-test") { _ in logs.handler() }))
            recorder = try runtime.makeRecorder(entityID: "exports")
            try recorder.register(OutcomeMetric("otlp_fault_test.exports", of: Export.self, outcome: \.outcome))
        }

        func record(_ count: Int) async throws {
            for index in 0..<count {
                #expect(recorder.record(Export(outcome: index % 5 == 0 ? .failure : .success)) == .recorded)
            }
            try await recorder.flush()
        }

        /// Runs the exporter in a service group around `body`, then shuts it
        /// down gracefully and returns how long that took.
        func whileExporting(_ body: () async throws -> Void) async throws -> Duration {
            let group = ServiceGroup(services: [exporter], logger: Logger(label: "otlp-fault-test"))
            return try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await body()
                let start = ContinuousClock.now
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return ContinuousClock.now - start
            }
        }

        func finish() async {
            await runtime.shutdown()
        }
    }

    /// Checks what every fault test promises once the exporter has stopped:
    /// the recorder lost nothing, and every failure counted was logged.
    private static func expectNothingLost(_ fixture: Fixture, recorded: Int) {
        let snapshot = fixture.recorder.snapshot()
        #expect(snapshot["otlp_fault_test.exports"]?.count("total") == UInt64(recorded))
        #expect(snapshot["otlp_fault_test.exports"]?.count("failure_total") == UInt64((recorded + 4) / 5))
        #expect(snapshot.statistics.accepted == UInt64(recorded))
        #expect(snapshot.statistics.dropped == 0)
        #expect(snapshot.statistics.hookFailures == 0)
        #expect(
            fixture.logs.messages(at: .warning).filter { $0 == "OTLP export failed" }.count
                == Int(fixture.exporter.statistics.exportFailures))
    }

    @Test func aCollectorThatIsDownIsCountedAndShutdownIsBounded() async throws {
        let fixture = try await Fixture(port: freePort())
        let shutdown = try await fixture.whileExporting {
            try await fixture.record(5_000)
            let failed = await eventually(timeout: .seconds(60)) { fixture.exporter.statistics.exportFailures >= 2 }
            #expect(failed)
            try await fixture.record(5_000)
        }
        // The last export fails too, within its one-second timeout. Alone this
        // takes about a second; the bound leaves room for a machine whose
        // cooperative threads other tests keep busy (a full `swift test` on two cores).
        // A promise of the exporter, scaled all the same: the sanitizer slows
        // the shutdown itself.
        #expect(shutdown < .seconds(30).scaled)
        Self.expectNothingLost(fixture, recorded: 10_000)
        await fixture.finish()
    }

    @Test func aCollectorThatNeverAnswersTimesOutAndShutdownIsBounded() async throws {
        // The kernel completes the handshake on a listening socket: the
        // connection is accepted, the request is taken, and no answer comes.
        let silent = try SilentListener()
        let fixture = try await Fixture(port: silent.port)
        let shutdown = try await fixture.whileExporting {
            try await fixture.record(2_000)
            let failed = await eventually(timeout: .seconds(60)) { fixture.exporter.statistics.exportFailures >= 2 }
            #expect(failed)
        }
        #expect(shutdown < .seconds(30).scaled)  // a promise, scaled as above
        Self.expectNothingLost(fixture, recorded: 2_000)
        await fixture.finish()
    }

    @Test(.needsOTLPReceiver)
    func aCollectorThatGoesAwayGetsTheExactTotalsWhenItIsBack() async throws {
        let python = try #require(RealComponents.python, "a Python with opentelemetry-proto is required under CI")
        var receiver = try OTLPReceiver(python: python)
        defer { receiver.discard() }
        let fixture = try await Fixture(port: receiver.port)
        let name = "otlp_fault_test.exports"
        let success = ["entity_id": "exports", "outcome": "success"]
        let failure = ["entity_id": "exports", "outcome": "failure"]
        func total(_ request: OTLPReceiver.Request) -> Int64 { request.total(of: name) }
        let shutdown = try await fixture.whileExporting {
            try await fixture.record(30)
            try await receiver.waitFor(deadline: .seconds(60)) { total($0) == 30 }

            // It goes away: exports fail and are counted, recording goes on.
            await receiver.stop()
            try await fixture.record(20)
            let failed = await eventually(timeout: .seconds(60)) { fixture.exporter.statistics.exportFailures >= 1 }
            #expect(failed)

            // It is back on the same port: sums are cumulative, so the next
            // export carries every total, the outage's events included.
            receiver = try OTLPReceiver(python: python, port: receiver.port)
            try await fixture.record(50)
            let received = try await receiver.waitFor(deadline: .seconds(60)) { total($0) == 100 }
            #expect(received.metric(name)?.point(success)?.int == 80)
            #expect(received.metric(name)?.point(failure)?.int == 20)
        }
        #expect(shutdown < .seconds(30).scaled)  // a promise, scaled as above
        Self.expectNothingLost(fixture, recorded: 100)
        await fixture.finish()
    }

    @Test(.needsOTLPReceiver)
    func withDeltaTemporalityNothingCountedDuringAnOutageIsLost() async throws {
        let python = try #require(RealComponents.python, "a Python with opentelemetry-proto is required under CI")
        var receiver = try OTLPReceiver(python: python)
        defer { receiver.discard() }
        let fixture = try await Fixture(port: receiver.port, temporality: .delta)
        let name = "otlp_fault_test.exports"
        var received: [OTLPReceiver.Request] = []
        func total(_ requests: [OTLPReceiver.Request]) -> Int64 {
            requests.reduce(0) { $0 + $1.total(of: name) }
        }
        _ = try await fixture.whileExporting {
            try await fixture.record(30)
            try await receiver.waitFor(deadline: .seconds(60)) { _ in total(receiver.requests()) == 30 }
            received += await receiver.stop()
            let failuresBefore = fixture.exporter.statistics.exportFailures
            try await fixture.record(20)
            let failed = await eventually(timeout: .seconds(60)) {
                fixture.exporter.statistics.exportFailures >= failuresBefore + 2
            }
            #expect(failed)
            // Back: the next delta covers the outage, from the last export that got through.
            receiver = try OTLPReceiver(python: python, port: receiver.port)
            try await fixture.record(50)
            try await receiver.waitFor(deadline: .seconds(60)) { _ in total(received + receiver.requests()) == 100 }
        }
        received += await receiver.stop()
        // The final export on shutdown carries nothing new.
        #expect(total(received) == 100)
        let points = received.compactMap { $0.metric(name)?.points.first }
        #expect(
            zip(points, points.dropFirst()).allSatisfy { $1.start == $0.time }, "a gap or an overlap between deltas")
        Self.expectNothingLost(fixture, recorded: 100)
        await fixture.finish()
    }
}
