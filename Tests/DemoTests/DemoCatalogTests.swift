import DemoExample
import Foundation
import MVXMetrics
import MVXMetricsTestSupport
import Testing

/// `--catalog` and `--alerting-rules`: what the demo measures and checks,
/// printed without running it.
@Suite struct DemoCatalogTests {
    @Test func theOptionsParseAndExcludeEachOther() throws {
        #expect(try DemoCommand.parse(["--catalog", "json"]).catalog == .json)
        #expect(try DemoCommand.parse(["--catalog", "markdown"]).catalog == .markdown)
        #expect(try DemoCommand.parse(["--alerting-rules"]).alertingRules)
        #expect(try DemoCommand.parse([]).catalog == nil)
        #expect(throws: (any Error).self) { try DemoCommand.parse(["--catalog", "xml"]) }
        #expect(throws: (any Error).self) { try DemoCommand.parse(["--catalog", "json", "--alerting-rules"]) }
    }

    /// Every recorder and metric the demo registers, every outcome case.
    @Test func theCatalogListsEveryRecorderAndCase() throws {
        let catalog = try DemoCatalog.catalog()
        #expect(catalog.recorders.map(\.entityID) == ["document-storage", "tcp-echo-server", "tcp-stream"])
        let attempts = try #require(catalog.recorders[0]["document_storage.save.attempts"])
        #expect(attempts["total"]?.parts?.values == ["success", "failure", "too_large", "invalid_name"])
        let open = try #require(catalog.recorders[2]["tcp_stream.open.attempts"])
        #expect(open["refused_by_reason_total"]?[label: "reason"]?.values?.contains("connection_refused") == true)
        let json = try DemoCatalog.text(.json)
        #expect(try MetricsJSON.decoder().decode(MetricCatalog.self, from: Data(json.utf8)) == catalog)
        #expect(try DemoCatalog.text(.markdown) == catalog.markdown)
    }

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.promtool),
            "promtool is not installed (bash .ci/run installs it)"))
    func theAlertingRulesPassPromtool() async throws {
        let promtool = try #require(RealComponents.promtool, "promtool is required under CI")
        let yaml = try DemoCatalog.alertingRules()
        #expect(yaml.contains("      - alert: 'DocumentSavesFailBelow5'\n"))
        #expect(yaml.contains("      - alert: 'TcpReadsTimeOutOrFailBelow5'\n"))
        #expect(yaml.hasSuffix("# Not a rule, a closure without a declared condition: \"no events dropped\"\n"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("demo-rules-\(UUID().uuidString).yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await runTool(promtool, ["check", "rules", file.path])
        #expect(run.status == 0, "promtool: \(run.output)\(run.errors)")
        #expect(run.output.contains("SUCCESS: 2 rules found"))
    }

    /// The built command prints the catalog and exits at once, with 0.
    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.demo),
            "mvx-metrics-demo is not built next to the tests (swift build builds it); CI=true makes this a failure"))
    func theCommandPrintsTheCatalogAndExits() async throws {
        let demo = try #require(RealComponents.demo, "mvx-metrics-demo is required under CI=true")
        let run = try await runTool(demo, ["--catalog", "markdown"], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output == (try DemoCatalog.catalog()).markdown)
        let refused = try await runTool(demo, ["--catalog", "json", "--alerting-rules"], timeout: .seconds(60))
        #expect(refused.status == 64)
        #expect(refused.errors.contains("--catalog and --alerting-rules exclude each other."))
    }
}
