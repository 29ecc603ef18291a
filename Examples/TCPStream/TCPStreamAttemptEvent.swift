import MVXMetricsCore

/// The shape shared by every TCP stream attempt fact: how it ended, why it was
/// refused (if it was), how many bytes it moved and how long it took.
public protocol TCPStreamAttemptEvent: MetricEvent {
    /// How the attempt ended.
    var outcome: TCPStreamOutcome { get }
    /// Why the attempt was refused, when ``outcome`` is ``TCPStreamOutcome/refused``.
    var refusalReason: TCPStreamRefusalReason? { get }
    /// How long the attempt took.
    var duration: Duration { get }

    /// Creates the fact; `bytes` is ignored by events that move no payload.
    init(outcome: TCPStreamOutcome, refusalReason: TCPStreamRefusalReason?, bytes: ByteCount, duration: Duration)
}
