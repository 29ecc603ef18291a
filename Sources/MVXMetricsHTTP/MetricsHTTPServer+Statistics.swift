extension MetricsHTTPServer {
    /// What the server has refused or cut short since it was made: the figures
    /// that show an endpoint under attack or misconfigured, where the log only
    /// shows a sample (client faults log at debug level, the rest at most once
    /// per interval).
    ///
    /// Copies of a server share one set of counters, so read them from any copy
    /// (the one a `ServiceGroup` runs, say).
    public struct Statistics: Sendable, Hashable, Codable {
        /// Connections accepted and served.
        public var connectionsAccepted: Int
        /// Connections closed at once because
        /// ``MetricsHTTPServer/Configuration/maximumConnections`` were already open.
        public var connectionsRefused: Int
        /// Connections being served now.
        public var connectionsOpen: Int
        /// Requests whose head arrived (whatever became of them).
        public var requestsReceived: Int
        /// Accepts that failed for want of a resource (`EMFILE`, `ENFILE`,
        /// `ENOBUFS`, `ENOMEM`): the server waits a second and accepts again.
        public var acceptFailures: Int
        /// Requests whose head and body did not arrive within
        /// ``MetricsHTTPServer/Configuration/requestTimeout``; their connections
        /// were closed.
        public var requestsTimedOut: Int
        /// Responses with a 4xx status (a bad token, an unknown path, a body
        /// over the limit, a malformed or cut-off request).
        public var clientErrors: Int
        /// Responses with a 5xx status (a snapshot source that threw, say).
        public var serverErrors: Int

        /// Creates statistics; all zero by default.
        public init(
            connectionsAccepted: Int = 0, connectionsRefused: Int = 0, connectionsOpen: Int = 0,
            requestsReceived: Int = 0, acceptFailures: Int = 0, requestsTimedOut: Int = 0, clientErrors: Int = 0,
            serverErrors: Int = 0
        ) {
            self.connectionsAccepted = connectionsAccepted
            self.connectionsRefused = connectionsRefused
            self.connectionsOpen = connectionsOpen
            self.requestsReceived = requestsReceived
            self.acceptFailures = acceptFailures
            self.requestsTimedOut = requestsTimedOut
            self.clientErrors = clientErrors
            self.serverErrors = serverErrors
        }
    }

    /// The server's counts so far.
    public var statistics: Statistics { counters.statistics }
}
