import MVXMetricsCore

/// Document save attempts by outcome: `total`, `success_total`,
/// `failure_total`, `too_large_total`, `invalid_name_total`.
public struct DocumentSaveAttemptsMetric: Metric {
    public let name = "document_storage.save.attempts"
    public var help: String? { "Document save attempts by outcome." }
    public private(set) var attempts = OutcomeCounts<DocumentSaveOutcome>()

    public init() {}

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(DocumentSaveAttempt.self) { metric, event in
            metric.attempts.record(event.outcome)
        }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: attempts.dimensions)
    }
}
