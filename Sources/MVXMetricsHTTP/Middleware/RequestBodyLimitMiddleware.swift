import Hummingbird

/// Answers 413 to a request whose body is over `limit` bytes. The routes read
/// no body, so nothing beyond the limit is ever buffered: a declared length is
/// refused before a byte of the body is read, and a chunked body is read only
/// up to the limit.
struct RequestBodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            return OpaqueErrorMiddleware<Context>.response(.contentTooLarge)
        }
        var request = request
        // Throws NIOTooManyBytesError past the limit, which becomes a 413.
        _ = try await request.collectBody(upTo: limit)
        return try await next(request, context)
    }
}
