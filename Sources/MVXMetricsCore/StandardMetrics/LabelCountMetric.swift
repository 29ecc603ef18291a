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
    @usableFromInline var storage: LabelCounts
    /// Applies a batch of events; made in `init`, where the types are
    /// concrete, so the loop is specialized even for a metric registered as
    /// `any Metric`.
    @usableFromInline let applyBatch: MetricRoutes<Self>.BatchHandler<Event>

    /// Creates a metric named `name` that counts `Event`s by `value`; events for
    /// which `value` returns `nil` do not apply.
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
        value: @escaping @Sendable (Event) -> String?
    ) throws(MetricsError) {
        self.name = name
        self.help = help
        self.storage = try LabelCounts(dimension: dimension, label: label, cap: cap)
        self.applyBatch = { metric, events, updates, _ in
            for index in events.indices {
                if let found = value(events[index]) { updates[index] = metric.storage.increment(found) }
            }
        }
    }

    /// The counters.
    public var counts: LabelCounts { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
