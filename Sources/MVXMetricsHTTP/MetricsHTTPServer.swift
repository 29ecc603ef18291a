import Hummingbird
import HummingbirdCore
import Logging
import MVXMetrics
import MVXMetricsPrometheus
import NIOCore
import ServiceLifecycle

/// An HTTP endpoint for metrics: `GET /metrics` (Prometheus text or
/// OpenMetrics), `GET /snapshot` (JSON snapshots) and `GET /health` (checks).
///
/// ```swift
/// let server = MetricsHTTPServer(runtime: runtime)   // 127.0.0.1:9464
/// try await server.run()                            // or add it to a ServiceGroup
/// ```
///
/// The server is a swift-service-lifecycle `Service`: run it in a
/// `ServiceGroup` next to your application, and graceful shutdown stops it.
/// An application that runs Hummingbird already can serve the same routes
/// on its own router instead, with ``MetricsHTTPRoutes``.
///
/// - `/metrics` chooses OpenMetrics when the request's `Accept` header prefers
///   `application/openmetrics-text` (as Prometheus does), the text format 0.0.4
///   otherwise.
/// - `/snapshot` returns every recorder's snapshot as a JSON array, in the
///   documented stable form.
/// - `/health` runs the configured `HealthCheck`s: 200 when all pass, 503
///   when any fails, with a `HealthReport` as JSON.
///
/// It binds 127.0.0.1 unless told otherwise, and with a bearer token it
/// answers 401 to any request without it. Unknown paths get 404, other methods
/// than `GET` and `HEAD` on its routes 405, a request body over
/// ``Configuration/maximumRequestBodySize`` 413, and a header section over
/// ``Configuration/maximumHeaderSize`` or ``Configuration/maximumHeaderCount``
/// 400. After a 400, 401 or 413 the connection closes instead of reading the
/// rest of the request. At most ``Configuration/maximumConnections`` are open
/// at once, and a request must arrive whole within
/// ``Configuration/requestTimeout``. Errors never carry internal detail;
/// ``statistics`` counts what was refused.
public struct MetricsHTTPServer: Service {
    /// Where the server listens and what it serves.
    public struct Configuration: Sendable {
        /// The address to bind: `127.0.0.1` by default, so metrics are not
        /// exposed beyond the host unless you ask.
        public var host: String
        /// The port: 9464 by default (the port OpenTelemetry's Prometheus
        /// exporter uses); 0 picks a free one, reported to ``onServerRunning``.
        public var port: Int
        /// If set, every request must carry `Authorization: Bearer <token>`.
        public var bearerToken: String?
        /// The checks `/health` runs.
        public var healthChecks: [HealthCheck]
        /// The label carrying each recorder's entity id in `/metrics`.
        public var entityLabel: String
        /// Whether `/metrics` includes each recorder's statistics.
        public var includesRecorderStatistics: Bool
        /// Whether `/metrics` and `/snapshot` answer with gzip when the
        /// request's `Accept-Encoding` allows it; on by default (see
        /// ``MetricsHTTPRoutes/compressesResponses``).
        public var compressesResponses: Bool
        /// Called with the bound port once the server listens.
        public var onServerRunning: (@Sendable (_ port: Int) async -> Void)?
        /// Where the server logs.
        public var logger: Logger
        /// The largest request body accepted, in bytes: 1 KiB by default. The
        /// routes read nothing from a body, so a larger one gets 413 before
        /// any of it is kept.
        public var maximumRequestBodySize: Int
        /// The largest header section (and header field) accepted, in bytes:
        /// 16 KiB by default, a fifth of NIO's. A larger one gets 400 and the
        /// connection is closed.
        public var maximumHeaderSize: Int
        /// The most header fields accepted in one request: 100 by default. More
        /// get 400 and the connection is closed.
        public var maximumHeaderCount: Int
        /// How long a connection may stay idle (no request in progress) before
        /// the server closes it: 60 seconds by default; nil keeps it open.
        public var idleTimeout: Duration?
        /// How long a request may take to arrive, head and body, from its
        /// first byte (a connection's first request: from when it opened): 10
        /// seconds by default; nil sets no limit. A client that
        /// trickles a request slower than that has its connection closed (and
        /// counted in ``Statistics/requestsTimedOut``), so holding a connection
        /// costs it more than a few bytes a minute.
        public var requestTimeout: Duration?
        /// The most connections open at once: 128 by default. One more is
        /// closed as soon as it is accepted and counted in
        /// ``Statistics/connectionsRefused``.
        ///
        /// Each connection holds one file descriptor. Keep this plus the
        /// descriptors the rest of the process uses (files, its own clients
        /// and servers, a few dozen for the runtime) under the process's limit
        /// (`ulimit -n`, often 1,024): a process out of descriptors cannot open
        /// files or start threads. Should the limit be reached anyway, accepts
        /// fail with `EMFILE`; the server counts them
        /// (``Statistics/acceptFailures``), logs a warning at most once every
        /// ten seconds, and accepts again a second later.
        ///
        /// The server lowers the cap (and logs a warning) when it leaves the
        /// rest of the process fewer than 80 descriptors under the limit;
        /// ``MetricsHTTPServer/connectionCap`` is the cap in force.
        public var maximumConnections: Int

