import Hummingbird
import HummingbirdCore
import MVXMetrics
import MVXMetricsPrometheus
import NIOCore

/// `/metrics`, and if asked `/snapshot` and `/health`, on a Hummingbird
/// router of your own, for an application that would rather not open a second
/// port for ``MetricsHTTPServer``.
///
/// ```swift
/// let router = Router(context: AppRequestContext.self)
/// router.post("documents") { request, context in … }   // the app's own
/// MetricsHTTPRoutes(runtime: runtime, bearerToken: token).add(to: router.group("ops"))
/// // GET /ops/metrics
/// ```
///
/// The endpoint's own rules (the bearer token, the request-body limit, 405
/// for other methods, bodies of error responses that say nothing but the
/// status) wrap these routes alone, so the application's routes keep their
/// own methods, bodies and authentication. Middleware the router already
/// had when ``add(to:)`` ran wraps these routes too (Hummingbird builds each
/// route's middleware chain when the route is added); middleware added later
/// does not.
///
/// The connection-level limits of ``MetricsHTTPServer`` belong to the server,
/// not the router, so on the application's own server they are its own to
/// set: the header-size and header-count limits
/// (`HTTP1Channel.Configuration(httpDecoderConfiguration:)`), the idle
/// timeout (`idleTimeout:` there), a cap on open connections
/// (`ApplicationConfiguration(availableConnectionsDelegate: .maximum(…))`),
/// and a deadline for a request to arrive whole, which Hummingbird does not
/// have (a reverse proxy in front can set one). The same goes for closing the
/// connection after a 401 or 413: the response says `Connection: close`, but
/// a plain Hummingbird server leaves the connection open for the client to
/// close, and reads and drops the rest of a refused body. Without these a
/// metrics route is as exposed to slow or oversized requests as any other
/// route of the application.
public struct MetricsHTTPRoutes: Sendable {
    /// A set of the endpoint's routes, so that an application adds only what
    /// it means to expose: `/snapshot` shows every recorder's detail and
    /// `/health` the checks, which a scraper does not need.
    public struct Endpoints: OptionSet, Sendable, Hashable {
        /// The set's bits, one per route; stable only within one version.
        public let rawValue: Int

        /// Creates a set from its raw bits; prefer the named values.
        public init(rawValue: Int) {
            self.rawValue = rawValue
        }

        /// `GET /metrics`: the Prometheus text format, or OpenMetrics when
        /// the `Accept` header prefers it; UTF-8 names when it asks for
        /// `escaping=allow-utf-8` (`PrometheusExposition.negotiated(accept:)`).
        public static let metrics = Endpoints(rawValue: 1 << 0)
        /// `GET /snapshot`: every recorder's snapshot as a JSON array.
        public static let snapshot = Endpoints(rawValue: 1 << 1)
        /// `GET /health`: the ``MetricsHTTPRoutes/healthChecks`` as a
        /// `HealthReport`; 200 when all pass, 503 otherwise.
        public static let health = Endpoints(rawValue: 1 << 2)
        /// All three, as ``MetricsHTTPServer`` serves them.
        public static let all: Endpoints = [.metrics, .snapshot, .health]
    }

    /// The routes ``add(to:)`` adds: `/metrics` alone by default, the least a
    /// scraper needs.
    public var endpoints: Endpoints
    /// If set, the routes answer 401 to a request without
    /// `Authorization: Bearer <token>` (compared in constant time); the
    /// application's other routes are not affected.
    public var bearerToken: String?
    /// The checks `/health` runs.
    public var healthChecks: [HealthCheck]
    /// The label carrying each recorder's entity id in `/metrics`.
    public var entityLabel: String
    /// Whether `/metrics` includes each recorder's statistics.
    public var includesRecorderStatistics: Bool
    /// The largest request body the routes accept, in bytes: 1 KiB by
    /// default. They read nothing from a body, so a larger one gets 413
    /// before any of it is kept; the application's routes keep their own
    /// limits.
    public var maximumRequestBodySize: Int
    /// Whether `/metrics` and `/snapshot` answer with gzip when the request's
    /// `Accept-Encoding` allows it (Prometheus asks on every scrape); bodies
    /// under 256 bytes go out as they are. On by default.
    public var compressesResponses: Bool = true

