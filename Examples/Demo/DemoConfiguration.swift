import MVXMetricsHTTP

/// What a ``Demo`` runs: how long, how fast, and where it serves.
public struct DemoConfiguration: Sendable, Hashable {
    /// Where the HTTP endpoint listens.
    public enum Serving: Sendable, Hashable {
        /// No HTTP endpoint.
        case off
        /// This port, or a free one if it is busy (the default: the demo must
        /// start without setup).
        case preferredPort(Int)
        /// Exactly this port (0 picks a free one); a busy port is an error.
        case port(Int)
    }

    /// The port the demo prefers: 9464, the port of OpenTelemetry's
    /// Prometheus exporter and of ``MVXMetricsHTTP/MetricsHTTPServer``.
    public static let defaultPort = 9464

    /// How long the workload runs; nil runs until ``Demo/requestStop()``.
    public var duration: Duration?
    /// Document saves per second; the TCP clients make as many exchanges.
    public var rate: Int
    /// Where the HTTP endpoint listens.
    public var serving: Serving
    /// How many TCP clients run side by side.
    public var tcpClients: Int
    /// How often the live page's history takes a snapshot.
    public var sampleInterval: Duration
    /// The most HTTP connections open at once (the library's default, 128);
    /// more are closed as soon as they are accepted.
    public var maximumConnections: Int

    /// Creates a configuration; the defaults are the command's.
    public init(
        duration: Duration? = .seconds(30), rate: Int = 200, serving: Serving = .preferredPort(defaultPort),
        tcpClients: Int = 3, sampleInterval: Duration = .seconds(1),
        maximumConnections: Int = MetricsHTTPServer.Configuration().maximumConnections
    ) {
        self.duration = duration
        self.rate = rate
        self.serving = serving
        self.tcpClients = tcpClients
        self.sampleInterval = sampleInterval
        self.maximumConnections = maximumConnections
    }
}
