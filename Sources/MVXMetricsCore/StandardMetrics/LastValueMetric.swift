/// A ready-made metric that keeps the last value of a numeric field of one
/// event type, as a gauge.
///
/// ```swift
/// try recorder.register(
///     LastValueMetric("tcp_stream.send_buffer.level", of: SendBufferSampled.self, value: \.level)
/// )
/// ```
public typealias LastValueMetric<Event: MetricEvent, Value: MetricValue> = EventMetric<Event, LastValue<Value>>

extension EventMetric {
    /// Creates a metric named `name` that keeps the last `value` of `Event`s:
    /// unset (no series exported) until the first event, unless
    /// `initialValue` is given. With `isIncluded`, only the events it accepts
    /// set the gauge.
    @inlinable
    public init<Value: MetricValue>(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "value",
        initialValue: Value? = nil,
        value: @escaping @Sendable (Event) -> Value,
        where isIncluded: (@Sendable (Event) -> Bool)? = nil
    ) where Aggregate == LastValue<Value> {
        self.init(
            name, help: help, storage: LastValue(dimension: dimension, initialValue: initialValue),
            update: { $0.set(value($1)) }, where: isIncluded
        ) { metric, events, updates, _ in
            for index in events.indices { updates[index] = metric.storage.set(value(events[index])) }
        }
    }
}
