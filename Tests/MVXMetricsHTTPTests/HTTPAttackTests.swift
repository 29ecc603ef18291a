import Foundation
import InMemoryLogging
import Logging
import MVXMetricsHTTP
import MVXMetricsTestSupport
import Testing

/// What an attacker on the network can do to the endpoint, each over real
/// sockets on 127.0.0.1, bounded in count and time: hold connections, trickle
/// a request, send a body after a refusal, send a malformed body or hang up in
/// the middle of one. The server must stay up, answer others, and count it.
@Suite struct HTTPAttackTests {
    private static let request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    @Test func connectionsOverTheCapAreClosedAtOnceAndCounted() async throws {
        #expect(MetricsHTTPServer.Configuration().maximumConnections == 128)
        // No request deadline and no idle timeout: the held connections send
        // nothing, and must stay open however slowly a loaded machine runs
        // this test (a CI run once spent over 60 s before the first request).
        let configuration = MetricsHTTPServer.Configuration(
            idleTimeout: nil, requestTimeout: nil, maximumConnections: 8)
        try await withLiveServer(configuration, snapshots: { [] }) { port, server in
            let held = try (0..<8).map { _ in try RawConnection(port: port) }
            #expect(await eventually { server.statistics.connectionsOpen == 8 })
            let refused = try (0..<5).map { _ in try RawConnection(port: port) }
            for connection in refused {
                #expect(
                    await connection.waitForClose(timeout: .seconds(10).scaled), "a connection over the cap stayed open"
                )
            }
            #expect(server.statistics.connectionsRefused == 5)
            #expect(server.statistics.connectionsOpen == 8)

            // A held connection is still served, and once one goes, a new one is.
            held[0].send(Self.request)
            #expect(await held[0].readResponse()?.status == 200)
            held[1].close()
            #expect(await eventually { server.statistics.connectionsOpen == 7 })
            #expect(try await rawRequest(port: port, Self.request)?.status == 200)
            for connection in held { connection.close() }
            #expect(await eventually { server.statistics.connectionsOpen == 0 })
            #expect(server.statistics.connectionsAccepted == 9)
        }
    }

    @Test func aTrickledRequestIsCutOffByTheRequestDeadline() async throws {
        #expect(MetricsHTTPServer.Configuration().requestTimeout == .seconds(10))
        let configuration = MetricsHTTPServer.Configuration(
            idleTimeout: .seconds(60), requestTimeout: .milliseconds(500))
        try await withLiveServer(configuration, snapshots: { [] }) { port, server in
            // The deadline cannot run out before this.
            let started = ContinuousClock.now
            // A body one byte at a time: each byte would restart an idle timer.
            let body = try RawConnection(port: port)
            body.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n")
            // A head one field at a time.
            let head = try RawConnection(port: port)
            head.send("GET /metrics HTTP/1.1\r\n")
            var sent = 0
            // Paced attack traffic (not synchronisation): a byte every 50 ms
            // for at most 30 s; the deadline is half a second.
            while ContinuousClock.now - started < .seconds(30).scaled {
                let bodyOpen = body.send("x")
                let headOpen = head.send("X-Slow-\(sent): 1\r\n")
                guard bodyOpen || headOpen else { break }
                sent += 1
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(await body.waitForClose(timeout: .seconds(5).scaled))
            #expect(await head.waitForClose(timeout: .seconds(5).scaled))
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(500), "closed before the deadline")
            // Far below the 30 s of trickling, with room for a loaded machine.
            #expect(elapsed < .seconds(15).scaled, "the trickle held the connection open")
            #expect(server.statistics.requestsTimedOut == 2)
            print(
                "trickled request: a head and a body sent a byte every 50 ms against a 500 ms deadline, "
                    + "both closed after \(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000) ms "
                    + "(\(sent) bytes trickled), \(server.statistics.requestsTimedOut) requests timed out")

            // A request that arrives in time is served on the same server.
            #expect(try await rawRequest(port: port, Self.request)?.status == 200)
            #expect(server.statistics.requestsTimedOut == 2)
        }
    }

    @Test func afterARefusalTheConnectionClosesInsteadOfReadingTheBody() async throws {
        let configuration = MetricsHTTPServer.Configuration(bearerToken: "token", maximumRequestBodySize: 64)
        try await withLiveServer(configuration, snapshots: { [] }) { port, server in
            let refusals = [
                ("Authorization: Bearer token\r\nContent-Length: 100000000", 413),
                ("Authorization: Bearer token\r\nTransfer-Encoding: chunked", 413),
                ("Authorization: Bearer wrong\r\nContent-Length: 100000000", 401),
            ]
            for (headers, status) in refusals {
                let connection = try RawConnection(port: port)
                connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers)\r\n\r\n")
                let chunked = headers.contains("chunked")
                let kibibyte = String(repeating: "x", count: 1024)
                let piece = Array((chunked ? "400\r\n\(kibibyte)\r\n" : kibibyte).utf8)
                // Keep sending, as a client that ignores the answer would: at
                // most 100 MiB; the server reads at most 64 KiB more, so what
                // goes out before the close is what the kernel's buffers hold.
                var sentBytes = 0
                if chunked { for _ in 0..<4 { sentBytes += connection.send(piece) ? piece.count : 0 } }
                let response = try #require(await connection.readResponse())
                #expect(response.status == status, "\(headers)")
                #expect(response.header("Connection") == "close")
                let started = ContinuousClock.now
                while sentBytes < 100 << 20, await connection.sendPolling(piece) { sentBytes += piece.count }
                // What bounds it is the bytes below; the time only has to be
                // far from what draining 100 MiB at a loaded machine's pace takes.
                #expect(ContinuousClock.now - started < .seconds(30).scaled, "\(headers): the server kept reading")
                #expect(sentBytes < 16 << 20, "\(headers): the server read \(sentBytes) bytes of the body")
            }
            #expect(server.statistics.clientErrors == 3)
            #expect(server.statistics.serverErrors == 0)
        }
    }

    @Test func aMalformedOrCutOffBodyIsTheClientsFaultNotTheServers() async throws {
        let handler = InMemoryLogHandler()
        var configuration = MetricsHTTPServer.Configuration()
        configuration.logger = Logger(label: "attack") { _ in handler }
        configuration.logger.logLevel = .trace
        try await withLiveServer(configuration, snapshots: { [] }) { port, server in
            let malformed = try RawConnection(port: port)
            malformed.send(
                "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n")
            let response = try #require(await malformed.readResponse())
            #expect(response.status == 400)
            #expect(await malformed.waitForClose(timeout: .seconds(5).scaled))

            let cutOff = try RawConnection(port: port)
            cutOff.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\nonly part")
            let declared = try RawConnection(port: port)
            declared.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\nonly part")
            // Let both requests' heads reach the server before hanging up.
            #expect(await eventually { server.statistics.requestsReceived == 3 })
            cutOff.close()
            declared.close()
            #expect(await eventually { server.statistics.connectionsOpen == 0 })
            #expect(await eventually { server.statistics.clientErrors == 3 })
            #expect(server.statistics.serverErrors == 0)
            #expect(try await rawRequest(port: port, Self.request)?.status == 200)
        }
        let loud = handler.entries.filter { $0.level >= .warning }
        #expect(loud.isEmpty, "client faults logged above debug: \(loud.map(\.message))")
    }
}
