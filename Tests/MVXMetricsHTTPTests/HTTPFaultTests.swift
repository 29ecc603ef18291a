import Foundation
import MVXMetricsHTTP
import MVXMetricsPrometheus
import MVXMetricsTestKit
import MVXMetricsTestSupport
import Testing

private struct Hit: MetricEvent {
    static let eventType = "http_fault_test.hit"
    var route: String
}

/// Clients that misbehave mid-response do not harm the server.
@Suite struct HTTPFaultTests {
    @Test func clientsHangingUpMidResponseLeaveTheServerServingAndNothingOpen() async throws {
        // Tens of thousands of series: a response of megabytes, far more than
        // the socket buffers hold, so the server is still writing when the
        // client goes.
        let recorder = InlineMetricsRecorder(entityID: "big")
        try recorder.register(
            LabelCountMetric("http_fault_test.hits", of: Hit.self, label: "route", cap: 30_000, value: \.route))
        for index in 0..<30_000 { recorder.record(Hit(route: "/a/fairly/long/route/number/\(index)")) }
        let snapshot = recorder.snapshot()
        let expected = PrometheusExposition(format: .text).renderBytes([snapshot])
        #expect(expected.count > 2_500_000)

        try await withLiveServer(snapshots: { [snapshot] }) { port in
            for attempt in 0..<6 {
                let client = try RawConnection(port: port)
                client.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let first = try #require(await client.read(upTo: 16), "attempt \(attempt)")
                #expect(String(decoding: first, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
                client.close()
            }
            // The next request gets the whole response, byte for byte.
            let next = try RawConnection(port: port)
            next.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let response = try #require(await next.readResponse())
            #expect(response.status == 200)
            #expect(response.body == expected)
            next.close()
            // And every connection, the abandoned ones included, is closed on
            // the server's side: none left established or half-closed.
            let allClosed = await eventually(timeout: .seconds(5)) { openServerConnections(port: port) == 0 }
            #expect(allClosed, "\(openServerConnections(port: port)) connections still open")
        }
    }
}