        /// Creates a configuration.
        public init(
            host: String = "127.0.0.1",
            port: Int = 9464,
            bearerToken: String? = nil,
            healthChecks: [HealthCheck] = [],
            entityLabel: String = "entity_id",
            includesRecorderStatistics: Bool = true,
            compressesResponses: Bool = true,
            onServerRunning: (@Sendable (_ port: Int) async -> Void)? = nil,
            logger: Logger = Logger(label: "mvx-metrics-http"),
            maximumRequestBodySize: Int = 1024,
            maximumHeaderSize: Int = 16 * 1024,
            maximumHeaderCount: Int = 100,
            idleTimeout: Duration? = .seconds(60),
            requestTimeout: Duration? = .seconds(10),
            maximumConnections: Int = 128
        ) {
            self.host = host
            self.port = port
            self.bearerToken = bearerToken
            self.healthChecks = healthChecks
            self.entityLabel = entityLabel
            self.includesRecorderStatistics = includesRecorderStatistics
            self.compressesResponses = compressesResponses
            self.onServerRunning = onServerRunning
            self.logger = logger
            self.maximumRequestBodySize = maximumRequestBodySize
            self.maximumHeaderSize = maximumHeaderSize
            self.maximumHeaderCount = maximumHeaderCount
            self.idleTimeout = idleTimeout
            self.requestTimeout = requestTimeout
            self.maximumConnections = maximumConnections
        }
    }

    /// The most connections open at once in force:
    /// ``Configuration/maximumConnections``, lowered if need be to fit the
    /// process's descriptor limit as it is now.
    public var connectionCap: Int {
        DescriptorBudget.cap(configuration.maximumConnections, limit: DescriptorBudget.processLimit)
    }

    /// The configuration the server runs with.
    public let configuration: Configuration
    private let snapshots: @Sendable () async throws -> [RecorderSnapshot]
    private let routes: (@Sendable (Router<BasicRequestContext>) -> Void)?
    let counters = ConnectionCounters()
    private let serverErrorLog = LogRateLimiter()

    /// A server for every recorder of `runtime`.
    ///
    /// `routes` adds routes of your own next to the server's (a status page,
    /// say); they get the same limits and the same token. For the reverse, the
    /// server's routes on an application's router, see ``MetricsHTTPRoutes``.
    public init(
        runtime: MetricsRuntime, configuration: Configuration = Configuration(),
        routes: (@Sendable (Router<BasicRequestContext>) -> Void)? = nil
    ) {
        self.init(configuration: configuration, routes: routes) { await runtime.snapshot() }
    }

