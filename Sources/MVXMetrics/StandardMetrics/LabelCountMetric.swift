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
// @safe: its raw-pointer closures are called only by its recorder, with its own storage and events of its type.
@safe
public struct LabelCountMetric<Event: MetricEvent>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage: LabelCounts
    /// Applies one event, read from its queue slot; made in `init`, where the
    /// types are concrete, so it is specialized.
    @usableFromInline let apply: @Sendable (UnsafeMutableRawPointer, UnsafeRawPointer) -> MetricUpdate
    /// The same, for a whole batch of queued events at once (see `EventBatch`).
    @usableFromInline let applyBatch: @Sendable (UnsafeMutableRawPointer, EventBatch) -> Int

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
        unsafe self.apply = { metric, event in
            guard let value = unsafe value(event.assumingMemoryBound(to: Event.self).pointee) else { return .unchanged }
            return unsafe metric.assumingMemoryBound(to: Self.self).pointee.storage.increment(value)
        }
        unsafe self.applyBatch = { metric, batch in
            let metric = unsafe metric.assumingMemoryBound(to: Self.self)
            return unsafe batch.apply { event in
                guard let value = unsafe value(event.assumingMemoryBound(to: Event.self).pointee) else {
                    return .unchanged
                }
                return unsafe metric.pointee.storage.increment(value)
            }
        }
    }

    /// The counters.
    public var counts: LabelCounts { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        unsafe routes.on(Event.self, prepared: apply, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
