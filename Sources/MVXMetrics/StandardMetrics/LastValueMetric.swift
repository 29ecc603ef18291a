/// A ready-made metric that keeps the last value of a numeric field of one
/// event type, as a gauge.
///
/// ```swift
/// try recorder.register(
///     LastValueMetric("tcp_stream.send_buffer.level", of: SendBufferSampled.self, value: \.level)
/// )
/// ```
// @safe: its raw-pointer closures are called only by its recorder, with its own storage and events of its type.
@safe
public struct LastValueMetric<Event: MetricEvent, Value: MetricValue>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage: LastValue<Value>
    /// Applies one event, read from its queue slot; made in `init`, where the
    /// types are concrete, so it is specialized.
    @usableFromInline let apply: @Sendable (UnsafeMutableRawPointer, UnsafeRawPointer) -> MetricUpdate
    /// The same, for a whole batch of queued events at once (see `EventBatch`).
    @usableFromInline let applyBatch: @Sendable (UnsafeMutableRawPointer, EventBatch) -> Int

    /// Creates a metric named `name` that keeps the last `value` of `Event`s.
    @inlinable
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        dimension: String = "value",
        value: @escaping @Sendable (Event) -> Value
    ) {
        self.name = name
        self.help = help
        self.storage = LastValue(dimension: dimension)
        unsafe self.apply = { metric, event in
            unsafe metric.assumingMemoryBound(to: Self.self).pointee.storage.set(
                value(event.assumingMemoryBound(to: Event.self).pointee))
        }
        unsafe self.applyBatch = { metric, batch in
            let metric = unsafe metric.assumingMemoryBound(to: Self.self)
            return unsafe batch.apply { event in
                unsafe metric.pointee.storage.set(
                    value(event.assumingMemoryBound(to: Event.self).pointee))
            }
        }
    }

    /// The gauge.
    public var lastValue: LastValue<Value> { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        unsafe routes.on(Event.self, prepared: apply, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
