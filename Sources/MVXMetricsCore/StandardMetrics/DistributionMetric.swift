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
public typealias DistributionMetric<Event: MetricEvent, Value: MetricValue> = EventMetric<Event, Distribution<Value>>

extension EventMetric {
    /// Creates a metric named `name` that observes `value` of each `Event`
    /// (of those `isIncluded` accepts, when it is given).
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` for invalid quantiles.
    @inlinable
    public init<Value: MetricValue>(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "distribution",
        buckets: HistogramBuckets,
        quantiles: [Double] = Distribution<Value>.defaultQuantiles,
        value: @escaping @Sendable (Event) -> Value,
        where isIncluded: (@Sendable (Event) -> Bool)? = nil
    ) throws(MetricsError) where Aggregate == Distribution<Value> {
        self.init(
            name, help: help, storage: try Distribution(dimension: dimension, buckets: buckets, quantiles: quantiles),
            update: { $0.record(value($1)) }, where: isIncluded
        ) { metric, events, updates, _ in
            if metric.storage.sketches {
                metric.storage.record(events, updates: &updates, sketching: true, value: value)
            } else {
                metric.storage.record(events, updates: &updates, sketching: false, value: value)
            }
        }
    }
}
