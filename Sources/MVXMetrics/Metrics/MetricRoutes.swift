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
public struct MetricRoutes<M: Metric> {
    var bindings: [any RouteBinding<M>] = []

    init() {}

    /// Accepts events of type `eventType`, applying each with `handler`.
    ///
    /// Declaring the same event type twice keeps both handlers, in order.
    public mutating func on<Event: MetricEvent>(
        _ eventType: Event.Type,
        _ handler: @escaping @Sendable (inout M, Event) throws -> MetricUpdate
    ) {
        bindings.append(TypedRouteBinding<M, Event>(handler: handler))
    }

    /// The event types declared so far, as their `eventType` strings.
    public var eventTypes: [String] { bindings.map { $0.eventType } }
}

/// One declared route of a metric, still generic over its event type, so the
/// registry can install it in the route for that type.
protocol RouteBinding<M>: Sendable {
    associatedtype M: Metric
    var eventTypeID: ObjectIdentifier { get }
    var eventType: String { get }
    func install(in table: inout RouteTable, box: MetricBox<M>, metricIndex: Int)
}

struct TypedRouteBinding<M: Metric, Event: MetricEvent>: RouteBinding {
    let handler: @Sendable (inout M, Event) throws -> MetricUpdate

    var eventTypeID: ObjectIdentifier { ObjectIdentifier(Event.self) }
    var eventType: String { Event.eventType }

    func install(in table: inout RouteTable, box: MetricBox<M>, metricIndex: Int) {
        let route = table.route(for: Event.self)
        let handler = self.handler
        route.handlers.append(
            EventHandler(metricIndex: metricIndex) { event in
                try handler(&box.metric, event)
            }
        )
    }
}
