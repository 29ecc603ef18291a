import Foundation
import Logging
import MVXMetricsOTel
import MVXMetricsTestKit
import MVXMetricsTestSupport
import OTel
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
    /// A running runtime, an exporter to `port` that gives up on an export
    /// after one second, and a queued recorder with its hook.
    private struct Fixture {
        let runtime: MetricsRuntime
        let exporter: OTLPMetricsExporter
        let recorder: QueuedMetricsRecorder
        let logs: CapturedLogs

        init(port: Int) async throws {
            runtime = MetricsRuntime()
            try await runtime.start()
            var configuration = OTel.Configuration.default
            configuration.serviceName = "mvx-otlp-fault-test"
            configuration.metrics.exportInterval = .milliseconds(200)
            configuration.metrics.exportTimeout = .seconds(1)
            configuration.metrics.otlpExporter.timeout = .milliseconds(500)
            configuration.metrics.otlpExporter.endpoint = "http://127.0.0.1:\(port)/v1/metrics"
            configuration.metrics.otlpExporter.protocol = .httpProtobuf
            // Warnings, so that each failure reaches the captured logs.
            configuration.diagnosticLogLevel = .warning
            let logs = CapturedLogs()
            self.logs = logs
            exporter = try OTLPMetricsExporter(
                source: runtime, configuration: configuration, interval: .milliseconds(50),
                diagnosticLogger: Logger(label: "otlp-fault-test") { _ in logs.handler() })
            recorder = try runtime.createRecorder(named: "exports", hooks: [exporter.hook])
            try recorder.register(OutcomeMetric("otlp_fault_test.exports", of: Export.self, outcome: \.outcome))
        }

        func record(_ count: Int) async throws {
            for index in 0..<count {
                #expect(recorder.record(Export(outcome: index % 5 == 0 ? .failure : .success)) == .accepted)
            }
            try await recorder.flush()
            exporter.hook.flush()
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
            exporter.hook.shutdown()
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
            fixture.logs.messages(at: .warning).filter { $0 == "Failed to export metrics." }.count
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

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.python),
            "no Python with opentelemetry-proto (MVX_PYTHON); bash .ci/run sets it"))
    func aCollectorThatGoesAwayGetsTheExactTotalsWhenItIsBack() async throws {
        let python = try #require(RealComponents.python, "a Python with opentelemetry-proto is required under CI")
        var receiver = try OTLPReceiver(python: python)
        defer { receiver.stop() }
        let fixture = try await Fixture(port: receiver.port)
        let name = "otlp_fault_test.exports"
        let attributes = ["entity_id": "exports"]
        let shutdown = try await fixture.whileExporting {
            try await fixture.record(30)
            try await receiver.waitFor(deadline: .seconds(60)) { $0.sums[name]?[attributes] == 30 }

            // It goes away: exports fail and are counted, recording goes on.
            receiver.stop()
            try await fixture.record(20)
            let failed = await eventually(timeout: .seconds(60)) { fixture.exporter.statistics.exportFailures >= 1 }
            #expect(failed)

            // It is back on the same port: sums are cumulative, so the next
            // export carries every total, the outage's events included.
            receiver = try OTLPReceiver(python: python, port: receiver.port)
            try await fixture.record(50)
            try await receiver.waitFor(deadline: .seconds(60)) { $0.sums[name]?[attributes] == 100 }
            let received = receiver.received()
            #expect(received.sums[name + ".success_total"]?[attributes] == 80)
            #expect(received.sums[name + ".failure_total"]?[attributes] == 20)
        }
        #expect(shutdown < .seconds(30).scaled)  // a promise, scaled as above
        Self.expectNothingLost(fixture, recorded: 100)
        await fixture.finish()
    }
}
