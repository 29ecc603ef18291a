/// A ready-made metric that keeps the last value of a numeric field of one
/// event type, as a gauge.
///
/// ```swift
/// try recorder.register(
///     LastValueMetric("tcp_stream.send_buffer.level", of: SendBufferSampled.self, value: \.level)
/// )
/// ```
public struct LastValueMetric<Event: MetricEvent, Value: MetricValue>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage: LastValue<Value>
    /// Applies a batch of events; made in `init`, where the types are
    /// concrete, so the loop is specialized even for a metric registered as
    /// `any Metric`.
    @usableFromInline let applyBatch: MetricRoutes<Self>.BatchHandler<Event>

    /// Creates a metric named `name` that keeps the last `value` of `Event`s.
    @inlinable
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "value",
        value: @escaping @Sendable (Event) -> Value
    ) {
        self.name = name
        self.help = help
        self.storage = LastValue(dimension: dimension)
        self.applyBatch = { metric, events, updates, _ in
            for index in events.indices { updates[index] = metric.storage.set(value(events[index])) }
        }
    }

    /// The gauge.
    public var lastValue: LastValue<Value> { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
