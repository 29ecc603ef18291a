import Hummingbird
import Logging
import MVXMetrics
import MVXMetricsHTTP
import ServiceLifecycle

/// The demo's HTTP endpoint on 127.0.0.1: `MetricsHTTPServer` itself, with
/// its limits (connection cap, request deadline, header and body limits,
/// idle timeout), serving its `/metrics`, `/snapshot` and `/health` plus the
/// live page at `/` and the run's history at `/history`, which the page loads
/// first.
final class DemoHTTPServer: Sendable {
    /// The port the server listens on.
    let port: Int
    /// The server, for its statistics.
    let server: MetricsHTTPServer
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    private init(port: Int, server: MetricsHTTPServer, group: ServiceGroup, task: Task<Void, Never>) {
        self.port = port
        self.server = server
        self.group = group
        self.task = task
    }

    /// Starts serving on `port` (0 picks a free one) and returns once the server
    /// listens, or throws if it cannot (the port is busy, say).
    static func start(
        port: Int, runtime: MetricsRuntime, history: SnapshotHistory, maximumConnections: Int
    ) async throws -> DemoHTTPServer {
        // Quiet: the terminal view owns the screen, and `--json` owns stdout.
        let logger = Logger(label: "mvx-metrics-demo") { _ in SwiftLogNoOpLogHandler() }
        let (events, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        var configuration = MetricsHTTPServer.Configuration(
            host: "127.0.0.1", port: port, healthChecks: DemoHealthChecks.all, logger: logger)
        configuration.maximumConnections = maximumConnections
        configuration.onServerRunning = { port in continuation.yield(.success(port)) }
        let server = MetricsHTTPServer(runtime: runtime, configuration: configuration) { router in
            router.get("/") { _, _ -> Response in
                Response(
                    status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: LivePage.html)))
            }
            router.get("history") { _, _ -> Response in
                Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: history.json))
            }
        }
        // Stopped by graceful shutdown, never by cancellation: cancelling a
        // Hummingbird server while a scrape's connection waits to be handled
        // ends the process on a NIO precondition.
        let group = ServiceGroup(services: [server], logger: logger)
        let task = Task {
            do {
                try await group.run()
            } catch {
                continuation.yield(.failure(error))
            }
            continuation.finish()
        }
        for await event in events {
            switch event {
            case .success(let port): return DemoHTTPServer(port: port, server: server, group: group, task: task)
            case .failure(let error): throw error
            }
        }
        throw CancellationError()
    }

    deinit {
        // Released without stop(): stop serving all the same, gracefully.
        let group = self.group
        Task { await group.triggerGracefulShutdown() }
    }

    /// Stops serving (requests in progress finish first), and returns once the
    /// port is closed.
    func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}
