import MVXMetricsCore

/// How a TCP stream operation ended.
public enum TCPStreamOutcome: MetricCase {
    /// The operation completed.
    case success
    /// The operation failed for another reason (see the error's message).
    case failure
    /// The operation did not complete before its deadline.
    case timeout
    /// ``TCPStream/cancel()`` interrupted the operation.
    case cancelled
    /// The operation was refused; the event's refusal reason says why.
    case refused
    /// The peer closed or reset the connection.
    case remoteDisconnect
}
