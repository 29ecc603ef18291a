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
// @safe: its raw-pointer closures are called only by its recorder, with its own storage and events of its type.
@safe
public struct CaseCountMetric<Event: MetricEvent, Case: MetricCase>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage: CaseCounts<Case>
    /// Applies one event, read from its queue slot; made in `init`, where the
    /// types are concrete, so it is specialized.
    @usableFromInline let apply: @Sendable (UnsafeMutableRawPointer, UnsafeRawPointer) -> MetricUpdate
    /// The same, for a whole batch of queued events at once (see `EventBatch`).
    @usableFromInline let applyBatch: @Sendable (UnsafeMutableRawPointer, EventBatch) -> Int

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
        unsafe self.apply = { metric, event in
            guard let value = unsafe value(event.assumingMemoryBound(to: Event.self).pointee) else { return .unchanged }
            return unsafe metric.assumingMemoryBound(to: Self.self).pointee.storage.record(value)
        }
        unsafe self.applyBatch = { metric, batch in
            let metric = unsafe metric.assumingMemoryBound(to: Self.self)
            return unsafe batch.apply { event in
                guard let value = unsafe value(event.assumingMemoryBound(to: Event.self).pointee) else {
                    return .unchanged
                }
                return unsafe metric.pointee.storage.record(value)
            }
        }
    }

    /// The counters.
    public var counts: CaseCounts<Case> { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        unsafe routes.on(Event.self, prepared: apply, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