    private let snapshots: @Sendable () async throws -> [RecorderSnapshot]
    // Shared by copies, so that one application logs a failing snapshot
    // source at most once per interval however often it adds the routes.
    private let serverErrorLog: LogRateLimiter

    /// Routes for every recorder of `runtime`.
    public init(
        runtime: MetricsRuntime, endpoints: Endpoints = .metrics, bearerToken: String? = nil,
        healthChecks: [HealthCheck] = [], entityLabel: String = "entity_id", includesRecorderStatistics: Bool = true,
        maximumRequestBodySize: Int = 1024
    ) {
        self.init(
            endpoints: endpoints, bearerToken: bearerToken, healthChecks: healthChecks, entityLabel: entityLabel,
            includesRecorderStatistics: includesRecorderStatistics, maximumRequestBodySize: maximumRequestBodySize
        ) { await runtime.snapshot() }
    }

    /// Routes for whatever snapshots `snapshots` returns (an inline
    /// recorder's, say: `{ [recorder.snapshot()] }`). If it throws, the
    /// request gets a bare 500 and the error goes to the request context's
    /// logger only.
    public init(
        endpoints: Endpoints = .metrics, bearerToken: String? = nil, healthChecks: [HealthCheck] = [],
        entityLabel: String = "entity_id", includesRecorderStatistics: Bool = true, maximumRequestBodySize: Int = 1024,
        snapshots: @escaping @Sendable () async throws -> [RecorderSnapshot]
    ) {
        self.init(
            endpoints: endpoints, bearerToken: bearerToken, healthChecks: healthChecks, entityLabel: entityLabel,
            includesRecorderStatistics: includesRecorderStatistics, maximumRequestBodySize: maximumRequestBodySize,
            serverErrorLog: LogRateLimiter(), snapshots: snapshots)
    }

    init(
        endpoints: Endpoints, bearerToken: String?, healthChecks: [HealthCheck], entityLabel: String,
        includesRecorderStatistics: Bool, maximumRequestBodySize: Int, serverErrorLog: LogRateLimiter,
        snapshots: @escaping @Sendable () async throws -> [RecorderSnapshot]
    ) {
        self.endpoints = endpoints
        self.bearerToken = bearerToken
        self.healthChecks = healthChecks
        self.entityLabel = entityLabel
        self.includesRecorderStatistics = includesRecorderStatistics
        self.maximumRequestBodySize = maximumRequestBodySize
        self.serverErrorLog = serverErrorLog
        self.snapshots = snapshots
    }

    /// Adds the ``endpoints`` to `router`, in a group of their own so that
    /// the token, the body limit and the 405 answers apply to them alone.
    ///
    /// Pass `router.group("ops")` to serve them under a prefix
    /// (`/ops/metrics`). Each route answers `GET` and `HEAD`, and 405 with
    /// `Allow: GET, HEAD` to `POST`, `PUT`, `PATCH`, `DELETE`, `OPTIONS` and
    /// `TRACE`; another method reaches the router's own not-found answer. A
    /// route the router already has for the same path and method stops the
    /// process on Hummingbird's precondition, as any duplicate route does.
    public func add<Context: RequestContext>(to router: some RouterMethods<Context>) {
        let group = router.group()
        group.add(middleware: OpaqueErrorMiddleware<Context>(serverErrorLog: serverErrorLog))
        if let bearerToken {
            group.add(middleware: BearerTokenMiddleware<Context>(token: bearerToken))
        }
        group.add(middleware: RequestBodyLimitMiddleware<Context>(limit: maximumRequestBodySize))
        addHandlers(to: group)
        for path in paths {
            for method in Self.refusedMethods {
                group.on(RouterPath(path), method: method) { _, _ in MethodNotAllowedMiddleware<Context>.response() }
            }
        }
    }

