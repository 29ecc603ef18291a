import MVXMetricsCore

/// An attempt to read from the connection.
public struct TCPStreamReadAttempt: TCPStreamAttemptEvent {
    public static let eventType = "tcp_stream.read.attempt"

    public var outcome: TCPStreamOutcome
    public var refusalReason: TCPStreamRefusalReason?
    /// Bytes received (0 unless the read succeeded).
    public var bytesReceived: ByteCount
    public var duration: Duration

    public init(
        outcome: TCPStreamOutcome, refusalReason: TCPStreamRefusalReason? = nil, bytesReceived: ByteCount,
        duration: Duration
    ) {
        self.outcome = outcome
        self.refusalReason = refusalReason
        self.bytesReceived = bytesReceived
        self.duration = duration
    }

    public init(outcome: TCPStreamOutcome, refusalReason: TCPStreamRefusalReason?, bytes: ByteCount, duration: Duration)
    {
        self.init(outcome: outcome, refusalReason: refusalReason, bytesReceived: bytes, duration: duration)
    }
}
