/// A ready-made metric that observes a numeric field of one event type in a
/// base-2 exponential histogram: no bucket bounds to choose, bounded memory,
/// and state that merges exactly.
///
/// ```swift
/// try recorder.register(
///     ExponentialHistogramMetric(
///         "document_storage.save.duration", of: DocumentSaveAttempt.self, value: \.duration)
/// )
/// ```
public typealias ExponentialHistogramMetric<Event: MetricEvent, Value: MetricValue> =
    EventMetric<Event, ExponentialHistogram<Value>>

extension EventMetric {
    /// Creates a metric named `name` that observes `value` of each `Event`
    /// (of those `isIncluded` accepts, when it is given).
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` for an invalid
    ///   bucket count, zero threshold or quantile.
    @inlinable
    public init<Value: MetricValue>(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "distribution",
        maximumBucketCount: Int = 160,
        zeroThreshold: Double = 0,
        quantiles: [Double] = Distribution<Value>.defaultQuantiles,
        value: @escaping @Sendable (Event) -> Value,
        where isIncluded: (@Sendable (Event) -> Bool)? = nil
    ) throws(MetricsError) where Aggregate == ExponentialHistogram<Value> {
        let histogram = try ExponentialHistogram<Value>(
            dimension: dimension, maximumBucketCount: maximumBucketCount, zeroThreshold: zeroThreshold,
            quantiles: quantiles)
        self.init(
            name, help: help, storage: histogram, update: { $0.record(value($1)) }, where: isIncluded)
    }
}
