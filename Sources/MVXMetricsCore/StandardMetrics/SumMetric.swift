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
    @usableFromInline var storage: Sum<Value>
    /// Applies a batch of events; made in `init`, where the types are
    /// concrete, so the loop is specialized even for a metric registered as
    /// `any Metric`.
    @usableFromInline let applyBatch: MetricRoutes<Self>.BatchHandler<Event>

    /// Creates a metric named `name` that sums `value` over `Event`s.
    @inlinable
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "total",
        value: @escaping @Sendable (Event) -> Value
    ) {
        self.name = name
        self.help = help
        self.storage = Sum(dimension: dimension)
        self.applyBatch = { metric, events, updates, _ in
            for index in events.indices { updates[index] = metric.storage.add(value(events[index])) }
        }
    }

    /// The sum.
    public var sum: Sum<Value> { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
