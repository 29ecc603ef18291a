/// A ready-made metric that counts events of one type.
///
/// ```swift
/// try recorder.register(EventCountMetric("cache.evictions", of: CacheEvicted.self))
/// // total
/// ```
// @safe: its raw-pointer closures are called only by its recorder, with its own storage and events of its type.
@safe
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
        unsafe self.apply = { metric, _ in unsafe metric.assumingMemoryBound(to: Self.self).pointee.storage.increment()
        }
        unsafe self.applyBatch = { metric, batch in
            let metric = unsafe metric.assumingMemoryBound(to: Self.self)
            return unsafe batch.apply { _ in unsafe metric.pointee.storage.increment() }
        }
    }

    /// The counter.
    public var count: EventCount { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        unsafe routes.on(Event.self, prepared: apply, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
