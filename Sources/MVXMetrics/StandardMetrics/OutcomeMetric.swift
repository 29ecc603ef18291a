/// A ready-made metric that counts events of one type by outcome.
///
/// ```swift
/// try recorder.register(
///     OutcomeMetric("document_storage.save.attempts", of: DocumentSaveAttempt.self, outcome: \.outcome)
/// )
/// // total, success_total, failure_total, too_large_total
/// ```
// @safe: its raw-pointer closures are called only by its recorder, with its own storage and events of its type.
@safe
public struct OutcomeMetric<Event: MetricEvent, Outcome: MetricCase>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage = OutcomeCounts<Outcome>()
    /// Applies one event, read from its queue slot; made in `init`, where the
    /// types are concrete, so it is specialized.
    @usableFromInline let apply: @Sendable (UnsafeMutableRawPointer, UnsafeRawPointer) -> MetricUpdate
    /// The same, for a whole batch of queued events at once (see `EventBatch`).
    @usableFromInline let applyBatch: @Sendable (UnsafeMutableRawPointer, EventBatch) -> Int

    /// Creates a metric named `name` that counts `Event`s by `outcome`.
    @inlinable
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        outcome: @escaping @Sendable (Event) -> Outcome
    ) {
        self.name = name
        self.help = help
        unsafe self.apply = { metric, event in
            unsafe metric.assumingMemoryBound(to: Self.self).pointee.storage.record(
                outcome(event.assumingMemoryBound(to: Event.self).pointee))
        }
        unsafe self.applyBatch = { metric, batch in
            let metric = unsafe metric.assumingMemoryBound(to: Self.self)
            return unsafe batch.apply { event in
                unsafe metric.pointee.storage.record(
                    outcome(event.assumingMemoryBound(to: Event.self).pointee))
            }
        }
    }

    /// The counters.
    public var counts: OutcomeCounts<Outcome> { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        unsafe routes.on(Event.self, prepared: apply, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
