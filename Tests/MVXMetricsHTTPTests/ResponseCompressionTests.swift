import CompressNIO
import Foundation
import MVXMetricsPrometheus
import MVXMetricsTestKit
import MVXMetricsTestSupport
import NIOCore
import Testing

@testable import MVXMetricsHTTP

/// gzip on `/metrics` and `/snapshot` when the client accepts it, and the
/// negotiated name escaping over HTTP.
@Suite struct ResponseCompressionTests {
    private struct Read: MetricEvent {
        static let eventType = "gzip_test.read.attempt"
        let outcome: ReadOutcome
    }

    private enum ReadOutcome: MetricCase { case success, failure, timeout, refused, cancelled }

    /// A snapshot whose exposition is well over the compression threshold.
    private static func snapshots() throws -> [RecorderSnapshot] {
        let recorder = InlineMetricsRecorder(entityID: "gzip-test", commonLabels: ["service.name": "orders"])
        try recorder.register(OutcomeMetric("gzip_test.read.attempts", of: Read.self, outcome: \.outcome))
        recorder.record(Read(outcome: .success))
        return [recorder.snapshot()]
    }

    private static func get(_ port: Int, _ path: String, _ headers: [String]) async throws -> RawResponse {
        let request = "GET \(path) HTTP/1.1\r\nHost: x\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
        return try #require(try await rawRequest(port: port, request))
    }

    private static func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        let inflated = try buffer.decompress(with: .gzip())
        return Array(inflated.readableBytesView)
    }

    @Test func metricsAndSnapshotAreGzippedWhenTheClientAcceptsIt() async throws {
        let snapshots = try Self.snapshots()
        let plain = PrometheusExposition().render(snapshots)
        try await withLiveServer(snapshots: { snapshots }) { port in
            let metrics = try await Self.get(port, "/metrics", ["Accept-Encoding: gzip"])
            #expect(metrics.status == 200)
            #expect(metrics.header("Content-Encoding") == "gzip")
            #expect(metrics.header("Vary") == "Accept-Encoding")
            #expect(metrics.body.count < plain.utf8.count)
            #expect(String(decoding: try Self.gunzip(metrics.body), as: UTF8.self) == plain)

            let snapshot = try await Self.get(port, "/snapshot", ["Accept-Encoding: deflate, gzip;q=0.5"])
            #expect(snapshot.header("Content-Encoding") == "gzip")
            let decoded = try MetricsJSON.decoder().decode(
                [RecorderSnapshot].self, from: Data(try Self.gunzip(snapshot.body)))
            #expect(decoded == snapshots)

            // Not asked, refused, or asked of nothing but identity: plain text.
            for header in [
                [], ["Accept-Encoding: gzip;q=0"], ["Accept-Encoding: identity"], ["Accept-Encoding: *;q=0"],
            ] {
                let response = try await Self.get(port, "/metrics", header)
                #expect(response.header("Content-Encoding") == nil, "\(header)")
                #expect(response.text == plain, "\(header)")
                #expect(response.header("Vary") == "Accept-Encoding")
            }
        }
    }

    @Test func smallBodiesAndATurnedOffServerAreNotCompressed() async throws {
        let empty = RecorderSnapshot(entityID: "e", takenAt: Date(), metrics: [], statistics: .init())
        var configuration = MetricsHTTPServer.Configuration(includesRecorderStatistics: false)
        try await withLiveServer(configuration, snapshots: { [empty] }) { port in
            let response = try await Self.get(port, "/metrics", ["Accept-Encoding: gzip"])
            #expect(response.status == 200)
            #expect(response.header("Content-Encoding") == nil)
            #expect(response.body.isEmpty)
        }
        configuration = MetricsHTTPServer.Configuration(compressesResponses: false)
        let snapshots = try Self.snapshots()
        try await withLiveServer(configuration, snapshots: { snapshots }) { port in
            let response = try await Self.get(port, "/metrics", ["Accept-Encoding: gzip"])
            #expect(response.header("Content-Encoding") == nil)
            #expect(response.header("Vary") == nil)
            #expect(response.text == PrometheusExposition().render(snapshots))
        }
    }

    @Test func acceptEncodingIsReadAsHTTPDefinesIt() {
        let accepted = ["gzip", "GZIP", "x-gzip", "br, gzip", "gzip;q=0.1", "*", "deflate, *;q=0.5", " gzip ; q=1 "]
        for header in accepted { #expect(ResponseCompression.acceptsGzip(header), "\(header)") }
        let refused = ["", "identity", "br", "gzip;q=0", "*;q=0", "gzip;q=0, *", "deflate;q=1"]
        for header in refused { #expect(!ResponseCompression.acceptsGzip(header), "\(header)") }
        #expect(!ResponseCompression.acceptsGzip(nil))
    }

    @Test func utf8NamesAreServedWhenTheScraperAsksForThem() async throws {
        let snapshots = try Self.snapshots()
        try await withLiveServer(snapshots: { snapshots }) { port in
            let utf8 = try await Self.get(
                port, "/metrics", ["Accept: text/plain;version=1.0.0;escaping=allow-utf-8;q=0.5,*/*;q=0.1"])
            #expect(utf8.header("Content-Type") == "text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8")
            #expect(
                utf8.text.contains(
                    #"{"gzip_test.read.attempts_total",entity_id="gzip-test",outcome="success","service.name"="orders"} 1"#
                ))
            let legacy = try await Self.get(port, "/metrics", ["Accept: text/plain;version=0.0.4"])
            #expect(legacy.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
            #expect(
                legacy.text.contains(
                    #"gzip_test_read_attempts_total{entity_id="gzip-test",outcome="success",service_name="orders"} 1"#))
        }
    }
}
