import Foundation
import MVXMetricsTestKit
import MVXMetricsTestSupport
import TCPStreamExample
import Testing

@Suite struct TCPStreamTests {
    private func recorder() throws -> TestMetricsRecorder {
        let probe = TestMetricsRecorder(entityID: "tcp-stream")
        for metric in try TCPStreamMetrics.all() { try probe.register(metric) }
        return probe
    }

    @Test func aConversationIsMeasuredOperationByOperation() throws {
        let server = try TCPEchoServer()
        defer { server.stop() }
        let probe = try recorder()
        let stream = TCPStream(metrics: probe, clock: StepClock(step: .milliseconds(2)))

        try stream.open(host: "127.0.0.1", port: server.port)
        try stream.write(Array("ping".utf8))
        var reply: [UInt8] = []
        while reply.count < 4 { reply += try stream.read(upTo: 4 - reply.count) }
        #expect(String(decoding: reply, as: UTF8.self) == "ping")
        try stream.drain()
        try stream.close()

        for operation in ["open", "write", "drain", "close"] {
            try probe.expect("tcp_stream.\(operation).attempts", "success_total", count: 1)
            try probe.expect("tcp_stream.\(operation).attempts", "total", count: 1)
        }
        #expect(
            probe.count("tcp_stream.read.attempts", "success_total")
                == UInt64(probe.events(of: TCPStreamReadAttempt.self).count))
        try probe.expect("tcp_stream.sent.bytes", "total", count: 4)
        try probe.expect("tcp_stream.received.bytes", "total", count: 4)
        let duration = try #require(probe.distribution("tcp_stream.open.attempts", "duration"))
        #expect(duration.count == 1)
        #expect(duration.sum == 0.002)
        server.stop()  // joins the server's threads, so its count is final
        #expect(server.bytesEchoed == 4)
        #expect(server.connectionsAccepted == 1)
    }

    @Test func faultsBecomeOutcomes() throws {
        let probe = try recorder()
        let stream = TCPStream(maximumWriteSize: 8, metrics: probe, clock: StepClock(step: .milliseconds(1)))

        // Nothing listens on a reserved, closed port: the peer refuses.
        let closedPort = try ClosedPort()
        let refused = #expect(throws: TCPStreamError.self) {
            try stream.open(host: "127.0.0.1", port: closedPort.port)
        }
        #expect(refused?.refusalReason == .connectionRefused)
        let invalid = #expect(throws: TCPStreamError.self) { try stream.open(host: "not an address", port: 1) }
        #expect(invalid?.refusalReason == .invalidAddress)

        // Operations on a closed stream are refused.
        #expect(throws: TCPStreamError.self) { try stream.write([1]) }
        #expect(throws: TCPStreamError.self) { _ = try stream.read(upTo: 1) }
        #expect(throws: TCPStreamError.self) { try stream.close() }

        // A silent peer: reads time out; a pending cancellation ends the next read.
        let silent = try TCPEchoServer { _ in .silent }
        defer { silent.stop() }
        try stream.open(host: "127.0.0.1", port: silent.port)
        let again = #expect(throws: TCPStreamError.self) { try stream.open(host: "127.0.0.1", port: silent.port) }
        #expect(again?.refusalReason == .alreadyConnected)
        let timeout = #expect(throws: TCPStreamError.self) { _ = try stream.read(upTo: 1, timeout: .milliseconds(30)) }
        #expect(timeout?.outcome == .timeout)
        stream.cancel()
        let cancelled = #expect(throws: TCPStreamError.self) { _ = try stream.read(upTo: 1) }
        #expect(cancelled?.outcome == .cancelled)
        let tooLarge = #expect(throws: TCPStreamError.self) { try stream.write(Array(repeating: 0, count: 9)) }
        #expect(tooLarge?.refusalReason == .limitExceeded)
        try stream.close()

        // A peer that hangs up: the read sees the disconnect.
        let rude = try TCPEchoServer { _ in .disconnect }
        defer { rude.stop() }
        try stream.open(host: "127.0.0.1", port: rude.port)
        let disconnected = #expect(throws: TCPStreamError.self) { _ = try stream.read(upTo: 16) }
        #expect(disconnected?.outcome == .remoteDisconnect)
        try stream.close()

        let open = try #require(probe.snapshot(metric: "tcp_stream.open.attempts"))
        #expect(open.count("total") == 5)
        #expect(open.count("success_total") == 2)
        #expect(open.count("refused_total") == 3)
        #expect(open.count("refused_by_reason_total", labels: ["reason": "connection_refused"]) == 1)
        #expect(open.count("refused_by_reason_total", labels: ["reason": "invalid_address"]) == 1)
        #expect(open.count("refused_by_reason_total", labels: ["reason": "already_connected"]) == 1)

        let read = try #require(probe.snapshot(metric: "tcp_stream.read.attempts"))
        #expect(read.count("total") == 4)
        #expect(read.count("refused_total") == 1)
        #expect(read.count("refused_by_reason_total", labels: ["reason": "not_connected"]) == 1)
        #expect(read.count("timeout_total") == 1)
        #expect(read.count("cancelled_total") == 1)
        #expect(read.count("remote_disconnect_total") == 1)
        #expect(read.count("success_total") == 0)

        let write = try #require(probe.snapshot(metric: "tcp_stream.write.attempts"))
        #expect(write.count("refused_by_reason_total", labels: ["reason": "not_connected"]) == 1)
        #expect(write.count("refused_by_reason_total", labels: ["reason": "limit_exceeded"]) == 1)
        try probe.expect("tcp_stream.close.attempts", "success_total", count: 2)
        try probe.expect("tcp_stream.close.attempts", "refused_total", count: 1)
        try probe.expect("tcp_stream.sent.bytes", "total", count: 0)
        #expect(probe.statistics.handlerFailures == 0)
    }

    /// A reserved closed port refuses connections while it lives, and no
    /// server can listen on it meanwhile (a released port could go to one,
    /// which would then accept what was meant to be refused).
    @Test func aClosedPortRefusesConnectionsAndCannotBeTaken() throws {
        let closed = try ClosedPort()
        let stream = TCPStream()
        let refused = #expect(throws: TCPStreamError.self) { try stream.open(host: "127.0.0.1", port: closed.port) }
        #expect(refused?.refusalReason == .connectionRefused)
        #expect(throws: TCPStreamError.self) { try TCPEchoServer(port: closed.port) }
    }

    @Test func aRemoteDisconnectDuringWritesIsMeasured() throws {
        let probe = try recorder()
        let server = try TCPEchoServer { _ in .echoThenDisconnect(afterBytes: 3) }
        defer { server.stop() }
        let stream = TCPStream(metrics: probe)
        try stream.open(host: "127.0.0.1", port: server.port)
        try stream.write([1, 2, 3])
        var echoed: [UInt8] = []
        while echoed.count < 3 { echoed += try stream.read(upTo: 3) }
        #expect(echoed == [1, 2, 3])
        // The server has closed: the next read ends the conversation.
        #expect(throws: TCPStreamError.self) { _ = try stream.read(upTo: 1) }
        try probe.expect("tcp_stream.read.attempts", "remote_disconnect_total", count: 1)
        try probe.expect("tcp_stream.received.bytes", "total", count: 3)
        try stream.close()
    }
}
