import Foundation

/// Runs a Prometheus server on 127.0.0.1 with a temporary storage folder that
/// scrapes `127.0.0.1:port` every second, and gives `body` a query function
/// that polls until the expression has a value (bounded by a deadline). The
/// scrape timeout (so the interval, which bounds it) and the deadline are
/// scaled (``Swift/Duration/scaled``): the timeout bounds how long the server
/// under test may take to answer.
public func withPrometheus(
    _ executable: String, scraping port: Int, token: String?,
    _ body: (_ query: @Sendable (String) async throws -> String) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
        at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let authorization = token.map { "\n    authorization:\n      credentials: \"\($0)\"" } ?? ""
    let interval = "\(Duration.seconds(1).scaled.components.seconds)s"
    let configuration = """
        global:
          scrape_interval: \(interval)
          evaluation_interval: \(interval)
        scrape_configs:
          - job_name: mvx
            scrape_interval: \(interval)
            scrape_timeout: \(interval)
            metrics_path: /metrics\(authorization)
            static_configs:
              - targets: ["127.0.0.1:\(port)"]

        """
    try configuration.write(to: folder.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
    let webPort = freePort()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = [
        "--config.file=\(folder.appendingPathComponent("prometheus.yml").path)",
        "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
        "--web.listen-address=127.0.0.1:\(webPort)", "--log.level=warn",
    ]
    let log = Pipe()
    process.standardOutput = log
    process.standardError = log
    try process.run()
    defer { killProcess(process) }
    let base = "http://127.0.0.1:\(webPort)"
    try await body { expression in
        // The first sample appears about five seconds after start: poll.
        let deadline = ContinuousClock.now.advanced(by: .seconds(60).scaled)
        var lastResponse = ""
        while ContinuousClock.now < deadline {
            var components = URLComponents(string: base + "/api/v1/query")!
            components.queryItems = [URLQueryItem(name: "query", value: expression)]
            // URLComponents leaves `+` as it is, which the server reads as a
            // space (`le="+Inf"` would match nothing).
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
            if let result = try? await httpGet(components.url!.absoluteString), result.status == 200 {
                lastResponse = result.body
                if let value = firstValue(result.body) { return value }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw PrometheusQueryTimeout(expression: expression, lastResponse: lastResponse)
    }
}

public struct PrometheusQueryTimeout: Error, CustomStringConvertible {
    public let expression: String
    public let lastResponse: String
    public var description: String { "no value for \(expression) within the deadline; last response: \(lastResponse)" }
}

/// The value of the first series in a Prometheus instant-query response.
private func firstValue(_ body: String) -> String? {
    guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
        let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]],
        let value = result.first?["value"] as? [Any], value.count == 2
    else { return nil }
    return value[1] as? String
}
