/// A metric whose state is one building block that events of one type update:
/// the one-line metric.
///
/// The ready-made metrics are this type with a building block of their own
/// (``SumMetric`` is `EventMetric<Event, Sum<Value>>`, and so on). For any
/// other update, give the building block and what an event does to it:
///
/// ```swift
/// try recorder.register(
///     EventMetric(
///         "document_storage.save.success_bytes", of: DocumentSaveAttempt.self,
///         aggregate: Sum<ByteCount>(dimension: "total")
///     ) { sum, event in
///         event.outcome == .success ? sum.add(event.contentSize) : .unchanged
///     }
/// )
/// ```
///
/// For a metric of several building blocks or event types, declare a type of
/// your own that conforms to ``Metric``.
public struct EventMetric<Event: MetricEvent, Aggregate: MetricAggregate>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage: Aggregate
    /// Applies a batch of events; made in `init`, where the types are
    /// concrete, so the loop is specialized even for a metric registered as
    /// `any Metric`.
    @usableFromInline let applyBatch: MetricRoutes<Self>.BatchHandler<Event>

    /// Creates a metric named `name` whose state is `aggregate`, which
    /// `update` changes for each `Event`.
    ///
    /// `update` returns what it did, as the building blocks' methods do:
    /// ``MetricUpdate/unchanged`` for an event that does not apply.
    @inlinable
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        aggregate: Aggregate,
        update: @escaping @Sendable (inout Aggregate, Event) -> MetricUpdate
    ) {
        self.init(name, help: help, storage: aggregate) { metric, events, updates, _ in
            for index in events.indices { updates[index] = update(&metric.storage, events[index]) }
        }
    }

    /// The ready-made metrics' initializer: each writes its loop over a batch
    /// itself, so the building block's update is inlined in it.
    @usableFromInline
    init(
        _ name: String, help: String?, storage: Aggregate, applyBatch: @escaping MetricRoutes<Self>.BatchHandler<Event>
    ) {
        self.name = name
        self.help = help
        self.storage = storage
        self.applyBatch = applyBatch
    }

    /// The building block's state.
    public var aggregate: Aggregate { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
