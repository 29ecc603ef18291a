import Foundation
import Logging
import MVXMetricsHTTP
import MVXMetricsTestKit
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
    var configuration = configuration
    configuration.port = 0
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    configuration.onServerRunning = { port in continuation.yield(port) }
    let server = MetricsHTTPServer(configuration: configuration, snapshots: snapshots)
    let group = ServiceGroup(services: [server], logger: Logger(label: "live-server"))
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

/// One HTTP response, read whole.
struct HTTPResult: Sendable {
    let status: Int
    let headers: [String: String]
    let body: String

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// A GET request with URLSession, following no redirects.
func httpGet(_ url: String, headers: [String: String] = [:]) async throws -> HTTPResult {
    var request = URLRequest(url: URL(string: url)!)
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.timeoutInterval = 30
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    var fields: [String: String] = [:]
    for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
    return HTTPResult(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
}
