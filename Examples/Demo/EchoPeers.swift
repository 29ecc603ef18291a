import MVXMetrics
import TCPStreamExample

/// The TCP clients' peers on 127.0.0.1: an echo server for each behaviour the
/// demo injects, and a port where nothing listens.
///
/// One server per behaviour lets a client know what its peer will do, so it
/// reads back exactly what is echoed; every server reports the connections it
/// served to the same recorder.
final class EchoPeers: Sendable {
    /// Echoes everything.
    let echo: TCPEchoServer
    /// Reads and never answers: the client's read times out.
    let silent: TCPEchoServer
    /// Hangs up at once: the client's read sees the end of the stream.
    let hangUp: TCPEchoServer
    /// Echoes ``echoBudget`` bytes, then hangs up.
    let echoThenHangUp: TCPEchoServer
    /// A port nothing listens on: connecting is refused.
    var closedPort: UInt16 { closed.port }
    private let closed: ClosedPort

    /// How many bytes ``echoThenHangUp`` echoes before hanging up.
    static let echoBudget = 3000

    /// Starts the servers, reporting to `recorder`.
    init(recorder: any MetricsRecorder) throws(TCPStreamError) {
        echo = try TCPEchoServer(metrics: recorder) { _ in .echo }
        silent = try TCPEchoServer(metrics: recorder) { _ in .silent }
        hangUp = try TCPEchoServer(metrics: recorder) { _ in .disconnect }
        echoThenHangUp = try TCPEchoServer(metrics: recorder) { _ in .echoThenDisconnect(afterBytes: Self.echoBudget) }
        // Reserved, not released: a released port may go to another server,
        // which would then accept the connections meant to be refused.
        closed = try ClosedPort()
    }

    /// Serves the connections clients made until they close them, then stops:
    /// call it once the clients are done.
    func finish() {
        for server in [echo, silent, hangUp, echoThenHangUp] {
            server.finish(timeout: .seconds(5))
        }
    }
}
