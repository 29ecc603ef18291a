import DemoExample
import MVXMetrics
import MVXMetricsTestSupport
import TCPStreamExample
import Testing

/// The demo's workload, run for real: every injected fault shows up, and the
/// final snapshot satisfies the identities of `ConsistencyReport`.
@Suite struct DemoRunTests {
    /// The metric `name` across the runtime's recorders.
    private func metric(_ demo: Demo, _ name: String) async -> MetricSnapshot? {
        await demo.runtime.snapshot().flatMap(\.metrics).first { $0.name == name }
    }

    @Test func everyFaultIsMeasuredAndTheFinalSnapshotIsConsistent() async throws {
        let demo = try Demo(configuration: .init(duration: nil, rate: 400, serving: .off))
        #expect(try await demo.start() == nil)

        // The cycles of sessions and saves put every fault within a few seconds.
        let expected: [(metric: String, dimension: String, labels: [String: String])] = [
            ("document_storage.save.attempts", "too_large_total", [:]),
            ("document_storage.save.attempts", "invalid_name_total", [:]),
            ("document_storage.save.attempts", "failure_total", [:]),
            ("tcp_stream.open.attempts", "refused_by_reason_total", ["reason": "connection_refused"]),
            ("tcp_stream.read.attempts", "timeout_total", [:]),
            ("tcp_stream.read.attempts", "remote_disconnect_total", [:]),
            ("tcp_stream.read.attempts", "refused_by_reason_total", ["reason": "not_connected"]),
            ("tcp_stream.write.attempts", "refused_by_reason_total", ["reason": "limit_exceeded"]),
            ("tcp_stream.close.attempts", "refused_by_reason_total", ["reason": "not_connected"]),
            ("tcp_echo_server.discarded.bytes", "total", [:]),
        ]
        let sawEveryFault = await eventually {
            for item in expected {
                guard let count = await metric(demo, item.metric)?.count(item.dimension, labels: item.labels),
                    count > 0
                else { return false }
            }
            return true
        }
        let outcome = await demo.stop()
        #expect(sawEveryFault, "some injected fault never showed up")
        #expect(outcome.report.passed, "\(outcome.report)")
        #expect(outcome.report.checks.count == 5)
        #expect(outcome.snapshots.map(\.entityID) == ["document-storage", "tcp-echo-server", "tcp-stream"])
        for snapshot in outcome.snapshots {
            #expect(snapshot.statistics.pending == 0)
            #expect(snapshot.statistics.accepted == snapshot.statistics.processed)
        }
        #expect(demo.runtime.state == .stopped)
    }

    @Test func theDurationEndsTheRunAndTheViewIsRefreshedUntilThen() async throws {
        let demo = try Demo(configuration: .init(duration: .milliseconds(600), rate: 100, serving: .off))
        _ = try await demo.start()
        var refreshes: [Duration] = []
        await demo.run(refreshEvery: .milliseconds(100)) { elapsed in refreshes.append(elapsed) }
        #expect(demo.isFinished)
        // How many refreshes fit depends on the machine's load; that they come
        // in order and the last one shows the full duration does not.
        #expect(refreshes == refreshes.sorted())
        #expect(refreshes.last == .milliseconds(600))
        let outcome = await demo.stop()
        #expect(outcome.elapsed == .milliseconds(600))
        #expect(outcome.report.passed, "\(outcome.report)")
    }

    @Test func aStopRequestEndsTheRunEarly() async throws {
        let demo = try Demo(configuration: .init(duration: .seconds(3600), rate: 200, serving: .off))
        _ = try await demo.start()
        let started = ContinuousClock.now
        let processedSome = await eventually {
            await demo.runtime.snapshot().contains { $0.statistics.processed > 0 }
        }
        #expect(processedSome)
        demo.requestStop()
        await demo.run(refreshEvery: .seconds(1)) { _ in }
        let outcome = await demo.stop()
        // A promise of the demo (a stop request ends the run early), scaled:
        // the sanitizer slows the stop itself.
        #expect(ContinuousClock.now - started < .seconds(60).scaled)
        #expect(outcome.report.passed, "\(outcome.report)")
    }

    @Test func aBusyPortIsAClearErrorUnlessItWasOnlyPreferred() async throws {
        let occupant = try TCPEchoServer()
        defer { occupant.stop() }
        let port = Int(occupant.port)

        let strict = try Demo(configuration: .init(serving: .port(port)))
        let error = await #expect(throws: DemoError.self) { _ = try await strict.start() }
        #expect(error?.message.contains("could not listen on 127.0.0.1:\(port)") == true)
        #expect(error?.message.contains("--port 0") == true)
        #expect(strict.runtime.state == .stopped)

        let relaxed = try Demo(configuration: .init(serving: .preferredPort(port)))
        let address = try #require(try await relaxed.start())
        #expect(!address.contains(":\(port)/"))
        #expect(relaxed.notes.first?.contains("port \(port) is not available") == true)
        relaxed.requestStop()
        let outcome = await relaxed.stop()
        #expect(outcome.report.passed, "\(outcome.report)")
    }
}
