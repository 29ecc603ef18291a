/// The handlers of every metric that accepts one event type.
class AnyEventRoute {
    let eventType: String
    let eventTypeID: ObjectIdentifier

    init(eventType: String, eventTypeID: ObjectIdentifier) {
        self.eventType = eventType
        self.eventTypeID = eventTypeID
    }

    /// The registry indices of the metrics on this route, in registration order.
    var metricIndices: [Int] { [] }
}

/// The route for events of type `Event`: built at registration, walked by dispatch.
final class EventRoute<Event: MetricEvent>: AnyEventRoute {
    var handlers: [EventHandler<Event>] = []

    init() {
        super.init(eventType: Event.eventType, eventTypeID: ObjectIdentifier(Event.self))
    }

    override var metricIndices: [Int] { handlers.map(\.metricIndex) }
}

/// One metric's handler for one event type.
struct EventHandler<Event: MetricEvent> {
    /// The metric's index in the registry, for hooks and diagnostics.
    let metricIndex: Int
    let apply: (Event) throws -> MetricUpdate
}
