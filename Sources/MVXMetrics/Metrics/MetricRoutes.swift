/// The event types a metric accepts, each with the handler that applies it.
///
/// A metric fills this in ``Metric/routes(_:)``:
///
/// ```swift
/// func routes(_ routes: inout MetricRoutes<Self>) {
///     routes.on(TCPStreamReadAttempt.self) { metric, event in
///         metric.reads.record(event.outcome)
///     }
///     routes.on(TCPStreamWriteAttempt.self) { metric, event in
///         metric.writes.record(event.outcome)
///     }
/// }
/// ```
///
/// A handler returns what it did as a ``MetricUpdate``; it returns
/// ``MetricUpdate/unchanged`` for an event that does not apply. A handler that
/// throws is isolated: the recorder counts it in
/// ``RecorderStatistics/handlerFailures`` and goes on with the other metrics.
// @safe: its bindings reach only its own metric box, which its recorder keeps
// alive as long as the routes.
@safe
public struct MetricRoutes<M: Metric> {
    @usableFromInline let box: MetricBox<M>
    @usableFromInline var bindings: [RouteBinding] = unsafe []

    @inlinable
    init(box: MetricBox<M>) {
        self.box = box
    }

    /// Accepts events of type `eventType`, applying each with `handler`.
    ///
    /// Declaring the same event type twice keeps both handlers, in order.
    @inlinable
    public mutating func on<Event: MetricEvent>(
        _ eventType: Event.Type,
        _ handler: @escaping @Sendable (inout M, Event) throws -> MetricUpdate
    ) {
        // Where `M` and `Event` are concrete for the caller (a metric type of
        // its own), this closure is specialized: the processing path reads the
        // event straight from its queue slot and mutates the metric in place.
        unsafe append(Event.self) { metric, event in
            unsafe try handler(
                &metric.assumingMemoryBound(to: M.self).pointee, event.assumingMemoryBound(to: Event.self).pointee)
        }
    }

    /// Accepts events of type `eventType`, applying each with `apply`, which
    /// is given pointers to the metric and to the event.
    ///
    /// The ready-made metrics make `apply` in their initializers, where their
    /// type parameters are concrete, so it is specialized even when the metric
    /// is registered as `any Metric`.
    ///
    /// `batch`, if given, applies a whole ``EventBatch`` and returns how many
    /// values it rejected: the processing thread then calls it once per batch
    /// instead of `apply` once per event.
    @inlinable
    mutating func on<Event: MetricEvent>(
        _ eventType: Event.Type,
        prepared apply: @escaping @Sendable (UnsafeMutableRawPointer, UnsafeRawPointer) -> MetricUpdate,
        batch: (@Sendable (UnsafeMutableRawPointer, EventBatch) -> Int)? = nil
    ) {
        unsafe append(Event.self, apply, batch: batch)
    }

    @inlinable
    mutating func append<Event: MetricEvent>(
        _ eventType: Event.Type,
        _ apply: @escaping (UnsafeMutableRawPointer, UnsafeRawPointer) throws -> MetricUpdate,
        batch: ((UnsafeMutableRawPointer, EventBatch) -> Int)? = nil
    ) {
        unsafe bindings.append(
            RouteBinding(
                eventTypeID: ObjectIdentifier(Event.self),
                eventType: Event.eventType,
                makeRoute: { EventRoute<Event>() },
                metric: unsafe UnsafeMutableRawPointer(box.storage),
                apply: unsafe apply,
                applyBatch: unsafe batch
            ))
    }

    /// The event types declared so far, as their `eventType` strings.
    public var eventTypes: [String] { unsafe bindings.map(unsafe \.eventType) }
}

/// One declared route of a metric: its event type and its handler, erased so
/// the registry can install it without knowing the types.
// @unsafe: a handler erased to raw pointers, valid only while its metric box lives.
@unsafe
@usableFromInline
struct RouteBinding {
    @usableFromInline let eventTypeID: ObjectIdentifier
    @usableFromInline let eventType: String
    /// Makes the route for the event type, if the recorder has none yet.
    @usableFromInline let makeRoute: () -> AnyEventRoute
    /// Where the metric lives (its box's storage).
    @usableFromInline let metric: UnsafeMutableRawPointer
    /// Applies the event at the second pointer to the metric at the first.
    @usableFromInline let apply: (UnsafeMutableRawPointer, UnsafeRawPointer) throws -> MetricUpdate
    /// Applies a batch of events to the metric, if the metric offers it.
    @usableFromInline let applyBatch: ((UnsafeMutableRawPointer, EventBatch) -> Int)?

    @inlinable
    init(
        eventTypeID: ObjectIdentifier, eventType: String, makeRoute: @escaping () -> AnyEventRoute,
        metric: UnsafeMutableRawPointer,
        apply: @escaping (UnsafeMutableRawPointer, UnsafeRawPointer) throws -> MetricUpdate,
        applyBatch: ((UnsafeMutableRawPointer, EventBatch) -> Int)? = nil
    ) {
        unsafe self.eventTypeID = eventTypeID
        unsafe self.eventType = eventType
        unsafe self.makeRoute = makeRoute
        unsafe self.metric = unsafe metric
        unsafe self.apply = unsafe apply
        unsafe self.applyBatch = unsafe applyBatch
    }
}