    /// A server for whatever snapshots `snapshots` returns (an inline recorder's,
    /// say: `{ [recorder.snapshot()] }`). If it throws, the request gets a bare
    /// 500 and the error goes to the log only.
    public init(
        configuration: Configuration = Configuration(),
        routes: (@Sendable (Router<BasicRequestContext>) -> Void)? = nil,
        snapshots: @escaping @Sendable () async throws -> [RecorderSnapshot]
    ) {
        self.configuration = configuration
        self.routes = routes
        self.snapshots = snapshots
    }

    /// Serves until graceful shutdown is triggered or the task is cancelled.
    ///
    /// Prefer graceful shutdown (run the server in a `ServiceGroup`): it
    /// closes the listener and finishes every connection. Cancelling while a
    /// connection has been accepted but not yet handled can stop the process
    /// on a NIO precondition (Hummingbird 2.28.1, NIO 2.101.3).
    public func run() async throws {
        let configuration = self.configuration
        let counters = self.counters
        let http1 = HTTP1Channel.Configuration(
            idleTimeout: configuration.idleTimeout.map { TimeAmount($0) },
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: configuration.maximumHeaderSize,
                maxHeaderListSize: configuration.maximumHeaderSize,
                maxHeaderFieldCount: configuration.maximumHeaderCount))
        let limit = DescriptorBudget.processLimit
        let cap = DescriptorBudget.cap(configuration.maximumConnections, limit: limit)
        DescriptorBudget.warnIfLowered(
            configuration.maximumConnections, to: cap, limit: limit, logger: configuration.logger)
        let server = HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                base: HTTP1Channel(responder: responder, configuration: http1),
                maximumConnections: cap,
                requestTimeout: configuration.requestTimeout.map { TimeAmount($0) }, counters: counters)
        }
        let acceptLog = LogRateLimiter()
        let application = Application(
            router: makeRouter(),
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil,
                availableConnectionsDelegate: .maximum(cap + DescriptorBudget.excess, logger: configuration.logger)),
            onServerRunning: { channel in
                // First in the listener's pipeline: NIO's accept back-off,
                // further down, keeps the failures it handles to itself.
                try? await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(
                        AcceptFailureObserver(counters: counters, logger: configuration.logger, limiter: acceptLog),
                        position: .first)
                }.get()
                await configuration.onServerRunning?(channel.localAddress?.port ?? configuration.port)
            },
            logger: configuration.logger
        )
        try await application.run()
    }

    /// The server's router, whole: for tests, and for an application that
    /// serves this endpoint alone on a server of its own.
    ///
    /// Its middleware (the token, the body limit, 405 for other methods)
    /// applies to every route and to unknown paths, so do not merge it into
    /// an application's router; ``MetricsHTTPRoutes`` adds the same routes to one
    /// without imposing those limits on its other routes. The header limits,
    /// timeouts and the connection cap belong to the HTTP channel that
    /// ``run()`` configures, so an application serving this router sets them
    /// itself.
    public func makeRouter() -> Router<BasicRequestContext> {
        // HEAD is what Allow in a 405 promises besides GET.
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: OpaqueErrorMiddleware(serverErrorLog: serverErrorLog))
        if let token = configuration.bearerToken {
            router.add(middleware: BearerTokenMiddleware(token: token))
        }
        router.add(middleware: RequestBodyLimitMiddleware(limit: configuration.maximumRequestBodySize))
        var endpoints = MetricsHTTPRoutes(
            endpoints: .all, bearerToken: nil, healthChecks: configuration.healthChecks,
            entityLabel: configuration.entityLabel,
            includesRecorderStatistics: configuration.includesRecorderStatistics,
            maximumRequestBodySize: configuration.maximumRequestBodySize, serverErrorLog: serverErrorLog,
            snapshots: snapshots)
        endpoints.compressesResponses = configuration.compressesResponses
        // The token, the body limit and the methods are the router's here,
        // so that they cover unknown paths and the `routes:` too.
        router.add(middleware: MethodNotAllowedMiddleware(paths: Set(endpoints.paths.map { "/" + $0 })))
        endpoints.addHandlers(to: router)
        routes?(router)
        return router
    }
}