    /// The methods answered with 405 on the routes of a group. A group's
    /// middleware sees only the requests its routes match, so each method
    /// needs a route of its own; these are the ones HTTP defines for a path.
    static let refusedMethods: [HTTPRequest.Method] = [.post, .put, .patch, .delete, .options, .trace]

    /// The paths of ``endpoints``, without a leading slash (relative to the
    /// router or group they are added to).
    var paths: [String] {
        [(Endpoints.metrics, "metrics"), (.snapshot, "snapshot"), (.health, "health")]
            .filter { endpoints.contains($0.0) }.map(\.1)
    }

    /// Adds the `GET` and `HEAD` handlers of ``endpoints`` and nothing else:
    /// the one implementation behind both ``add(to:)`` and
    /// ``MetricsHTTPServer/makeRouter()``, which wrap them in middleware of
    /// their own.
    func addHandlers<Context: RequestContext>(to router: some RouterMethods<Context>) {
        let snapshots = self.snapshots
        let healthChecks = self.healthChecks
        let compresses = compressesResponses
        // One exposition for every scrape: its copies share the layout cache,
        // so a scrape of an unchanged layout only formats numbers.
        let exposition = PrometheusExposition(
            entityLabel: entityLabel, includesRecorderStatistics: includesRecorderStatistics)
        if endpoints.contains(.metrics) {
            Self.addReading("metrics", to: router) { request in
                var rendering = exposition.negotiated(accept: request.headers[.accept])
                rendering.selectedFamilies = Self.selectedFamilies(request.uri)
                let bytes = rendering.renderBytes(try await snapshots())
                return Self.response(
                    bytes, contentType: rendering.contentType, for: request, compressing: compresses)
            }
        }
        if endpoints.contains(.snapshot) {
            Self.addReading("snapshot", to: router) { request in
                let data = try MetricsJSON.encoder().encode(try await snapshots())
                return Self.response(
                    Array(data), contentType: "application/json", for: request, compressing: compresses)
            }
        }
        if endpoints.contains(.health) {
            Self.addReading("health", to: router) { _ in
                let report = HealthReport(checks: healthChecks, snapshots: try await snapshots())
                let data = try MetricsJSON.encoder().encode(report)
                return Response(
                    status: report.passed ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
    }

    /// A 200 with `bytes`, gzipped when `compressing` and the request accepts
    /// it; `Vary: Accept-Encoding` either way, so caches keep both forms apart.
    private static func response(
        _ bytes: [UInt8], contentType: String, for request: Request, compressing: Bool
    ) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        guard compressing else {
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        headers[.vary] = "Accept-Encoding"
        if bytes.count >= ResponseCompression.minimumSize,
            ResponseCompression.acceptsGzip(request.headers[.acceptEncoding]),
            let compressed = ResponseCompression.gzip(bytes)
        {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: compressed))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The families a scrape names with `name[]` parameters
    /// (`/metrics?name[]=a_total&name[]=b`), or nil when it names none.
    /// Hummingbird decodes values but not keys, so `name%5B%5D` is read too.
    static func selectedFamilies(_ uri: URI) -> Set<String>? {
        var names: Set<String> = []
        var asked = false
        for (key, value) in uri.queryParameters where key == "name[]" || key.lowercased() == "name%5b%5d" {
            asked = true
            names.insert(String(value))
        }
        return asked ? names : nil
    }

    /// `GET` and `HEAD` for `path`: HEAD registered here rather than left to
    /// `RouterOptions.autoGenerateHeadEndpoints`, which an application's
    /// router may not have set.
    private static func addReading<Context: RequestContext>(
        _ path: String, to router: some RouterMethods<Context>,
        _ respond: @escaping @Sendable (Request) async throws -> Response
    ) {
        router.get(RouterPath(path)) { request, _ in try await respond(request) }
        router.head(RouterPath(path)) { request, _ in try await respond(request).createHeadResponse() }
    }
}
