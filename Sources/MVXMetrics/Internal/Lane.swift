import CMVXMetricsShims
import MVXMetricsLocking
import Synchronization

/// One producer thread's bounded queue for one event type of one recorder.
///
/// A single producer writes slots and publishes `tail`; the processing thread
/// reads up to `tail` and publishes `head`. Neither side takes a lock on the
/// common path. `lock` is taken by the processing thread for each batch, by a
/// producer only to evict the oldest event (the drop-oldest policy), and by
/// snapshots that need exact counts.
///
/// Counters only grow: `tail` counts events ever queued, `head` events ever
/// removed (processed or evicted), so `tail - head` is the number pending.
class AnyLane: @unchecked Sendable {
    // @unchecked: producer-only and consumer-only fields are documented below;
    // shared fields are atomics or guarded by `lock`.
    let capacity: Int
    let mask: Int
    /// The serial number of the route the lane belongs to; serials are never
    /// reused, so a stale lane cannot be mistaken for a new route's.
    let routeSerial: UInt64

    // Written by the producer.
    let tail = Atomic<Int>(0)
    let droppedNew = Atomic<UInt64>(0)
    /// Set while the producer is between its state check and its publish; read
    /// by a stopping caller after an asymmetric fence.
    let inPush = Atomic<Bool>(false)
    let producerExited = Atomic<Bool>(false)

    // Written by the processing thread (and by evictions, under `lock`).
    let head = Atomic<Int>(0)
    let droppedOldest = Atomic<UInt64>(0)

    /// Producers waiting for room (the block policy).
    let waiters = Atomic<Int>(0)
    let lock = LockedValue(())

    init(capacity: Int, routeSerial: UInt64) {
        self.capacity = capacity
        self.mask = capacity - 1
        self.routeSerial = routeSerial
    }

    var pending: Int { tail.load(ordering: .acquiring) &- head.load(ordering: .acquiring) }

    /// The lane's counters, read under its lock so they agree with each other.
    var counts: LaneCounts {
        lock.withLock { _ in
            LaneCounts(
                queued: tail.load(ordering: .acquiring), removed: head.load(ordering: .acquiring),
                droppedNew: droppedNew.load(ordering: .relaxed), droppedOldest: droppedOldest.load(ordering: .relaxed))
        }
    }

    /// Delivers every pending event to `route`'s handlers; the caller holds the
    /// registry's lock. Returns the number of events processed.
    func drain(route: AnyEventRoute, registry: MetricRegistry, changes: inout [PendingChange]?) -> Int {
        fatalError("AnyLane.drain is abstract")
    }
}

/// A metric change waiting for the hooks, which run after the registry's lock
/// is released.
struct PendingChange {
    let metricIndex: Int
    let event: any MetricEvent
}

/// The lane for events of type `Event`: a ring of `capacity` slots.
final class Lane<Event: MetricEvent>: AnyLane, @unchecked Sendable {
    let slots: UnsafeMutablePointer<Event>

    // Producer-local: read and written only by the lane's producer thread.
    @exclusivity(unchecked) var producerTail = 0
    @exclusivity(unchecked) var cachedHead = 0

    override init(capacity: Int, routeSerial: UInt64) {
        slots = .allocate(capacity: capacity)
        super.init(capacity: capacity, routeSerial: routeSerial)
    }

    deinit {
        // Whatever is still queued (a recorder dropped while events were pending).
        let removed = head.load(ordering: .acquiring)
        for index in removed..<tail.load(ordering: .acquiring) {
            (slots + (index & mask)).deinitialize(count: 1)
        }
        slots.deallocate()
    }

    /// Whether the ring has room for one more event; refreshes the cached
    /// head only when the cached one says it is full.
    @inline(__always)
    func hasRoom() -> Bool {
        if producerTail &- cachedHead < capacity { return true }
        cachedHead = head.load(ordering: .acquiring)
        return producerTail &- cachedHead < capacity
    }

    /// Writes `event` into the next slot and publishes it. The caller checked
    /// `hasRoom()`.
    @inline(__always)
    func publish(_ event: Event) {
        let position = producerTail
        (slots + (position & mask)).initialize(to: event)
        producerTail = position &+ 1
        tail.store(position &+ 1, ordering: .releasing)
    }

    /// Evicts the oldest pending event to make room (the drop-oldest policy).
    func evictOldest() {
        lock.withLock { _ in
            let oldest = head.load(ordering: .relaxed)
            guard producerTail &- oldest >= capacity else { return }
            (slots + (oldest & mask)).deinitialize(count: 1)
            droppedOldest.add(1, ordering: .relaxed)
            head.store(oldest &+ 1, ordering: .releasing)
        }
        cachedHead = head.load(ordering: .acquiring)
    }

    override func drain(route: AnyEventRoute, registry: MetricRegistry, changes: inout [PendingChange]?) -> Int {
        let route = unsafeDowncast(route, to: EventRoute<Event>.self)
        return lock.withLock { _ in
            let first = head.load(ordering: .relaxed)
            let end = tail.load(ordering: .acquiring)
            guard end != first else { return 0 }
            for position in first..<end {
                let slot = slots + (position & mask)
                if changes == nil {
                    registry.process(slot.pointee, route: route) { _ in }
                } else {
                    registry.process(slot.pointee, route: route) { index in
                        changes?.append(PendingChange(metricIndex: index, event: slot.pointee))
                    }
                }
                slot.deinitialize(count: 1)
            }
            head.store(end, ordering: .sequentiallyConsistent)
            return end &- first
        }
    }
}
