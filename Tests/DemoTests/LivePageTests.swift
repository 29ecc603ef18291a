import DemoExample
import Foundation
import MVXMetrics
import MVXMetricsTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The demo's HTTP endpoint and its live page, checked over real HTTP, and the
/// page's charts checked in a real headless browser.
@Suite struct LivePageTests {
    /// A running demo serving on a free port, with a history sampled often
    /// enough for the charts to have points within a second or two.
    private func servingDemo() async throws -> (demo: Demo, address: String) {
        let demo = try Demo(
            configuration: .init(duration: nil, rate: 300, serving: .port(0), sampleInterval: .milliseconds(200)))
        let address = try #require(try await demo.start())
        let sampled = await eventually { demo.history.count >= 5 }
        #expect(sampled)
        return (demo, address)
    }

    private func get(_ url: String) async throws -> (status: Int, type: String, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 120 * Double(DeadlineScale.factor)
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (
            http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data, as: UTF8.self)
        )
    }

    @Test func theEndpointServesThePageTheHistoryAndTheMetrics() async throws {
        let (demo, address) = try await servingDemo()
        let page = try await get(address)
        #expect(page.status == 200)
        #expect(page.type.hasPrefix("text/html"))
        for id in ["chart-tcp", "chart-docs", "chart-bytes", "chart-latency", "chart-recorders"] {
            #expect(page.body.contains("<canvas id=\"\(id)\">"))
        }
        #expect(!page.body.contains("http://") && !page.body.contains("https://"), "the page loads nothing external")

        let history = try await get(address + "history")
        let samples = try MetricsJSON.decoder().decode([[RecorderSnapshot]].self, from: Data(history.body.utf8))
        #expect(samples.count >= 5)
        #expect(samples.allSatisfy { $0.map(\.entityID) == ["document-storage", "tcp-echo-server", "tcp-stream"] })

        let health = try await get(address + "health")
        #expect(health.status == 200, "\(health.body)")
        #expect(health.body.contains("no events dropped"))
        let metrics = try await get(address + "metrics")
        #expect(metrics.body.contains("tcp_echo_server_echoed_bytes"))
        #expect(
            metrics.body.contains(
                #"document_storage_save_attempts_total{entity_id="document-storage",outcome="too_large"}"#))

        demo.requestStop()
        let report = await demo.stop().report
        #expect(report.passed, "\(report)")
        // Stopped: the port is closed.
        await #expect(throws: (any Error).self) { _ = try await get(address + "health") }
    }

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.chromium),
            "chromium is not installed (apt-get install -y chromium); CI=true makes this a failure"),
        .timeLimit(.minutes(3 * DeadlineScale.factor)))
    func theLivePageChartsTheRunInAHeadlessBrowser() async throws {
        let chromium = try #require(RealComponents.chromium, "chromium is required under CI=true")
        let (demo, address) = try await servingDemo()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("mvx-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--user-data-dir=\(profile.path)", "--window-size=1400,1000",
            // Virtual time runs the page's timers ahead: several polls of 300 ms happen.
            "--virtual-time-budget=3000",
        ]
        let page = address + "?interval=300"

        let dump = try await runTool(chromium, common + ["--dump-dom", page])
        #expect(dump.status == 0, "\(dump.errors)")
        let dom = dump.output
        let polls = try #require(Self.attribute("data-polls", in: dom).flatMap { Int($0) }, "\(dom.prefix(2000))")
        #expect(polls >= 2, "the page polled /snapshot \(polls) times")
        #expect(Self.attribute("data-state", in: dom) == "live")
        for id in ["chart-tcp", "chart-docs", "chart-bytes", "chart-latency", "chart-recorders"] {
            let canvas = try #require(Self.element(id, in: dom), "no canvas \(id)")
            let points = Self.attribute("data-points", in: canvas).flatMap { Int($0) } ?? 0
            #expect(points >= 2, "\(id) drew \(points) points")
            #expect(Self.attribute("data-nonzero", in: canvas) == "true", "\(id) drew only zeros: \(canvas)")
        }
        #expect(dom.contains("no events dropped"), "the health checks were not shown")
        #expect(dom.contains("<code>tcp_stream.read.attempts</code>"), "the attempts table was not filled")

        // The picture, kept as the test's artifact.
        let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let picture = artifacts.appendingPathComponent("live-page.png")
        try? FileManager.default.removeItem(at: picture)
        let shot = try await runTool(chromium, common + ["--screenshot=\(picture.path)", page])
        #expect(shot.status == 0, "\(shot.errors)")
        let png = try Data(contentsOf: picture)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "a blank page would be smaller: \(png.count) bytes")
        print("live page screenshot: \(picture.path)")

        demo.requestStop()
        let report = await demo.stop().report
        #expect(report.passed, "\(report)")
    }

    /// The value of the first `name="…"` in `html`.
    static func attribute(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: " \(name)=\"") else { return nil }
        let rest = html[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// The opening tag of the element with `id`.
    static func element(_ id: String, in html: String) -> String? {
        guard let idRange = html.range(of: "id=\"\(id)\"") else { return nil }
        let start = html[..<idRange.lowerBound].lastIndex(of: "<") ?? idRange.lowerBound
        let end = html[idRange.upperBound...].firstIndex(of: ">") ?? html.endIndex
        return String(html[start..<end]) + ">"
    }
}
