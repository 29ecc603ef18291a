import Hummingbird
import MVXMetricsHTTP
import Testing

/// Routes of the application's own, added with `routes:`: served next to the
/// server's, behind the same token and limits.
@Suite struct OwnRoutesTests {
    @Test func ownRoutesGetTheSameTokenAndLimits() async throws {
        // The DocC snippet (MVXMetricsHTTP.md, "Sizing the connection cap"), as written there.
        let routes: @Sendable (Router<BasicRequestContext>) -> Void = { router in
            router.get("/") { _, _ in "ok" }
        }
        let configuration = MetricsHTTPServer.Configuration(bearerToken: "token", maximumRequestBodySize: 16)
        try await withLiveServer(configuration, routes: routes, snapshots: { [] }) { port, server in
            let allowed = try #require(
                try await rawRequest(port: port, "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token\r\n\r\n"))
            #expect(allowed.status == 200)
            #expect(allowed.text == "ok")
            let refused = try #require(try await rawRequest(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
            #expect(refused.status == 401)
            let large = try #require(
                try await rawRequest(
                    port: port,
                    "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token\r\nContent-Length: 17\r\n\r\n"
                        + String(repeating: "x", count: 17)))
            #expect(large.status == 413)
            #expect(server.statistics.clientErrors == 2)
        }
    }
}
