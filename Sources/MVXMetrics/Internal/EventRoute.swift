import MVXMetricsLocking
import Synchronization

/// The handlers of every metric that accepts one event type, and the lanes
/// producers queue that type's events in.
class AnyEventRoute: @unchecked Sendable {
    // @unchecked: `handlers` (in the subclass) is touched only under the
    // registry's lock; `lanes` has its own lock; the rest is immutable.
    let eventType: String
    let eventTypeID: ObjectIdentifier
    /// Never reused, unlike `slot`.
    let serial: UInt64
    /// This route's index in every thread's table of lanes.
    let slot: Int
    /// One lane per producer thread that recorded this type.
    let lanes = LockedValue<[AnyLane]>([])
    /// Events of this type refused because the recorder was not accepting.
    let refused = Atomic<UInt64>(0)
    /// The final counts of lanes retired after their thread exited; touched
    /// only under the registry's lock.
    var retired = LaneCounts()

    private static let serials = Atomic<UInt64>(1)

    init(eventType: String, eventTypeID: ObjectIdentifier) {
        self.eventType = eventType
        self.eventTypeID = eventTypeID
        self.serial = Self.serials.wrappingAdd(1, ordering: .relaxed).oldValue
        self.slot = RouteSlots.shared.take()
    }

    deinit {
        RouteSlots.shared.give(slot)
    }

    /// The registry indices of the metrics on this route, in registration order.
    var metricIndices: [Int] { [] }

    /// Makes a lane for this route's event type.
    func makeLane(capacity: Int) -> AnyLane {
        fatalError("AnyEventRoute.makeLane is abstract")
    }
}

/// The route for events of type `Event`: built at registration, walked by dispatch.
final class EventRoute<Event: MetricEvent>: AnyEventRoute, @unchecked Sendable {
    var handlers: [EventHandler<Event>] = []

    init() {
        super.init(eventType: Event.eventType, eventTypeID: ObjectIdentifier(Event.self))
    }

    override var metricIndices: [Int] { handlers.map(\.metricIndex) }

    override func makeLane(capacity: Int) -> AnyLane {
        Lane<Event>(capacity: capacity, routeSerial: serial)
    }
}

/// One metric's handler for one event type.
struct EventHandler<Event: MetricEvent> {
    /// The metric's index in the registry, for hooks and diagnostics.
    let metricIndex: Int
    let apply: (Event) throws -> MetricUpdate
}

/// Small integers for routes, reused after a route is gone, so every thread's
/// table of lanes stays as short as the number of live routes.
final class RouteSlots: Sendable {
    static let shared = RouteSlots()

    private struct State {
        var next = 0
        var free: [Int] = []
    }

    private let state = LockedValue(State())

    func take() -> Int {
        state.withLock { state in
            if let slot = state.free.popLast() { return slot }
            defer { state.next += 1 }
            return state.next
        }
    }

    func give(_ slot: Int) {
        state.withLock { $0.free.append(slot) }
    }
}

/// A lane's counters read together.
struct LaneCounts {
    var queued: Int = 0
    var removed: Int = 0
    var droppedNew: UInt64 = 0
    var droppedOldest: UInt64 = 0

    static func += (lhs: inout LaneCounts, rhs: LaneCounts) {
        lhs.queued &+= rhs.queued
        lhs.removed &+= rhs.removed
        lhs.droppedNew &+= rhs.droppedNew
        lhs.droppedOldest &+= rhs.droppedOldest
    }
}
