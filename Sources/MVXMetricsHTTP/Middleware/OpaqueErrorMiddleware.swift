import Hummingbird
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns any error a route throws into a plain response that names the status
/// and nothing else: internal error text never reaches a client.
///
/// Faults of the client (a malformed or cut-off request, a body over the
/// limit, a connection that went away) get a 4xx status and a debug-level
/// line, so no client can raise the server-error rate or fill the log; only
/// the server's own faults are 5xx, logged as errors at most once per interval.
struct OpaqueErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let serverErrorLog: LogRateLimiter

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            // 404, 413 and other client errors: the status alone, whatever
            // the error's own message says.
            return Self.response(error.status)
        } catch let error where Self.isClientFault(error) {
            context.logger.debug(
                "request ended by the client", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return Self.response(.badRequest)
        } catch {
            serverErrorLog.log(
                context.logger, level: .error, "request failed",
                metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return Self.response(.internalServerError)
        }
    }

    /// Whether `error` comes from what the client sent or did, not from the
    /// server: a request the HTTP parser refused (a malformed chunked body, a
    /// body cut off by a hang-up), or a connection that is gone.
    static func isClientFault(_ error: any Error) -> Bool {
        switch error {
        case is HTTPParserError: true
        case let error as ChannelError:
            switch error {
            case .ioOnClosedChannel, .eof, .outputClosed, .inputClosed, .alreadyClosed: true
            default: false
            }
        case let error as IOError:
            [ECONNRESET, EPIPE, ECONNABORTED].contains(error.errnoCode)
        default: false
        }
    }

    /// A bare JSON error response. Statuses after which the rest of the
    /// request is not worth reading (400, 401, 408, 413) also close the
    /// connection, so a client cannot make the server drain an endless body.
    static func response(_ status: HTTPResponse.Status) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if [400, 401, 408, 413].contains(status.code) { headers[.connection] = "close" }
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: #"{"error":"\#(status.reasonPhrase.lowercased())"}"#)))
    }
}
