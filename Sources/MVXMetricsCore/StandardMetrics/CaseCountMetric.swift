/// A ready-made metric that counts events of one type by a case of an
/// enumeration, one labelled series per case.
///
/// ```swift
/// try recorder.register(
///     CaseCountMetric(
///         "tcp_stream.refusals", of: TCPStreamRefused.self,
///         dimension: "refused_total", label: "reason", value: \.reason)
/// )
/// // refused_total{reason="connection_refused"}, refused_total{reason="not_connected"}, …
/// ```
public typealias CaseCountMetric<Event: MetricEvent, Case: MetricCase> = EventMetric<Event, CaseCounts<Case>>

extension EventMetric {
    /// Creates a metric named `name` that counts `Event`s by `value`; events for
    /// which `value` returns `nil`, or that `isIncluded` refuses, do not apply.
    @inlinable
    public init<Case: MetricCase>(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "total",
        label: String,
        value: @escaping @Sendable (Event) -> Case?,
        where isIncluded: (@Sendable (Event) -> Bool)? = nil
    ) where Aggregate == CaseCounts<Case> {
        self.init(
            name, help: help, storage: CaseCounts(dimension: dimension, label: label),
            update: { counts, event in value(event).map { counts.record($0) } ?? .unchanged }, where: isIncluded
        ) { metric, events, updates, _ in
            for index in events.indices {
                if let found = value(events[index]) { updates[index] = metric.storage.record(found) }
            }
        }
    }
}
