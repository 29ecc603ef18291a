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
    @usableFromInline var storage: Distribution<Value>
    /// Applies a batch of events; made in `init`, where the types are
    /// concrete, so the loop is specialized even for a metric registered as
    /// `any Metric`.
    @usableFromInline let applyBatch: MetricRoutes<Self>.BatchHandler<Event>

    /// Creates a metric named `name` that observes `value` of each `Event`.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` for invalid quantiles.
    @inlinable
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
        self.storage = try Distribution(dimension: dimension, buckets: buckets, quantiles: quantiles)
        self.applyBatch = { metric, events, updates, _ in
            for index in events.indices { updates[index] = metric.storage.record(value(events[index])) }
        }
    }

    /// The distribution.
    public var distribution: Distribution<Value> { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
