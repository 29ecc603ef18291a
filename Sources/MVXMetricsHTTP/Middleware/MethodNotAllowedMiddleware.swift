import Hummingbird

/// Answers 405 with `Allow: GET, HEAD` to any other method on the server's own
/// paths, where the router alone would say 404 and hide that the path exists
/// for reading.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let paths: Set<String>

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard request.method != .get, request.method != .head, paths.contains(request.uri.path) else {
            return try await next(request, context)
        }
        return Self.response()
    }

    /// The 405 itself, also what ``MetricsHTTPRoutes`` answers on an
    /// application's router, where a middleware would see only the methods
    /// that have a route.
    static func response() -> Response {
        var response = OpaqueErrorMiddleware<Context>.response(.methodNotAllowed)
        response.headers[.allow] = "GET, HEAD"
        return response
    }
}
