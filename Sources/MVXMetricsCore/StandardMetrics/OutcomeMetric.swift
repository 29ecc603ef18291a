/// A ready-made metric that counts events of one type by outcome.
///
/// ```swift
/// try recorder.register(
///     OutcomeMetric("document_storage.save.attempts", of: DocumentSaveAttempt.self, outcome: \.outcome)
/// )
/// // total, success_total, failure_total, too_large_total
/// ```
public struct OutcomeMetric<Event: MetricEvent, Outcome: MetricCase>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage = OutcomeCounts<Outcome>()
    /// Applies a batch of events; made in `init`, where the types are
    /// concrete, so the loop is specialized even for a metric registered as
    /// `any Metric`.
    @usableFromInline let applyBatch: MetricRoutes<Self>.BatchHandler<Event>

    /// Creates a metric named `name` that counts `Event`s by `outcome`.
    @inlinable
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        outcome: @escaping @Sendable (Event) -> Outcome
    ) {
        self.name = name
        self.help = help
        self.applyBatch = { metric, events, updates, _ in
            for index in events.indices { updates[index] = metric.storage.record(outcome(events[index])) }
        }
    }

    /// The counters.
    public var counts: OutcomeCounts<Outcome> { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
