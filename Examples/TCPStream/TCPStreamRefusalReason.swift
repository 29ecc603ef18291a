import MVXMetricsCore

/// Why a TCP stream operation was refused.
public enum TCPStreamRefusalReason: MetricCase {
    /// Nothing listens at the address (the peer answered with a reset).
    case connectionRefused
    /// The address cannot be reached from this host.
    case networkUnreachable
    /// The stream is not open.
    case notConnected
    /// The stream is already open.
    case alreadyConnected
    /// The write is larger than the stream's maximum write size.
    case limitExceeded
    /// The address is not an IPv4 address.
    case invalidAddress
}
