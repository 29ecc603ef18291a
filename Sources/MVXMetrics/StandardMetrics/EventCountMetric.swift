/// A ready-made metric that counts events of one type.
///
/// ```swift
/// try recorder.register(EventCountMetric("cache.evictions", of: CacheEvicted.self))
/// // total
/// ```
public struct EventCountMetric<Event: MetricEvent>: Metric {
    public let name: String
    public let help: String?
    /// The counter.
    public private(set) var count: EventCount

    /// Creates a metric named `name` that counts `Event`s.
    public init(_ name: String, help: String? = nil, of eventType: Event.Type = Event.self, dimension: String = "total") {
        self.name = name
        self.help = help
        self.count = EventCount(dimension: dimension)
    }

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self) { metric, _ in metric.count.increment() }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: count.dimensions)
    }
}
