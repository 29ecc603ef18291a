import MVXMetricsCore

/// The fact that ``TCPEchoServer`` served a connection to its end: what it
/// received, what it echoed, and how long the connection lasted.
///
/// The server reads everything a client sends, so across a run the bytes
/// clients sent equal ``bytesReceived`` summed over connections.
public struct TCPEchoServerConnection: MetricEvent {
    public static let eventType = "tcp_echo_server.connection"

    /// Bytes read from the client.
    public var bytesReceived: ByteCount
    /// Bytes sent back to the client.
    public var bytesEchoed: ByteCount
    /// How long the connection was served.
    public var duration: Duration

    public init(bytesReceived: ByteCount, bytesEchoed: ByteCount, duration: Duration) {
        self.bytesReceived = bytesReceived
        self.bytesEchoed = bytesEchoed
        self.duration = duration
    }

    /// Bytes read and not echoed: the connection was silent, or had hung up.
    public var bytesDiscarded: ByteCount { ByteCount(bytesReceived.bytes - bytesEchoed.bytes) }
}
