import Foundation
import Hummingbird
import Logging
import MVXMetricsHTTP
import MVXMetricsTestKit
import MVXMetricsTestSupport
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A metrics server running on a free port for the duration of `body`, then
/// shut down gracefully.
///
/// Graceful, not cancelled: cancelling a Hummingbird 2.28 server while an
/// accepted connection still waits to be handled drops that connection's
/// NIOAsyncWriter unfinished, and NIO 2.101 stops the process on that
/// precondition ("Deinited NIOAsyncWriter without calling finish()"). A
/// Prometheus server scraping every second makes such a connection likely.
func withLiveServer<Result: Sendable>(
    _ configuration: MetricsHTTPServer.Configuration = .init(),
    snapshots: @escaping @Sendable () async throws -> [RecorderSnapshot],
    _ body: @Sendable (_ port: Int) async throws -> Result
) async throws -> Result {
    try await withLiveServer(configuration, snapshots: snapshots) { port, _ in try await body(port) }
}

/// The same, handing `body` the running server too (for its statistics), and
/// serving `routes` of the test's own.
func withLiveServer<Result: Sendable>(
    _ configuration: MetricsHTTPServer.Configuration = .init(),
    routes: (@Sendable (Router<BasicRequestContext>) -> Void)? = nil,
    snapshots: @escaping @Sendable () async throws -> [RecorderSnapshot],
    _ body: @Sendable (_ port: Int, _ server: MetricsHTTPServer) async throws -> Result
) async throws -> Result {
    var configuration = configuration
    configuration.port = 0
    // The request deadline bounds how long the server may take to answer a
    // request that never ends (a refusal before its body, a malformed head)
    // too, so it is scaled with the other deadlines: a sanitized run's
    // server can be slower than 10 s.
    configuration.requestTimeout = configuration.requestTimeout.map { $0.scaled }
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    configuration.onServerRunning = { port in continuation.yield(port) }
    let server = MetricsHTTPServer(configuration: configuration, routes: routes, snapshots: snapshots)
    let group = ServiceGroup(services: [server], logger: Logger(label: "live-server"))
    let task = Task { try await group.run() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw CancellationError() }
    let result: Swift.Result<Result, any Error>
    do {
        result = .success(try await body(port, server))
    } catch {
        result = .failure(error)
    }
    await group.triggerGracefulShutdown()
    try await task.value
    return try result.get()
}
