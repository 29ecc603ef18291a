import MVXMetricsCore

/// The echo server's metrics, for registering in one go.
public enum TCPEchoServerMetrics {
    /// Connections served, and bytes received, echoed and discarded.
    public static func all() -> [any Metric] {
        [
            EventCountMetric(
                "tcp_echo_server.connections", help: "Connections served to their end.",
                of: TCPEchoServerConnection.self),
            SumMetric(
                "tcp_echo_server.received.bytes", help: "Bytes received from clients.",
                of: TCPEchoServerConnection.self, value: \.bytesReceived),
            SumMetric(
                "tcp_echo_server.echoed.bytes", help: "Bytes echoed back to clients.",
                of: TCPEchoServerConnection.self, value: \.bytesEchoed),
            SumMetric(
                "tcp_echo_server.discarded.bytes",
                help: "Bytes received and not echoed (silent or hung-up connections).",
                of: TCPEchoServerConnection.self, value: \.bytesDiscarded),
        ]
    }
}
