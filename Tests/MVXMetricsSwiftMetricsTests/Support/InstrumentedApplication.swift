import Hummingbird
import MVXMetricsSwiftMetrics
import Metrics

/// Runs a Hummingbird application instrumented with its own
/// `MetricsMiddleware`, reporting through `factory`, on a free loopback port
/// around `body`, which gets its base URL; then stops it. It serves `/hello`
/// (200) and `/fail` (400), and whatever `routes` adds.
func withInstrumentedApplication(
    reportingTo factory: MVXMetricsFactory, adding routes: (Router<BasicRequestContext>) -> Void = { _ in },
    _ body: (_ base: String) async throws -> Void
) async throws {
    let router = Router()
    router.add(middleware: MetricsMiddleware())
    router.get("hello") { _, _ in "hello" }
    router.get("fail") { _, _ -> String in throw HTTPError(.badRequest) }
    routes(router)
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let application = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
    let server = Task { try await withMetricsFactory(factory) { try await application.run() } }
    defer { server.cancel() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw ApplicationDidNotStart() }
    try await body("http://127.0.0.1:\(port)")
    server.cancel()
    _ = try? await server.value
}

/// The application ended before it listened.
struct ApplicationDidNotStart: Error {}
