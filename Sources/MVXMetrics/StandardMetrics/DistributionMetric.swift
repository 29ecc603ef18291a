/// A ready-made metric that observes a numeric field of one event type as a
/// distribution (histogram, extremes and quantiles).
///
/// ```swift
/// try recorder.register(
///     DistributionMetric(
///         "document_storage.save.duration", of: DocumentSaveAttempt.self,
///         buckets: .durations, value: \.duration)
/// )
/// ```
public struct DistributionMetric<Event: MetricEvent, Value: MetricValue>: Metric {
    public let name: String
    public let help: String?
    /// The distribution.
    public private(set) var distribution: Distribution<Value>
    private let value: @Sendable (Event) -> Value

    /// Creates a metric named `name` that observes `value` of each `Event`.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` for invalid quantiles.
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "distribution",
        buckets: HistogramBuckets,
        quantiles: [Double] = Distribution<Value>.defaultQuantiles,
        value: @escaping @Sendable (Event) -> Value
    ) throws(MetricsError) {
        self.name = name
        self.help = help
        self.distribution = try Distribution(dimension: dimension, buckets: buckets, quantiles: quantiles)
        self.value = value
    }

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self) { metric, event in metric.distribution.record(metric.value(event)) }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: distribution.dimensions)
    }
}
