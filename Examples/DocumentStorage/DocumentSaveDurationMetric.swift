import MVXMetricsCore

/// How long save attempts take, whatever their outcome: a distribution in seconds.
public struct DocumentSaveDurationMetric: Metric {
    public let name = "document_storage.save.duration"
    public var help: String? { "Duration of document save attempts." }
    public private(set) var duration: Distribution<Duration>

    /// Creates the metric with the given buckets (by default 5 ms to 10 s).
    public init(buckets: HistogramBuckets = .durations) throws(MetricsError) {
        duration = try Distribution(dimension: "seconds", buckets: buckets)
    }

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(DocumentSaveAttempt.self) { metric, event in
            metric.duration.record(event.duration)
        }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: duration.dimensions)
    }
}
