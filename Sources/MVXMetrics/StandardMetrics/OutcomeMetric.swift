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
    /// The counters.
    public private(set) var counts = OutcomeCounts<Outcome>()
    private let outcome: @Sendable (Event) -> Outcome

    /// Creates a metric named `name` that counts `Event`s by `outcome`.
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        outcome: @escaping @Sendable (Event) -> Outcome
    ) {
        self.name = name
        self.help = help
        self.outcome = outcome
    }

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self) { metric, event in metric.counts.record(metric.outcome(event)) }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: counts.dimensions)
    }
}
