/// A ready-made metric that counts events of one type by outcome.
///
/// ```swift
/// try recorder.register(
///     OutcomeMetric("document_storage.save.attempts", of: DocumentSaveAttempt.self, outcome: \.outcome)
/// )
/// // total, success_total, failure_total, too_large_total
/// ```
public typealias OutcomeMetric<Event: MetricEvent, Outcome: MetricCase> = EventMetric<Event, OutcomeCounts<Outcome>>

extension EventMetric {
    /// Creates a metric named `name` that counts `Event`s by `outcome` (those
    /// `isIncluded` accepts, when it is given).
    @inlinable
    public init<Outcome: MetricCase>(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        outcome: @escaping @Sendable (Event) -> Outcome,
        where isIncluded: (@Sendable (Event) -> Bool)? = nil
    ) where Aggregate == OutcomeCounts<Outcome> {
        self.init(name, help: help, storage: OutcomeCounts(), update: { $0.record(outcome($1)) }, where: isIncluded) {
            metric, events, updates, _ in
            metric.storage.record(events, updates: &updates, outcome: outcome)
        }
    }
}
