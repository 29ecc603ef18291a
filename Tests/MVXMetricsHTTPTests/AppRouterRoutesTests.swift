import Foundation
import Hummingbird
import Logging
import MVXMetricsHTTP
import MVXMetricsTestKit
import MVXMetricsTestSupport
import ServiceLifecycle
import Testing

/// A request context of the application's own, as an application that
/// embeds the routes has: the routes must work with it, not only with
/// `BasicRequestContext`.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// `MetricsHTTPRoutes` on an application's own router, served by an application
/// of the test's own: the endpoint's rules cover its routes and nothing else.
@Suite struct AppRouterRoutesTests {
    private static let snapshot = RecorderSnapshot(
        entityID: "storage", takenAt: .init(timeIntervalSince1970: 0),
        metrics: [
            MetricSnapshot(
                name: "document_storage.save.attempts", help: "Save attempts.",
                dimensions: [MetricDimension("total", value: .counter(3))])
        ],
        statistics: .init())

    /// The text format of ``snapshot`` with the label `service` and no
    /// recorder statistics, byte for byte.
    private static let exposition = """
        # HELP document_storage_save_attempts_total Save attempts.
        # TYPE document_storage_save_attempts_total counter
        document_storage_save_attempts_total{service="storage"} 3

        """

    /// The application's own routes: a POST that reads up to 1 MiB of body,
    /// and a GET that fails with a message of its own.
    private static func appRouter() -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.post("documents") { request, _ -> String in
            let body = try await request.body.collect(upTo: 1024 * 1024)
            return "stored \(body.readableBytes) bytes"
        }
        router.get("broken") { _, _ -> String in
            throw HTTPError(.badRequest, message: "the app's own detail")
        }
        return router
    }

    private static func routes(
        _ endpoints: MetricsHTTPRoutes.Endpoints = .metrics, bearerToken: String? = nil,
        snapshots: @escaping @Sendable () async throws -> [RecorderSnapshot] = { [snapshot] }
    ) -> MetricsHTTPRoutes {
        MetricsHTTPRoutes(
            endpoints: endpoints, bearerToken: bearerToken, entityLabel: "service", includesRecorderStatistics: false,
            snapshots: snapshots)
    }

    @Test func metricsAnswersTheExactExpositionAndHeadWithoutABody() async throws {
        let router = Self.appRouter()
        Self.routes().add(to: router)
        try await withApp(router) { port in
            let metrics = try await httpGet("http://127.0.0.1:\(port)/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
            #expect(metrics.body == Self.exposition)
            // The app's router does not generate HEAD endpoints; the routes
            // register their own.
            let head = try #require(try await rawRequest(port: port, "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
            #expect(head.status == 200)
            #expect(head.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
            #expect(head.body.isEmpty)
        }
    }

    @Test func theAppsOwnRouteAcceptsABodyOverTheEndpointsLimit() async throws {
        let router = Self.appRouter()
        Self.routes().add(to: router)
        let body = String(repeating: "x", count: 2048)
        try await withApp(router) { port in
            let stored = try #require(
                try await rawRequest(
                    port: port, "POST /documents HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n" + body))
            #expect(stored.status == 200)
            #expect(stored.text == "stored 2048 bytes")
            // The metrics route keeps its 1 KiB limit.
            let refused = try #require(
                try await rawRequest(
                    port: port, "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n" + body))
            #expect(refused.status == 413)
            #expect(refused.text == #"{"error":"content too large"}"#)
        }
    }

    @Test func aChunkedBodyIsLimitedOnTheMetricsRouteOnly() async throws {
        let router = Self.appRouter()
        Self.routes().add(to: router)
        // 2,048 bytes in one chunk (0x800): no length declared up front.
        let chunked =
            "Transfer-Encoding: chunked\r\n\r\n800\r\n" + String(repeating: "x", count: 2048) + "\r\n0\r\n\r\n"
        try await withApp(router) { port in
            let stored = try #require(
                try await rawRequest(port: port, "POST /documents HTTP/1.1\r\nHost: x\r\n" + chunked))
            #expect(stored.status == 200)
            #expect(stored.text == "stored 2048 bytes")
            let refused = try #require(
                try await rawRequest(port: port, "GET /metrics HTTP/1.1\r\nHost: x\r\n" + chunked))
            #expect(refused.status == 413)
        }
    }

    @Test func metricsNegotiatesOpenMetricsOnTheAppsRouter() async throws {
        let router = Self.appRouter()
        Self.routes().add(to: router)
        try await withApp(router) { port in
            let openMetrics = try await httpGet(
                "http://127.0.0.1:\(port)/metrics",
                headers: ["Accept": "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"])
            #expect(openMetrics.status == 200)
            #expect(
                openMetrics.header("Content-Type")
                    == "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores")
            #expect(
                openMetrics.body == """
                    # HELP document_storage_save_attempts Save attempts.
                    # TYPE document_storage_save_attempts counter
                    document_storage_save_attempts_total{service="storage"} 3
                    document_storage_save_attempts_created{service="storage"} 0.000
                    # EOF

                    """)
        }
    }

    @Test func theTokenProtectsTheMetricsRoutesAndNotTheAppsOwn() async throws {
        let router = Self.appRouter()
        Self.routes(.all, bearerToken: "secret").add(to: router)
        try await withApp(router) { port in
            for path in ["/metrics", "/snapshot", "/health"] {
                let refused = try #require(try await rawRequest(port: port, "GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n"))
                #expect(refused.status == 401, "\(path)")
                #expect(refused.header("WWW-Authenticate") == #"Bearer realm="mvx-metrics""#, "\(path)")
                // Asks the client to close; closing it ourselves is the
                // server's part, which a plain Hummingbird server does not do.
                #expect(refused.header("Connection") == "close", "\(path)")
            }
            let wrong = try #require(
                try await rawRequest(
                    port: port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer guess\r\n\r\n"))
            #expect(wrong.status == 401)
            // Token before method, as on MetricsHTTPServer: no 405 that tells
            // a client without the token which paths exist.
            let post = try #require(try await rawRequest(port: port, "POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
            #expect(post.status == 401)

            let allowed = try await httpGet(
                "http://127.0.0.1:\(port)/metrics", headers: ["Authorization": "Bearer secret"])
            #expect(allowed.status == 200)
            #expect(allowed.body == Self.exposition)

            let own = try #require(
                try await rawRequest(port: port, "POST /documents HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok"))
            #expect(own.status == 200)
            #expect(own.text == "stored 2 bytes")
        }
    }

    @Test func otherMethodsAre405OnTheMetricsRoutesAndTheAppsOwnAfterTheRouter() async throws {
        let router = Self.appRouter()
        Self.routes([.metrics, .health]).add(to: router)
        try await withApp(router) { port in
            for method in ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"] {
                for path in ["/metrics", "/health"] {
                    let refused = try #require(
                        try await rawRequest(port: port, "\(method) \(path) HTTP/1.1\r\nHost: x\r\n\r\n"))
                    #expect(refused.status == 405, "\(method) \(path)")
                    #expect(refused.header("Allow") == "GET, HEAD", "\(method) \(path)")
                }
            }
            // The app's own path with a method it has no route for: the
            // router's 404, not our 405.
            for method in ["GET", "PUT", "DELETE"] {
                let own = try #require(
                    try await rawRequest(port: port, "\(method) /documents HTTP/1.1\r\nHost: x\r\n\r\n"))
                #expect(own.status == 404, "\(method) /documents")
                #expect(own.header("Allow") == nil, "\(method) /documents")
            }
            // A route left out (snapshot) is not answered with 405 either.
            let absent = try #require(try await rawRequest(port: port, "POST /snapshot HTTP/1.1\r\nHost: x\r\n\r\n"))
            #expect(absent.status == 404)
        }
    }

    @Test func theRoutesMountUnderAGroupPrefix() async throws {
        let router = Self.appRouter()
        Self.routes(.all, bearerToken: "secret").add(to: router.group("ops"))
        try await withApp(router) { port in
            let authorization = ["Authorization": "Bearer secret"]
            let metrics = try await httpGet("http://127.0.0.1:\(port)/ops/metrics", headers: authorization)
            #expect(metrics.status == 200)
            #expect(metrics.body == Self.exposition)
            let snapshot = try await httpGet("http://127.0.0.1:\(port)/ops/snapshot", headers: authorization)
            #expect(snapshot.status == 200)
            let decoded = try MetricsJSON.decoder().decode([RecorderSnapshot].self, from: Data(snapshot.body.utf8))
            #expect(decoded == [Self.snapshot])
            let health = try await httpGet("http://127.0.0.1:\(port)/ops/health", headers: authorization)
            #expect(health.status == 200)

            let unprefixed = try await httpGet("http://127.0.0.1:\(port)/metrics", headers: authorization)
            #expect(unprefixed.status == 404)
            let post = try #require(
                try await rawRequest(
                    port: port, "POST /ops/metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\n\r\n"))
            #expect(post.status == 405)
            // The token covers the group's routes, not the rest of the prefix.
            let elsewhere = try await httpGet("http://127.0.0.1:\(port)/ops/other")
            #expect(elsewhere.status == 404)
        }
    }

    @Test func snapshotAndHealthExistOnlyWhenAskedFor() async throws {
        let alone = Self.appRouter()
        Self.routes().add(to: alone)
        let aloneStatuses = try await withApp(alone) { port in
            try await statuses(port, ["/metrics", "/snapshot", "/health"])
        }
        #expect(aloneStatuses == [200, 404, 404])

        let withHealth = Self.appRouter()
        Self.routes([.metrics, .health]).add(to: withHealth)
        try await withApp(withHealth) { port in
            let health = try await httpGet("http://127.0.0.1:\(port)/health")
            #expect(health.status == 200)
            let report = try MetricsJSON.decoder().decode(HealthReport.self, from: Data(health.body.utf8))
            #expect(report.status == "pass")
            #expect(try await statuses(port, ["/metrics", "/snapshot"]) == [200, 404])
        }

        let none = Self.appRouter()
        Self.routes([]).add(to: none)
        let noneStatuses = try await withApp(none) { port in
            try await statuses(port, ["/metrics", "/snapshot", "/health"])
        }
        #expect(noneStatuses == [404, 404, 404])
    }

    @Test func aFailingSourceIsAnOpaque500AndTheAppsErrorsStayItsOwn() async throws {
        struct SourceFailure: Error {}
        let router = Self.appRouter()
        Self.routes(.all, snapshots: { throw SourceFailure() }).add(to: router)
        try await withApp(router) { port in
            for path in ["/metrics", "/snapshot", "/health"] {
                let failed = try await httpGet("http://127.0.0.1:\(port)\(path)")
                #expect(failed.status == 500, "\(path)")
                #expect(failed.body == #"{"error":"internal server error"}"#, "\(path)")
            }
            // The opaque error middleware wraps our routes only: the app's
            // own error keeps the message the app gave it.
            let own = try await httpGet("http://127.0.0.1:\(port)/broken")
            #expect(own.status == 400)
            #expect(own.body.contains("the app's own detail"))
        }
    }

    @Test func theReadmeSnippetServesTheRuntimesMetrics() async throws {
        let runtime = MetricsRuntime()
        try await runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "storage", overflowPolicy: .block)
        try recorder.register(EventCountMetric("readme.saves", of: ReadmeSave.self))
        recorder.record(ReadmeSave())
        try await recorder.flush()
        let token = "readme-token"

        // README: app-routes begin
        let router = Router(context: AppRequestContext.self)
        router.post("documents") { request, _ in
            let body = try await request.body.collect(upTo: 1024 * 1024)
            return "stored \(body.readableBytes) bytes"
        }
        // GET /ops/metrics and /ops/health, behind the token and the 1 KiB
        // body limit; /documents keeps its own rules.
        MetricsHTTPRoutes(runtime: runtime, endpoints: [.metrics, .health], bearerToken: token)
            .add(to: router.group("ops"))
        // README: app-routes end

        try await withApp(router) { port in
            let metrics = try await httpGet(
                "http://127.0.0.1:\(port)/ops/metrics", headers: ["Authorization": "Bearer readme-token"])
            #expect(metrics.status == 200)
            #expect(metrics.body.contains(#"readme_saves_total{entity_id="storage"} 1"#))
            let stored = try #require(
                try await rawRequest(
                    port: port,
                    "POST /documents HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n"
                        + String(repeating: "x", count: 2048)))
            #expect(stored.text == "stored 2048 bytes")
        }
        await runtime.shutdown()
    }

    @Test func theReadmeShowsTheSnippetOfThisFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
            .components(separatedBy: "\n")
        let begin = try #require(lines.firstIndex { $0.hasSuffix("// README: app-routes begin") })
        let end = try #require(lines.firstIndex { $0.hasSuffix("// README: app-routes end") })
        let snippet = lines[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        #expect(readme.contains("```swift\n" + snippet.joined(separator: "\n") + "\n```\n"))
    }
}

private struct ReadmeSave: MetricEvent {
    static let eventType = "readme.save"
}

/// The status of a GET of each of `paths`, in order.
private func statuses(_ port: Int, _ paths: [String]) async throws -> [Int] {
    var statuses: [Int] = []
    for path in paths { statuses.append(try await httpGet("http://127.0.0.1:\(port)\(path)").status) }
    return statuses
}

/// An application of the test's own, serving `router` on a free port of
/// 127.0.0.1 for the duration of `body`, then shut down gracefully (never
/// cancelled: see `withLiveServer`).
private func withApp<Result: Sendable>(
    _ router: Router<AppRequestContext>, _ body: @Sendable (_ port: Int) async throws -> Result
) async throws -> Result {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let application = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
        logger: Logger(label: "app-router-test"))
    let group = ServiceGroup(services: [application], logger: Logger(label: "app-router-test"))
    let task = Task { try await group.run() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw CancellationError() }
    let result: Swift.Result<Result, any Error>
    do {
        result = .success(try await body(port))
    } catch {
        result = .failure(error)
    }
    await group.triggerGracefulShutdown()
    try await task.value
    return try result.get()
}
