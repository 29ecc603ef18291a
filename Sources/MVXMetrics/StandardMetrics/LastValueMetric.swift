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
    /// The gauge.
    public private(set) var lastValue: LastValue<Value>
    private let value: @Sendable (Event) -> Value

    /// Creates a metric named `name` that keeps the last `value` of `Event`s.
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "value",
        value: @escaping @Sendable (Event) -> Value
    ) {
        self.name = name
        self.help = help
        self.lastValue = LastValue(dimension: dimension)
        self.value = value
    }

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self) { metric, event in metric.lastValue.set(metric.value(event)) }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: lastValue.dimensions)
    }
}
