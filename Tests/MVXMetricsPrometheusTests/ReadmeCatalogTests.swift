import DocumentStorageExample
import MVXMetricsPrometheus
import MVXMetricsTestKit
import Testing

/// The README's catalog and alerting rules snippet, compiled and run.
@Suite struct ReadmeCatalogTests {
    @Test func theCatalogAndTheRulesComeFromTheCode() throws {
        // README: catalog begin
        let recorder = InlineMetricsRecorder(entityID: "document-storage")
        for metric in try DocumentStorageMetrics.all() { try recorder.register(metric) }
        let catalog = recorder.catalog()  // or runtime.catalog()
        let markdown = catalog.markdown  // a table per metric
        let json = try catalog.jsonData(prettyPrinted: true)

        let checks: [HealthCheck] = [
            .ratio(
                "document saves fail below 5%", metric: "document_storage.save.attempts",
                numerator: ["failure_total"], below: 0.05)
        ]
        let rules = try PrometheusAlertingRules(pendingFor: .seconds(300))
            .render(checks, snapshots: [recorder.snapshot()])
        // expr: sum by (instance, job) (document_storage_save_attempts_total{outcome="failure"})
        //     / (sum by (instance, job) (document_storage_save_attempts_total) > 0) >= 0.05
        // README: catalog end
        #expect(markdown.contains("| `failure_total` | counter |  |  | `total`, `outcome=\"failure\"` |\n"))
        #expect(try MetricsJSON.decoder().decode(MetricCatalog.self, from: json) == catalog)
        #expect(
            rules.contains(
                "expr: 'sum by (instance, job) (document_storage_save_attempts_total{outcome=\"failure\"})"
                    + " / (sum by (instance, job) (document_storage_save_attempts_total) > 0) >= 0.05'\n"))
        #expect(rules.contains("        for: 5m\n"))
    }
}
