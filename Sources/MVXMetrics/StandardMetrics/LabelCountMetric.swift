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
public struct LabelCountMetric<Event: MetricEvent>: Metric {
    public let name: String
    public let help: String?
    /// The counters.
    public private(set) var counts: LabelCounts
    private let value: @Sendable (Event) -> String?

    /// Creates a metric named `name` that counts `Event`s by `value`; events for
    /// which `value` returns `nil` do not apply.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` for an invalid cap.
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "total",
        label: String,
        cap: Int = 100,
        value: @escaping @Sendable (Event) -> String?
    ) throws(MetricsError) {
        self.name = name
        self.help = help
        self.counts = try LabelCounts(dimension: dimension, label: label, cap: cap)
        self.value = value
    }

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self) { metric, event in
            guard let value = metric.value(event) else { return .unchanged }
            return metric.counts.increment(value)
        }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: counts.dimensions)
    }
}
