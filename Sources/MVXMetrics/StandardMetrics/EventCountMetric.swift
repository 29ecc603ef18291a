/// A ready-made metric that counts events of one type.
///
/// ```swift
/// try recorder.register(EventCountMetric("cache.evictions", of: CacheEvicted.self))
/// // total
/// ```
public struct EventCountMetric<Event: MetricEvent>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage: EventCount
    /// Applies one event; made in `init`, where the types are concrete.
    @usableFromInline let apply: @Sendable (UnsafeMutableRawPointer, UnsafeRawPointer) -> MetricUpdate
    /// The same, for a whole batch of queued events at once (see `EventBatch`).
    @usableFromInline let applyBatch: @Sendable (UnsafeMutableRawPointer, EventBatch) -> Int

    /// Creates a metric named `name` that counts `Event`s.
    @inlinable
    public init(_ name: String, help: String? = nil, of eventType: Event.Type = Event.self, dimension: String = "total")
    {
        self.name = name
        self.help = help
        self.storage = EventCount(dimension: dimension)
        self.apply = { metric, _ in metric.assumingMemoryBound(to: Self.self).pointee.storage.increment() }
        self.applyBatch = { metric, batch in
            let metric = metric.assumingMemoryBound(to: Self.self)
            return batch.apply { _ in metric.pointee.storage.increment() }
        }
    }

    /// The counter.
    public var count: EventCount { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self, prepared: apply, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
