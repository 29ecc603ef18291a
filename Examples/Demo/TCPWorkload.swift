import Foundation
import MVXMetrics
import TCPStreamExample

/// A TCP client talking to the ``EchoPeers`` over real sockets: it opens
/// connections, writes messages, reads the echoes back, drains and closes,
/// and meets timeouts, refusals and remote disconnects on the way.
///
/// Each exchange (one write and the reads of its echo) takes one slot of the
/// pace. The client always reads back everything the server echoed before it
/// closes, so the bytes it received equal the bytes the servers echoed.
final class TCPWorkload: Sendable {
    /// What one session does; sessions follow a cycle of 25 in which the
    /// faults sit at fixed places, so a short run sees them all.
    enum Session: Sendable {
        /// A conversation with the echo server.
        case echo
        /// A conversation with the silent server: the read times out.
        case silent
        /// A conversation with the server that hangs up at once.
        case hangUp
        /// A conversation with the server that hangs up mid-echo.
        case echoThenHangUp
        /// Connecting to a port where nothing listens.
        case refused
        /// Using a stream the wrong way: writing too much, reading after close.
        case misuse

        static let cycle: [Session] = (0..<25).map { index in
            switch index {
            case 3, 15: .silent
            case 7: .hangUp
            case 10, 20: .echoThenHangUp
            case 12: .refused
            case 23: .misuse
            default: .echo
            }
        }
    }

    /// The largest write the client's streams accept.
    static let maximumWriteSize = ByteCount.kibibytes(32)

    private let peers: EchoPeers
    private let recorder: any MetricsRecorder

    init(peers: EchoPeers, recorder: any MetricsRecorder) {
        self.peers = peers
        self.recorder = recorder
    }

    /// Runs sessions at `rate` exchanges per second until `stop` is raised,
    /// starting at `offset` in the cycle (so clients side by side differ).
    func run(rate: Double, offset: Int, stop: StopSignal) {
        var pacer = Pacer(rate: rate)
        var index = offset
        while pacer.waitForSlot(stop) {
            run(Session.cycle[index % Session.cycle.count], pacer: &pacer, stop: stop)
            index += 1
        }
    }

    private func run(_ session: Session, pacer: inout Pacer, stop: StopSignal) {
        let stream = TCPStream(maximumWriteSize: Self.maximumWriteSize, metrics: recorder)
        switch session {
        case .echo:
            converse(stream, port: peers.echo.port, exchanges: Int.random(in: 2...8), pacer: &pacer, stop: stop)
        case .silent:
            converse(
                stream, port: peers.silent.port, exchanges: 1, readTimeout: .milliseconds(40), pacer: &pacer, stop: stop
            )
        case .hangUp:
            converse(stream, port: peers.hangUp.port, exchanges: 2, pacer: &pacer, stop: stop)
        case .echoThenHangUp:
            converse(stream, port: peers.echoThenHangUp.port, exchanges: 8, pacer: &pacer, stop: stop)
        case .refused:
            try? stream.open(host: "127.0.0.1", port: peers.closedPort)
        case .misuse:
            guard (try? stream.open(host: "127.0.0.1", port: peers.echo.port)) != nil else { return }
            // Refused by the stream itself: nothing is sent.
            try? stream.write([UInt8](repeating: 0, count: Self.maximumWriteSize.bytes + 1))
            try? stream.close()
            _ = try? stream.read(upTo: 16)
            try? stream.close()
        }
    }

    /// Opens a connection to `port`, then writes messages and reads their
    /// echoes until the peer stops answering, and closes.
    private func converse(
        _ stream: TCPStream<ContinuousClock>, port: UInt16, exchanges: Int, readTimeout: Duration = .seconds(2),
        pacer: inout Pacer, stop: StopSignal
    ) {
        guard (try? stream.open(host: "127.0.0.1", port: port)) != nil else { return }
        var answered = true
        for exchange in 0..<exchanges {
            if exchange > 0, !pacer.waitForSlot(stop) { break }
            let message = [UInt8](repeating: UInt8(ascii: "e"), count: Self.messageSize())
            guard (try? stream.write(message)) != nil else { break }
            answered = readEcho(of: message.count, from: stream, timeout: readTimeout)
            if !answered { break }
        }
        if answered { try? stream.drain(timeout: .seconds(1)) }
        try? stream.close()
    }

    /// Reads until `count` bytes came back; false if the peer timed out or hung up.
    private func readEcho(of count: Int, from stream: TCPStream<ContinuousClock>, timeout: Duration) -> Bool {
        var received = 0
        while received < count {
            guard let bytes = try? stream.read(upTo: count - received, timeout: timeout) else { return false }
            received += bytes.count
        }
        return true
    }

    /// A message size between 32 bytes and 8 KiB, evenly spread on a log scale.
    private static func messageSize() -> Int {
        Int(exp(Double.random(in: log(32.0)...log(8192.0))))
    }
}
