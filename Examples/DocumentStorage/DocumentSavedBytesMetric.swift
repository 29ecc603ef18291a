import MVXMetricsCore

/// Bytes of documents saved successfully: `total` in bytes.
///
/// Failed attempts carry a content size too; this metric decides they do not
/// apply, because nothing was saved.
public struct DocumentSavedBytesMetric: Metric {
    public let name = "document_storage.save.bytes"
    public var help: String? { "Bytes of documents saved successfully." }
    public private(set) var bytes = Sum<ByteCount>()

    public init() {}

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(DocumentSaveAttempt.self) { metric, event in
            guard event.outcome == .success else { return .unchanged }
            return metric.bytes.add(event.contentSize)
        }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: bytes.dimensions)
    }
}
