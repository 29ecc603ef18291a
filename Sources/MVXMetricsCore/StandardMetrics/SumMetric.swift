/// A ready-made metric that sums a numeric field of one event type.
///
/// ```swift
/// try recorder.register(
///     SumMetric("document_storage.save.bytes", of: DocumentSaveAttempt.self, value: \.contentSize)
/// )
/// // total (bytes)
/// ```
public typealias SumMetric<Event: MetricEvent, Value: MetricValue> = EventMetric<Event, Sum<Value>>

extension EventMetric {
    /// Creates a metric named `name` that sums `value` over `Event`s (those
    /// `isIncluded` accepts, when it is given).
    @inlinable
    public init<Value: MetricValue>(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "total",
        value: @escaping @Sendable (Event) -> Value,
        where isIncluded: (@Sendable (Event) -> Bool)? = nil
    ) where Aggregate == Sum<Value> {
        self.init(
            name, help: help, storage: Sum(dimension: dimension), update: { $0.add(value($1)) }, where: isIncluded
        ) { metric, events, updates, _ in
            for index in events.indices { updates[index] = metric.storage.add(value(events[index])) }
        }
    }
}
