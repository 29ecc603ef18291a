import Hummingbird

/// Turns any error a route throws into a plain response that names the status
/// and nothing else: internal error text never reaches a client.
struct OpaqueErrorMiddleware<Context: RequestContext>: RouterMiddleware {
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
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return Self.response(.internalServerError)
        }
    }

    static func response(_ status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"error":"\#(status.reasonPhrase.lowercased())"}"#)))
    }
}
