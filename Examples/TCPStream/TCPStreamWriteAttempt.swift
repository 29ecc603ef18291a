import MVXMetricsCore

/// An attempt to write to the connection.
public struct TCPStreamWriteAttempt: TCPStreamAttemptEvent {
    public static let eventType = "tcp_stream.write.attempt"

    public var outcome: TCPStreamOutcome
    public var refusalReason: TCPStreamRefusalReason?
    /// Bytes handed to the kernel, including those of a write that failed part-way.
    public var bytesSent: ByteCount
    public var duration: Duration

    public init(
        outcome: TCPStreamOutcome, refusalReason: TCPStreamRefusalReason? = nil, bytesSent: ByteCount,
        duration: Duration
    ) {
        self.outcome = outcome
        self.refusalReason = refusalReason
        self.bytesSent = bytesSent
        self.duration = duration
    }

    public init(outcome: TCPStreamOutcome, refusalReason: TCPStreamRefusalReason?, bytes: ByteCount, duration: Duration)
    {
        self.init(outcome: outcome, refusalReason: refusalReason, bytesSent: bytes, duration: duration)
    }
}
