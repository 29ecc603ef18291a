import MVXMetricsTestKit
import TCPStreamExample
import Testing

/// The echo server reads everything clients send, even when it does not
/// answer or has hung up, and reports each connection: so the bytes clients
/// sent equal the bytes it echoed plus those it discarded.
@Suite struct TCPEchoServerTests {
    private func probes() throws -> (client: TestMetricsRecorder, server: TestMetricsRecorder) {
        let client = TestMetricsRecorder(entityID: "tcp-stream")
        for metric in try TCPStreamMetrics.all() { try client.register(metric) }
        let server = TestMetricsRecorder(entityID: "tcp-echo-server")
        for metric in TCPEchoServerMetrics.all() { try server.register(metric) }
        return (client, server)
    }

    @Test func anEchoedConnectionIsReportedWhenItsClientCloses() throws {
        let (client, probe) = try probes()
        let server = try TCPEchoServer(metrics: probe)
        let stream = TCPStream(metrics: client)
        try stream.open(host: "127.0.0.1", port: server.port)
        try stream.write(Array("hello".utf8))
        var reply: [UInt8] = []
        while reply.count < 5 { reply += try stream.read(upTo: 5 - reply.count) }
        try stream.close()
        server.finish()  // returns once the connection was served to its end

        try probe.expect("tcp_echo_server.connections", "total", count: 1)
        try probe.expect("tcp_echo_server.received.bytes", "total", count: 5)
        try probe.expect("tcp_echo_server.echoed.bytes", "total", count: 5)
        try probe.expect("tcp_echo_server.discarded.bytes", "total", count: 0)
        #expect(server.bytesEchoed == 5)
    }

    @Test func silentAndHungUpConnectionsDiscardWhatTheyRead() throws {
        let (client, probe) = try probes()
        let silent = try TCPEchoServer(metrics: probe) { _ in .silent }
        let hangUp = try TCPEchoServer(metrics: probe) { _ in .disconnect }
        let partial = try TCPEchoServer(metrics: probe) { _ in .echoThenDisconnect(afterBytes: 2) }

        // Silence: the read times out, the 7 bytes are read and discarded.
        let quiet = TCPStream(metrics: client)
        try quiet.open(host: "127.0.0.1", port: silent.port)
        try quiet.write(Array(repeating: 1, count: 7))
        #expect(throws: TCPStreamError.self) { _ = try quiet.read(upTo: 7, timeout: .milliseconds(30)) }
        try quiet.close()

        // A hang-up: the client reads the end of the stream; what it wrote
        // before and after is still read by the server.
        let rude = TCPStream(metrics: client)
        try rude.open(host: "127.0.0.1", port: hangUp.port)
        try rude.write(Array(repeating: 2, count: 3))
        let ended = #expect(throws: TCPStreamError.self) { _ = try rude.read(upTo: 3) }
        #expect(ended?.outcome == .remoteDisconnect)
        try rude.write(Array(repeating: 3, count: 4))
        try rude.close()

        // Two bytes echoed, then the hang-up.
        let cut = TCPStream(metrics: client)
        try cut.open(host: "127.0.0.1", port: partial.port)
        try cut.write(Array(repeating: 4, count: 5))
        var echoed: [UInt8] = []
        while echoed.count < 2 { echoed += try cut.read(upTo: 5) }
        let cutOff = #expect(throws: TCPStreamError.self) { _ = try cut.read(upTo: 5) }
        #expect(cutOff?.outcome == .remoteDisconnect)
        try cut.close()

        for server in [silent, hangUp, partial] { server.finish() }
        try probe.expect("tcp_echo_server.connections", "total", count: 3)
        try client.expect("tcp_stream.sent.bytes", "total", count: 19)
        try probe.expect("tcp_echo_server.received.bytes", "total", count: 19)
        try probe.expect("tcp_echo_server.echoed.bytes", "total", count: 2)
        try probe.expect("tcp_echo_server.discarded.bytes", "total", count: 17)
        try client.expect("tcp_stream.received.bytes", "total", count: 2)
    }

    @Test func finishingWithoutClientsReturnsAtOnceAndStopIsIdempotent() throws {
        let server = try TCPEchoServer()
        server.finish(timeout: .seconds(1))
        server.stop()
        let stream = TCPStream()
        let refused = #expect(throws: TCPStreamError.self) { try stream.open(host: "127.0.0.1", port: server.port) }
        #expect(refused?.refusalReason == .connectionRefused)
    }
}
