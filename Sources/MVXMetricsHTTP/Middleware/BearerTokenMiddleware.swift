import Hummingbird

/// Refuses every request that does not carry `Authorization: Bearer <token>`
/// with 401 (and closes the connection, so a client without the token cannot
/// keep it busy), comparing tokens in constant time.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) {
        self.token = Array(token.utf8)
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], Self.matches(header, token) else {
            var response = OpaqueErrorMiddleware<Context>.response(.unauthorized)
            response.headers[.wwwAuthenticate] = #"Bearer realm="mvx-metrics""#
            return response
        }
        return try await next(request, context)
    }

    /// Whether `header` is `Bearer <token>`. The comparison looks at every byte
    /// of both, whatever they hold, so its time does not reveal how much of a
    /// guess was right.
    static func matches(_ header: String, _ token: [UInt8]) -> Bool {
        let prefix = Array("bearer ".utf8)
        let bytes = Array(header.utf8)
        guard bytes.count >= prefix.count else { return false }
        var schemeDifference: UInt8 = 0
        // Case folded for the six letters only: folding the space too would
        // take a NUL (0x00 | 0x20 == 0x20) for it.
        for index in prefix.indices {
            let folded = index < 6 ? bytes[index] | 0x20 : bytes[index]
            schemeDifference |= folded ^ prefix[index]
        }
        let presented = bytes[prefix.count...]
        var difference = UInt64(presented.count ^ token.count)
        for index in 0..<max(presented.count, token.count) {
            let left = index < presented.count ? presented[presented.startIndex + index] : 0
            let right = index < token.count ? token[index] : 0
            difference |= UInt64(left ^ right)
        }
        return difference == 0 && schemeDifference == 0
    }
}
