import ArgumentParser
import Foundation
import MVXMetrics
import MVXMetricsPrometheus

/// What the demo measures and checks, printed instead of running it
/// (`--catalog`, `--alerting-rules`): the documentation and the Prometheus
/// rules come from the same code that records and checks.
public enum DemoCatalog {
    /// How `--catalog` prints the catalog.
    public enum Format: String, Sendable, CaseIterable, ExpressibleByArgument {
        /// `MetricCatalog.jsonData(prettyPrinted:)`, pretty-printed.
        case json
        /// `MetricCatalog.markdown`.
        case markdown
    }

    /// The catalog of the demo's recorders, registered exactly as a run
    /// registers them; nothing is started or recorded.
    public static func catalog() throws -> MetricCatalog {
        let demo = try Demo()
        defer { demo.removeTemporaryFiles() }
        return demo.runtime.catalog()
    }

    /// The catalog as `format` writes it, ending with a line break.
    public static func text(_ format: Format) throws -> String {
        let catalog = try catalog()
        switch format {
        case .json: return String(decoding: try catalog.jsonData(prettyPrinted: true), as: UTF8.self) + "\n"
        case .markdown: return catalog.markdown
        }
    }

    /// The demo's health checks (``DemoHealthChecks``) as a Prometheus
    /// alerting rules file, for the series its `/metrics` serves.
    public static func alertingRules() throws -> String {
        let demo = try Demo()
        defer { demo.removeTemporaryFiles() }
        return try PrometheusAlertingRules(groupName: "mvx-metrics-demo").render(
            DemoHealthChecks.all, snapshots: demo.runtime.snapshot())
    }
}
