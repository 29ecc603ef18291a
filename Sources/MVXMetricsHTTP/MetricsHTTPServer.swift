import Hummingbird
import Logging
import MVXMetrics
import MVXMetricsPrometheus
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
///
/// - `/metrics` chooses OpenMetrics when the request's `Accept` header prefers
///   `application/openmetrics-text` (as Prometheus does), the text format 0.0.4
///   otherwise.
/// - `/snapshot` returns every recorder's snapshot as a JSON array, in the
///   documented stable form.
/// - `/health` runs the configured ``HealthCheck``s: 200 when all pass, 503
///   when any fails, with a ``HealthReport`` as JSON.
///
/// It binds 127.0.0.1 unless told otherwise, and with a bearer token it
/// answers 401 to any request without it. Unknown paths get 404, other methods
/// than `GET` and `HEAD` on its routes 405, a request body over
/// ``Configuration/maximumRequestBodySize`` 413, and a header section over
/// ``Configuration/maximumHeaderSize`` or ``Configuration/maximumHeaderCount``
/// 400 with the connection closed. Errors never carry internal detail.
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

        /// Creates a configuration.
        public init(
            host: String = "127.0.0.1",
            port: Int = 9464,
            bearerToken: String? = nil,
            healthChecks: [HealthCheck] = [],
            entityLabel: String = "entity_id",
            includesRecorderStatistics: Bool = true,
            onServerRunning: (@Sendable (_ port: Int) async -> Void)? = nil,
            logger: Logger = Logger(label: "mvx-metrics-http"),
            maximumRequestBodySize: Int = 1024,
            maximumHeaderSize: Int = 16 * 1024,
            maximumHeaderCount: Int = 100,
            idleTimeout: Duration? = .seconds(60)
        ) {
            self.host = host
            self.port = port
            self.bearerToken = bearerToken
            self.healthChecks = healthChecks
            self.entityLabel = entityLabel
            self.includesRecorderStatistics = includesRecorderStatistics
            self.onServerRunning = onServerRunning
            self.logger = logger
            self.maximumRequestBodySize = maximumRequestBodySize
            self.maximumHeaderSize = maximumHeaderSize
            self.maximumHeaderCount = maximumHeaderCount
            self.idleTimeout = idleTimeout
        }
    }

    /// The configuration the server runs with.
    public let configuration: Configuration
    private let snapshots: @Sendable () async throws -> [RecorderSnapshot]

    /// A server for every recorder of `runtime`.
    public init(runtime: MetricsRuntime, configuration: Configuration = Configuration()) {
        self.init(configuration: configuration) { await runtime.snapshot() }
    }

    /// A server for whatever snapshots `snapshots` returns (an inline recorder's,
    /// say: `{ [recorder.snapshot()] }`). If it throws, the request gets a bare
    /// 500 and the error goes to the log only.
    public init(
        configuration: Configuration = Configuration(),
        snapshots: @escaping @Sendable () async throws -> [RecorderSnapshot]
    ) {
        self.configuration = configuration
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
        let application = Application(
            router: makeRouter(),
            server: .http1(
                configuration: .init(
                    idleTimeout: configuration.idleTimeout.map {
                        .nanoseconds($0.components.seconds * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000)
                    },
                    httpDecoderConfiguration: .init(
                        maxHeaderFieldSize: configuration.maximumHeaderSize,
                        maxHeaderListSize: configuration.maximumHeaderSize,
                        maxHeaderFieldCount: configuration.maximumHeaderCount))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                await configuration.onServerRunning?(channel.localAddress?.port ?? configuration.port)
            },
            logger: configuration.logger
        )
        try await application.run()
    }

    /// The routes, exposed for tests and for embedding in an application of your own.
    ///
    /// The router enforces the token, the body limit and the methods; the
    /// header limits and the idle timeout belong to the HTTP channel that
    /// ``run()`` configures, so an application of your own sets them itself.
    public func makeRouter() -> Router<BasicRequestContext> {
        // HEAD is what Allow in a 405 promises besides GET.
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: OpaqueErrorMiddleware())
        if let token = configuration.bearerToken {
            router.add(middleware: BearerTokenMiddleware(token: token))
        }
        router.add(middleware: RequestBodyLimitMiddleware(limit: configuration.maximumRequestBodySize))
        router.add(middleware: MethodNotAllowedMiddleware(paths: ["/metrics", "/snapshot", "/health"]))
        let snapshots = self.snapshots
        let configuration = self.configuration
        // One exposition for every scrape: its copies share the layout cache,
        // so a scrape of an unchanged layout only formats numbers.
        let exposition = PrometheusExposition(
            entityLabel: configuration.entityLabel, includesRecorderStatistics: configuration.includesRecorderStatistics
        )
        router.get("metrics") { request, _ -> Response in
            var rendering = exposition
            rendering.format = PrometheusFormat.negotiated(accept: request.headers[.accept])
            let format = rendering.format
            let bytes = rendering.renderBytes(try await snapshots())
            return Response(
                status: .ok, headers: [.contentType: format.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("snapshot") { _, _ -> Response in
            let data = try MetricsJSON.encoder().encode(try await snapshots())
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("health") { _, _ -> Response in
            let report = HealthReport(checks: configuration.healthChecks, snapshots: try await snapshots())
            let data = try MetricsJSON.encoder().encode(report)
            return Response(
                status: report.passed ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return router
    }
}
