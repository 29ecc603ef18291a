import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Posts OTLP/HTTP requests with Foundation's `URLSession`: HTTP and HTTPS, on
/// every platform, and no package to build (swift-otel took 7 minutes here;
/// AsyncHTTPClient 2.5 to 4.5). One export every few seconds is far from
/// what would make its speed matter.
final class OTLPHTTPTransport: Sendable {
    private let session: URLSession
    private let timeout: Duration

    init(timeout: Duration) {
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        let seconds = Self.seconds(timeout)
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.httpMaximumConnectionsPerHost = 1
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.invalidateAndCancel()
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Posts `body` as `application/x-protobuf`; returns the response body of a 200.
    func post(_ body: [UInt8], to endpoint: URL, headers: [String: String]) async throws(OTLPExportError) -> [UInt8] {
        var request = URLRequest(url: endpoint, cachePolicy: .reloadIgnoringLocalCacheData)
        request.httpMethod = "POST"
        request.timeoutInterval = Self.seconds(timeout)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.setValue("application/x-protobuf", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body)
        // The completion-handler form, cancelled from a timer rather than by
        // task cancellation: cancelling the async `data(for:)` while it
        // completes deadlocks swift-corelibs-foundation (the task's status
        // lock against the session's queue), seen here in this exporter's tests.
        let exchange = Exchange()
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<(Data, URLResponse), any Error>, Never>) in
            let task = session.dataTask(with: request) { data, response, error in
                if let data, let response {
                    continuation.resume(returning: .success((data, response)))
                } else {
                    let timedOut = exchange.timedOut
                    continuation.resume(
                        returning: .failure(timedOut ? URLError(.timedOut) : error ?? URLError(.unknown)))
                }
            }
            task.resume()
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.seconds(timeout)) {
                exchange.markTimedOut()
                task.cancel()
            }
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try result.get()
        } catch let error as URLError {
            throw error.code == .timedOut ? .timedOut : .transport(Self.reason(error))
        } catch {
            throw .transport("\(error)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            throw .rejected(status: status, body: String(decoding: data.prefix(200), as: UTF8.self))
        }
        return Array(data)
    }

    private static func reason(_ error: URLError) -> String {
        switch error.code {
        case .cannotConnectToHost: "connection refused"
        case .networkConnectionLost: "the connection was lost"
        case .cannotFindHost, .dnsLookupFailed: "the host name did not resolve"
        case .secureConnectionFailed, .serverCertificateUntrusted: "the TLS handshake failed"
        default: "URL error \(error.code.rawValue)"
        }
    }
}

/// Whether the timer of one exchange fired, read by its completion handler.
private final class Exchange: @unchecked Sendable {
    // @unchecked: `fired` is only touched under `lock`.
    private let lock = NSLock()
    private var fired = false

    var timedOut: Bool { lock.withLock { fired } }

    func markTimedOut() { lock.withLock { fired = true } }
}
