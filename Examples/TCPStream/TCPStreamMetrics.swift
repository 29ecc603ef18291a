import MVXMetricsCore

/// The TCP stream's metrics, for registering in one go.
public enum TCPStreamMetrics {
    /// Attempts of every operation, and bytes sent and received.
    public static func all() throws(MetricsError) -> [any Metric] {
        [
            try TCPStreamAttemptsMetric(
                "tcp_stream.open.attempts", help: "Connection attempts.", of: TCPStreamOpenAttempt.self),
            try TCPStreamAttemptsMetric(
                "tcp_stream.close.attempts", help: "Close attempts.", of: TCPStreamCloseAttempt.self),
            try TCPStreamAttemptsMetric(
                "tcp_stream.read.attempts", help: "Read attempts.", of: TCPStreamReadAttempt.self),
            try TCPStreamAttemptsMetric(
                "tcp_stream.write.attempts", help: "Write attempts.", of: TCPStreamWriteAttempt.self),
            try TCPStreamAttemptsMetric(
                "tcp_stream.drain.attempts", help: "Drain attempts.", of: TCPStreamDrainAttempt.self),
            SumMetric(
                "tcp_stream.received.bytes", help: "Bytes received.", of: TCPStreamReadAttempt.self,
                value: \.bytesReceived),
            SumMetric("tcp_stream.sent.bytes", help: "Bytes sent.", of: TCPStreamWriteAttempt.self, value: \.bytesSent),
        ]
    }
}
