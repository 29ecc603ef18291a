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
///
/// A recorder applies queued events a batch at a time. Either kind of handler
/// is written once, in the metric's own module where its types are concrete,
/// so the loop over a batch is specialized for the metric and the event type.
public struct MetricRoutes<M: Metric>: Sendable {
    /// Applies `events`, in order, to `metric`, setting `updates[i]` to what
    /// `events[i]` did, and calls `failed` for each event it could not apply.
    ///
    /// `updates` starts as ``MetricUpdate/unchanged`` for every event and has
    /// as many elements as `events`.
    public typealias BatchHandler<Event: MetricEvent> =
        @Sendable (
            _ metric: inout M, _ events: Span<Event>, _ updates: inout MutableSpan<MetricUpdate>,
            _ failed: (any Error) -> Void
        ) -> Void

    private var declared: [any DeclaredRoute<M>] = []

    /// Whether the metric reads state it observes when a snapshot is taken
    /// (``observesAtSnapshot()``).
    package private(set) var readsAtSnapshot = false

    /// Routes for a metric of type `M`; a recorder makes them at registration.
    package init() {}

    /// Accepts events of type `eventType`, applying each with `handler`.
    ///
    /// Declaring the same event type twice keeps both handlers, in order.
    @inlinable
    public mutating func on<Event: MetricEvent>(
        _ eventType: Event.Type,
        _ handler: @escaping @Sendable (inout M, Event) throws -> MetricUpdate
    ) {
        on(eventType) { metric, events, updates, failed in
            for index in events.indices {
                do {
                    updates[index] = try handler(&metric, events[index])
                } catch {
                    failed(error)
                }
            }
        }
    }

    /// Accepts events of type `eventType` a batch at a time: the recorder
    /// calls `handler` once for every run of queued events of that type.
    ///
    /// The ready-made metrics use this form. A metric whose work per event is
    /// small gains most from it: one call per batch instead of one per event.
    public mutating func on<Event: MetricEvent>(_ eventType: Event.Type, batch handler: @escaping BatchHandler<Event>) {
        declared.append(EventTypeRoute<M, Event>(batch: handler))
    }

    /// Declares that the metric's snapshot reads state it observes (a queue's
    /// depth, a pool's size, a cache's entries) rather than only state events
    /// changed, so it may accept no event type at all; ``ObservedMetric`` is
    /// one. Without this, a metric that accepts no events is refused
    /// (``MetricsError/Code/metricAcceptsNoEvents``).
    ///
    /// Its ``Metric/snapshot()`` then runs whenever the recorder takes a
    /// snapshot, on the thread that takes it (for a queued recorder, possibly
    /// the runtime's processing thread), with the recorder's lock held: keep
    /// it short, and never record into, register in or snapshot the recorder
    /// from it.
    public mutating func observesAtSnapshot() {
        readsAtSnapshot = true
    }

    /// The event types declared so far, as their `eventType` strings.
    public var eventTypes: [String] { declared.map(\.eventType) }

    /// Calls `visitor` with every declared route, in declaration order.
    package func visit<Visitor: MetricRouteVisitor<M>>(_ visitor: inout Visitor) {
        for route in declared { route.accept(&visitor) }
    }
}

/// What a recorder does with each route of a metric it registers.
package protocol MetricRouteVisitor<Metric> {
    associatedtype Metric: MVXMetricsCore.Metric

    /// Installs `batch` for events of type `eventType`; a recorder applies a
    /// single event as a batch of one.
    mutating func visit<Event: MetricEvent>(
        _ eventType: Event.Type, batch: @escaping MetricRoutes<Metric>.BatchHandler<Event>)
}

/// One declared route, with its event type erased.
private protocol DeclaredRoute<Metric>: Sendable {
    associatedtype Metric: MVXMetricsCore.Metric
    var eventType: String { get }
    func accept<Visitor: MetricRouteVisitor<Metric>>(_ visitor: inout Visitor)
}

/// The route of one event type.
private struct EventTypeRoute<Metric: MVXMetricsCore.Metric, Event: MetricEvent>: DeclaredRoute {
    let batch: MetricRoutes<Metric>.BatchHandler<Event>

    var eventType: String { Event.eventType }

    func accept<Visitor: MetricRouteVisitor<Metric>>(_ visitor: inout Visitor) {
        visitor.visit(Event.self, batch: batch)
    }
}
