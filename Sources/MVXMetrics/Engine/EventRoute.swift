import MVXMetricsLocking
import Synchronization

/// The handlers of every metric that accepts one event type, and the lanes
/// producers queue that type's events in.
///
/// Nothing here is generic over the event type except what must be (making a
/// lane, destroying an event), so the processing path never asks the runtime
/// for generic type metadata.
// @safe: its lanes are reached only by their producer thread and the processing thread, in the lane protocol.
@safe
@usableFromInline
class AnyEventRoute: @unchecked Sendable {
    // @unchecked: `handlers` and `retired` are touched only under the
    // registry's lock; `lanes` has its own lock; the rest is immutable or atomic.
    let eventType: String
    let eventTypeID: ObjectIdentifier
    /// Never reused, unlike `slot`.
    @usableFromInline let serial: UInt64
    /// This route's index in every thread's table of lanes.
    @usableFromInline let slot: Int
    /// Owns the handlers; `handlerReferences` is what processing walks.
    private(set) var handlers: [RawHandler] = []
    /// The handlers as unretained references, so calling one costs no
    /// reference counting.
    @exclusivity(unchecked) private(set) var handlerReferences = unsafe UnsafeMutableBufferPointer<
        Unmanaged<RawHandler>
    >(
        start: nil, count: 0)
    @exclusivity(unchecked) private var handlerCapacity = 0
    /// One lane per producer thread that recorded this type.
    let lanes = LockedValue<[AnyLane]>([])
    /// Events of this type refused because the recorder was not accepting.
    @usableFromInline let refused = Atomic<UInt64>(0)
    /// The final counts of lanes retired after their thread exited.
    @exclusivity(unchecked) var retired = LaneCounts()

    private static let serials = Atomic<UInt64>(1)

    init(eventType: String, eventTypeID: ObjectIdentifier) {
        self.eventType = eventType
        self.eventTypeID = eventTypeID
        self.serial = Self.serials.wrappingAdd(1, ordering: .relaxed).oldValue
        self.slot = RouteSlots.shared.take()
    }

    deinit {
        unsafe handlerReferences.deallocate()
        RouteSlots.shared.give(slot)
    }

    /// Whether no metric has two handlers here, so applying a batch metric
    /// by metric cannot reorder one metric's updates.
    private(set) var appliesBatches = true

    /// Adds a metric's handler; called under the registry's lock.
    func add(_ handler: RawHandler) {
        // A metric's handlers are added together, at its registration, so a
        // second handler of one metric follows its first.
        let sameMetric = handlers.last?.metricIndex == handler.metricIndex
        if sameMetric { appliesBatches = false }
        handlers.append(handler)
        if unsafe handlers.count > handlerCapacity {
            // Doubling, so registering n metrics on one event type costs O(n) in all.
            let capacity = unsafe max(4, handlerCapacity * 2)
            let storage = UnsafeMutablePointer<Unmanaged<RawHandler>>.allocate(capacity: capacity)
            if let old = unsafe handlerReferences.baseAddress {
                unsafe storage.moveInitialize(from: old, count: handlerReferences.count)
                unsafe old.deallocate()
            }
            unsafe handlerCapacity = capacity
            unsafe handlerReferences = unsafe UnsafeMutableBufferPointer(start: storage, count: handlerReferences.count)
        }
        let count = unsafe handlerReferences.count
        unsafe (handlerReferences.baseAddress.unsafelyUnwrapped + count).initialize(to: .passUnretained(handler))
        unsafe handlerReferences = unsafe UnsafeMutableBufferPointer(
            start: handlerReferences.baseAddress, count: count + 1)
    }

    /// The registry indices of the metrics on this route, in registration order.
    var metricIndices: [Int] { handlers.map(\.metricIndex) }

    /// Makes a lane for this route's event type.
    @usableFromInline
    func makeLane(allowance: LaneAllowance, ready: ReadyLanes) -> AnyLane {
        fatalError("AnyEventRoute.makeLane is abstract")
    }
}

/// The route for events of type `Event`.
final class EventRoute<Event: MetricEvent>: AnyEventRoute, @unchecked Sendable {
    init() {
        super.init(eventType: Event.eventType, eventTypeID: ObjectIdentifier(Event.self))
    }

    override func makeLane(allowance: LaneAllowance, ready: ReadyLanes) -> AnyLane {
        Lane<Event>(allowance: allowance, route: self, ready: ready)
    }
}

/// One metric's handler for one event type: where the metric lives, and the
/// function that applies events read from the lane's ring.
// @safe: its pointers are its metric box's, which outlives it in the registry.
@safe
final class RawHandler {
    /// The metric's index in the registry, for hooks and diagnostics.
    let metricIndex: Int
    let metric: UnsafeMutableRawPointer
    let apply: RawBatchHandler

    init(metricIndex: Int, binding: RouteBinding) {
        self.metricIndex = metricIndex
        unsafe self.metric = unsafe binding.metric
        unsafe self.apply = unsafe binding.apply
    }

    /// Applies the event at `event`, calling `failed` if the handler threw.
    @inline(__always)
    func apply(_ event: UnsafeRawPointer, failed: (any Error) -> Void) -> MetricUpdate {
        var update = MetricUpdate.unchanged
        unsafe apply(metric, event, 1, &update, failed)
        return update
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
