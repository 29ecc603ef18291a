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
// @safe: its raw-pointer closures are called only by its recorder, with its own storage and events of its type.
@safe
public struct DistributionMetric<Event: MetricEvent, Value: MetricValue>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage: Distribution<Value>
    /// Applies one event, read from its queue slot; made in `init`, where the
    /// types are concrete, so it is specialized.
    @usableFromInline let apply: @Sendable (UnsafeMutableRawPointer, UnsafeRawPointer) -> MetricUpdate
    /// The same, for a whole batch of queued events at once (see `EventBatch`).
    @usableFromInline let applyBatch: @Sendable (UnsafeMutableRawPointer, EventBatch) -> Int

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
        unsafe self.apply = { metric, event in
            unsafe metric.assumingMemoryBound(to: Self.self).pointee.storage.record(
                value(event.assumingMemoryBound(to: Event.self).pointee))
        }
        unsafe self.applyBatch = { metric, batch in
            let metric = unsafe metric.assumingMemoryBound(to: Self.self)
            return unsafe batch.apply { event in
                unsafe metric.pointee.storage.record(
                    value(event.assumingMemoryBound(to: Event.self).pointee))
            }
        }
    }

    /// The distribution.
    public var distribution: Distribution<Value> { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        unsafe routes.on(Event.self, prepared: apply, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
