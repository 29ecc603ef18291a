/// A ready-made metric that sums a numeric field of one event type.
///
/// ```swift
/// try recorder.register(
///     SumMetric("document_storage.save.bytes", of: DocumentSaveAttempt.self, value: \.contentSize)
/// )
/// // total (bytes)
/// ```
public struct SumMetric<Event: MetricEvent, Value: MetricValue>: Metric {
    public let name: String
    public let help: String?
    /// The sum.
    public private(set) var sum: Sum<Value>
    private let value: @Sendable (Event) -> Value

    /// Creates a metric named `name` that sums `value` over `Event`s.
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "total",
        value: @escaping @Sendable (Event) -> Value
    ) {
        self.name = name
        self.help = help
        self.sum = Sum(dimension: dimension)
        self.value = value
    }

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self) { metric, event in metric.sum.add(metric.value(event)) }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: sum.dimensions)
    }
}
