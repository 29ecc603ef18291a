import Foundation
import MVXMetricsHTTP
import MVXMetricsTestKit
import Testing

private enum Outcome: MetricCase { case success, failure }

private struct Read: MetricEvent {
    static let eventType = "http_hardening_test.read.attempt"
    var outcome: Outcome
}

/// The endpoint's defences, each over a real socket: the token, the body and
/// header limits, methods, idle connections and error bodies.
@Suite struct HTTPHardeningTests {
    private static func snapshot() throws -> RecorderSnapshot {
        let recorder = InlineMetricsRecorder(entityID: "hardening")
        try recorder.register(OutcomeMetric("http_hardening_test.reads", of: Read.self, outcome: \.outcome))
        recorder.record(Read(outcome: .success))
        return recorder.snapshot()
    }

    private static func get(_ path: String, headers: [String] = [], body: String? = nil) -> String {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for header in headers { request += header + "\r\n" }
        if let body { request += "Content-Length: \(body.utf8.count)\r\n" }
        return request + "\r\n" + (body ?? "")
    }

    @Test func wrongTokensOfEveryLengthAre401() async throws {
        let token = "s3cret-token"
        let snapshot = try Self.snapshot()
        try await withLiveServer(.init(bearerToken: token), snapshots: { [snapshot] }) { port in
            var wrong: [String] = []
            // Every prefix, the empty token included, and longer tokens that start with the right one.
            for length in 0..<token.count { wrong.append(String(token.prefix(length))) }
            // (Not a trailing space: HTTP strips it from a field value, so the
            // server sees the right token.)
            wrong += [token + "x", token + token, token + "0"]
            // The right length, one byte off at each position.
            for index in token.indices {
                var altered = token
                altered.replaceSubrange(index...index, with: token[index] == "z" ? "y" : "z")
                wrong.append(altered)
            }
            // Same bytes, wrong case, and a token of a different length entirely.
            wrong += [token.uppercased(), String(repeating: "a", count: 200)]
            for candidate in wrong {
                let response = try #require(
                    try await rawRequest(
                        port: port, Self.get("/metrics", headers: ["Authorization: Bearer \(candidate)"])))
                #expect(response.status == 401, "token \(candidate.debugDescription)")
                #expect(response.text == #"{"error":"unauthorized"}"#)
            }
            for header in ["Bearer", "Bearer\(token)", "Basic \(token)", token, "Bearer  \(token)"] {
                let response = try #require(
                    try await rawRequest(port: port, Self.get("/health", headers: ["Authorization: \(header)"])))
                #expect(response.status == 401, "header \(header.debugDescription)")
            }
            let right = try #require(
                try await rawRequest(port: port, Self.get("/metrics", headers: ["Authorization: Bearer \(token)"])))
            #expect(right.status == 200)
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let snapshot = try Self.snapshot()
        try await withLiveServer(.init(maximumRequestBodySize: 64), snapshots: { [snapshot] }) { port in
            // A declared length over the limit: refused before the body is read.
            let declared = try RawConnection(port: port)
            declared.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000000\r\n\r\n")
            let refused = try #require(await declared.readResponse())
            #expect(refused.status == 413)
            #expect(refused.text == #"{"error":"content too large"}"#)

            // A chunked body has no length up front: it is read up to the limit only.
            let chunked = try RawConnection(port: port)
            let chunk = String(repeating: "x", count: 100)
            chunked.send(
                "GET /snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n\(chunk)\r\n0\r\n\r\n"
            )
            let chunkedResponse = try #require(await chunked.readResponse())
            #expect(chunkedResponse.status == 413)
            #expect(chunkedResponse.text == #"{"error":"content too large"}"#)

            // At the limit it is accepted (and ignored).
            let small = try #require(
                try await rawRequest(port: port, Self.get("/metrics", body: String(repeating: "y", count: 64))))
            #expect(small.status == 200)
        }
        #expect(MetricsHTTPServer.Configuration().maximumRequestBodySize == 1024)
    }

    @Test func anOversizedHeaderSectionIs400AndTheConnectionCloses() async throws {
        #expect(MetricsHTTPServer.Configuration().maximumHeaderSize == 16 * 1024)
        #expect(MetricsHTTPServer.Configuration().maximumHeaderCount == 100)
        let snapshot = try Self.snapshot()
        try await withLiveServer(
            .init(maximumHeaderSize: 4096, maximumHeaderCount: 20), snapshots: { [snapshot] }
        ) { port in
            let oneLargeField = try RawConnection(port: port)
            oneLargeField.send(Self.get("/metrics", headers: ["X-Padding: " + String(repeating: "p", count: 5000)]))
            let large = try #require(await oneLargeField.readResponse())
            #expect(large.status == 400)
            #expect(large.header("Connection") == "close")
            #expect(large.body.isEmpty)
            #expect(await oneLargeField.waitForClose())

            let manyFields = try RawConnection(port: port)
            manyFields.send(Self.get("/metrics", headers: (0..<21).map { "X-Field-\($0): \($0)" }))
            let many = try #require(await manyFields.readResponse())
            #expect(many.status == 400)
            #expect(await manyFields.waitForClose())

            // Within the limits, the same server answers.
            let fine = try #require(
                try await rawRequest(port: port, Self.get("/metrics", headers: (0..<18).map { "X-Field-\($0): \($0)" }))
            )
            #expect(fine.status == 200)
        }
    }

    @Test func otherMethodsOnTheRoutesAre405AndUnknownPaths404() async throws {
        let snapshot = try Self.snapshot()
        try await withLiveServer(snapshots: { [snapshot] }) { port in
            for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
                for path in ["/metrics", "/snapshot", "/health"] {
                    let response = try #require(
                        try await rawRequest(
                            port: port, "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"))
                    #expect(response.status == 405, "\(method) \(path)")
                    #expect(response.header("Allow") == "GET, HEAD")
                    #expect(response.text == #"{"error":"method not allowed"}"#)
                }
            }
            let head = try #require(
                try await rawRequest(port: port, "HEAD /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
            #expect(head.status == 200)
            let unknown = try #require(
                try await rawRequest(port: port, "POST /admin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
            )
            #expect(unknown.status == 404)
            #expect(unknown.text == #"{"error":"not found"}"#)
        }
    }

    @Test func anIdleConnectionIsClosed() async throws {
        #expect(MetricsHTTPServer.Configuration().idleTimeout == .seconds(60))
        // Long enough that a slow (sanitized, loaded) run still sends its
        // request before the server gives up on the connection.
        try await withLiveServer(.init(idleTimeout: .seconds(1).scaled), snapshots: { [] }) { port in
            let silent = try RawConnection(port: port)
            #expect(await silent.waitForClose(timeout: .seconds(30)))
            // After a request too: the timeout counts from the response.
            let served = try RawConnection(port: port)
            served.send(Self.get("/health"))
            #expect(await served.readResponse()?.status == 200)
            #expect(await served.waitForClose(timeout: .seconds(30)))
        }
    }

    @Test func aFailingSnapshotSourceGetsABare500() async throws {
        struct InternalFailure: Error, CustomStringConvertible {
            var description: String { "database password hunter2 rejected at /var/lib/secret" }
        }
        try await withLiveServer(snapshots: { throw InternalFailure() }) { port in
            for path in ["/metrics", "/snapshot", "/health"] {
                let response = try #require(try await rawRequest(port: port, Self.get(path)))
                #expect(response.status == 500, "\(path)")
                #expect(response.text == #"{"error":"internal server error"}"#)
                #expect(response.header("Content-Type") == "application/json")
            }
        }
    }
}
