import MVXMetricsCore

/// An attempt to close the connection.
public struct TCPStreamCloseAttempt: TCPStreamAttemptEvent {
    public static let eventType = "tcp_stream.close.attempt"

    public var outcome: TCPStreamOutcome
    public var refusalReason: TCPStreamRefusalReason?
    public var duration: Duration

    public init(outcome: TCPStreamOutcome, refusalReason: TCPStreamRefusalReason? = nil, duration: Duration) {
        self.outcome = outcome
        self.refusalReason = refusalReason
        self.duration = duration
    }

    public init(outcome: TCPStreamOutcome, refusalReason: TCPStreamRefusalReason?, bytes: ByteCount, duration: Duration)
    {
        self.init(outcome: outcome, refusalReason: refusalReason, duration: duration)
    }
}
