/// A ready-made metric that counts events of one type.
///
/// ```swift
/// try recorder.register(EventCountMetric("cache.evictions", of: CacheEvicted.self))
/// // total
/// ```
public typealias EventCountMetric<Event: MetricEvent> = EventMetric<Event, EventCount>

extension EventMetric {
    /// Creates a metric named `name` that counts `Event`s (those `isIncluded`
    /// accepts, when it is given).
    @inlinable
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "total",
        where isIncluded: (@Sendable (Event) -> Bool)? = nil
    ) where Aggregate == EventCount {
        self.init(
            name, help: help, storage: EventCount(dimension: dimension), update: { count, _ in count.increment() },
            where: isIncluded
        ) { metric, events, updates, _ in
            for index in events.indices { updates[index] = metric.storage.increment() }
        }
    }
}
