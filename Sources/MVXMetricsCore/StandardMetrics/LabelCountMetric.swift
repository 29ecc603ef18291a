/// A ready-made metric that counts events of one type by a free-form string,
/// with a cardinality cap (see ``LabelCounts``).
///
/// ```swift
/// try recorder.register(
///     LabelCountMetric(
///         "http.requests", of: RequestHandled.self, label: "route", cap: 200, value: \.route)
/// )
/// // total{route="/users"}, …, total{route="_overflow"}
/// ```
public typealias LabelCountMetric<Event: MetricEvent> = EventMetric<Event, LabelCounts>

extension EventMetric {
    /// Creates a metric named `name` that counts `Event`s by `value`; events for
    /// which `value` returns `nil`, or that `isIncluded` refuses, do not apply.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` for an invalid cap.
    @inlinable
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "total",
        label: String,
        cap: Int = 100,
        value: @escaping @Sendable (Event) -> String?,
        where isIncluded: (@Sendable (Event) -> Bool)? = nil
    ) throws(MetricsError) where Aggregate == LabelCounts {
        self.init(
            name, help: help, storage: try LabelCounts(dimension: dimension, label: label, cap: cap),
            update: { counts, event in value(event).map { counts.increment($0) } ?? .unchanged }, where: isIncluded
        ) { metric, events, updates, _ in
            for index in events.indices {
                if let found = value(events[index]) { updates[index] = metric.storage.increment(found) }
            }
        }
    }
}
