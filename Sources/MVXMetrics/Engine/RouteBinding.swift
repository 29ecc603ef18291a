/// Applies `count` events stored one after another from `events` to the
/// metric at `metric`, writing what each did to `updates`, and calls `failed`
/// for each event a handler could not apply.
typealias RawBatchHandler = (
    _ metric: UnsafeMutableRawPointer, _ events: UnsafeRawPointer, _ count: Int,
    _ updates: UnsafeMutablePointer<MetricUpdate>, _ failed: (any Error) -> Void
) -> Void

/// One declared route of a metric: its event type and its handler, erased so
/// the registry can install it without knowing the types.
// @unsafe: a handler erased to raw pointers, valid only while its metric box lives.
@unsafe
struct RouteBinding {
    let eventTypeID: ObjectIdentifier
    let eventType: String
    /// Makes the route for the event type, if the recorder has none yet.
    let makeRoute: () -> AnyEventRoute
    /// Where the metric lives (its box's storage).
    let metric: UnsafeMutableRawPointer
    let apply: RawBatchHandler

    /// The routes `box`'s metric declares, bound to the box's storage, and
    /// whether it reads observed state at snapshot time (so it may have none).
    static func bindings<M: Metric>(of box: MetricBox<M>) -> (routes: [RouteBinding], readsAtSnapshot: Bool) {
        var routes = MetricRoutes<M>()
        unsafe box.storage.pointee.routes(&routes)
        var collector = unsafe BindingCollector(storage: box.storage)
        unsafe routes.visit(&collector)
        return unsafe (collector.bindings, routes.readsAtSnapshot)
    }
}

/// Turns each typed route of a metric into a ``RouteBinding``.
// @unsafe: it hands out raw pointers to the metric's storage.
@unsafe
private struct BindingCollector<M: Metric>: MetricRouteVisitor {
    let storage: UnsafeMutablePointer<M>
    var bindings: [RouteBinding] = unsafe []

    mutating func visit<Event: MetricEvent>(
        _ eventType: Event.Type, batch: @escaping MetricRoutes<M>.BatchHandler<Event>
    ) {
        // Generic here, but it only makes the spans: the loop over the events
        // is the metric's own handler, specialized where the metric is declared.
        let apply: RawBatchHandler = { metric, events, count, updates, failed in
            let events = unsafe Span(_unsafeStart: events.assumingMemoryBound(to: Event.self), count: count)
            var updates = unsafe MutableSpan(_unsafeStart: updates, count: count)
            unsafe batch(&metric.assumingMemoryBound(to: M.self).pointee, events, &updates, failed)
        }
        unsafe bindings.append(
            RouteBinding(
                eventTypeID: ObjectIdentifier(Event.self), eventType: Event.eventType,
                makeRoute: { EventRoute<Event>() }, metric: UnsafeMutableRawPointer(storage), apply: apply))
    }
}
