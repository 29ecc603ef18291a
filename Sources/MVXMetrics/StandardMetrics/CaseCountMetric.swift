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
    /// The counters.
    public private(set) var counts: CaseCounts<Case>
    private let value: @Sendable (Event) -> Case?

    /// Creates a metric named `name` that counts `Event`s by `value`; events for
    /// which `value` returns `nil` do not apply.
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
        self.counts = CaseCounts(dimension: dimension, label: label)
        self.value = value
    }

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self) { metric, event in
            guard let value = metric.value(event) else { return .unchanged }
            return metric.counts.record(value)
        }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: counts.dimensions)
    }
}
