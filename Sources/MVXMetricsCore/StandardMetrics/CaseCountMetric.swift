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
public struct CaseCountMetric<Event: MetricEvent, Case: MetricCase>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage: CaseCounts<Case>
    /// Applies a batch of events; made in `init`, where the types are
    /// concrete, so the loop is specialized even for a metric registered as
    /// `any Metric`.
    @usableFromInline let applyBatch: MetricRoutes<Self>.BatchHandler<Event>

    /// Creates a metric named `name` that counts `Event`s by `value`; events for
    /// which `value` returns `nil` do not apply.
    @inlinable
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "total",
        label: String,
        value: @escaping @Sendable (Event) -> Case?
    ) {
        self.name = name
        self.help = help
        self.storage = CaseCounts(dimension: dimension, label: label)
        self.applyBatch = { metric, events, updates, _ in
            for index in events.indices {
                if let found = value(events[index]) { updates[index] = metric.storage.record(found) }
            }
        }
    }

    /// The counters.
    public var counts: CaseCounts<Case> { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
