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
    /// Applies a batch of events; made in `init`, where the types are
    /// concrete, so the loop is specialized even for a metric registered as
    /// `any Metric`.
    @usableFromInline let applyBatch: MetricRoutes<Self>.BatchHandler<Event>

    /// Creates a metric named `name` that counts `Event`s.
    @inlinable
    public init(_ name: String, help: String? = nil, of eventType: Event.Type = Event.self, dimension: String = "total")
    {
        self.name = name
        self.help = help
        self.storage = EventCount(dimension: dimension)
        self.applyBatch = { metric, events, updates, _ in
            for index in events.indices { updates[index] = metric.storage.increment() }
        }
    }

    /// The counter.
    public var count: EventCount { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
