import Hummingbird
import Logging
import MVXMetrics
import MVXMetricsHTTP
import Synchronization

/// The demo's HTTP endpoint on 127.0.0.1: `MetricsHTTPServer`'s `/metrics`,
/// `/snapshot` and `/health`, plus the live page at `/` and the run's
/// history at `/history`, which the page loads first.
final class DemoHTTPServer: Sendable {
    /// The port the server listens on.
    let port: Int
    private let task: Task<Void, Never>

    private init(port: Int, task: Task<Void, Never>) {
        self.port = port
        self.task = task
    }

    /// Starts serving on `port` (0 picks a free one) and returns once the server
    /// listens, or throws if it cannot (the port is busy, say).
    static func start(port: Int, runtime: MetricsRuntime, history: SnapshotHistory) async throws -> DemoHTTPServer {
        // Quiet: the terminal view owns the screen, and `--json` owns stdout.
        let logger = Logger(label: "mvx-metrics-demo") { _ in SwiftLogNoOpLogHandler() }
        let metricsServer = MetricsHTTPServer(
            runtime: runtime,
            configuration: .init(host: "127.0.0.1", port: port, healthChecks: DemoHealthChecks.all, logger: logger))
        let router = metricsServer.makeRouter()
        router.get("/") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: LivePage.html)))
        }
        router.get("history") { _, _ -> Response in
            let data = try MetricsJSON.encoder().encode(history.all)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }

        let (events, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in continuation.yield(.success(channel.localAddress?.port ?? port)) },
            logger: logger)
        let task = Task {
            do {
                try await application.run()
            } catch {
                continuation.yield(.failure(error))
            }
            continuation.finish()
        }
        for await event in events {
            switch event {
            case .success(let port): return DemoHTTPServer(port: port, task: task)
            case .failure(let error): throw error
            }
        }
        throw CancellationError()
    }

    deinit { task.cancel() }

    /// Stops serving, and returns once the port is closed.
    func stop() async {
        task.cancel()
        await task.value
    }
}
