import CMVXMetricsShims
import MVXMetricsLocking
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One producer thread's bounded queue for one event type of one recorder.
///
/// A single producer writes slots and publishes `tail`; the processing thread
/// reads up to `tail` and publishes `head`. Neither side takes a lock on the
/// common path. `lock` is taken by the processing thread for each batch, by a
/// producer to resize its ring or to evict the oldest event (the drop-oldest
/// policy), and by snapshots that need exact counts.
///
/// Counters only grow: `tail` counts events ever queued, `head` events ever
/// removed (processed or evicted), so `tail - head` is the number pending.
///
/// The ring starts small and doubles when it is full, while the thread's
/// ``LaneAllowance`` has room; it shrinks back when the producer finds the
/// lane idle. Only the producer resizes it, under `lock`, moving the pending
/// events, so the processing thread, which reads the ring under `lock`, never
/// sees it change mid-batch.
///
/// Slots are raw memory of the event type's stride: only writing, moving and
/// destroying an event needs its type, so the producer's path and the
/// processing loop run without generic type metadata.
// @safe: it owns its ring; one producer writes it and the processing thread reads it, in the lane protocol.
@safe
@usableFromInline
class AnyLane: @unchecked Sendable {
    // @unchecked: producer-only fields are touched by the lane's one producer
    // thread, `head` and `droppedOldest` by the processing thread or under
    // `lock`; the ring's fields are written by the producer under `lock` and
    // read by the processing thread under it; shared fields are atomics.
    @usableFromInline let stride: Int
    let alignment: Int
    /// The ring, and its slot count minus one.
    @usableFromInline @exclusivity(unchecked) final var slots: UnsafeMutableRawPointer
    @usableFromInline @exclusivity(unchecked) final var mask: Int
    /// The slots the lane and its thread's other lanes of the recorder share.
    let allowance: LaneAllowance
    /// Whether events need no destruction (no references inside).
    let isTrivial: Bool
    /// The serial number of the route the lane belongs to; serials are never
    /// reused, so a stale lane cannot be mistaken for a new route's.
    @usableFromInline let routeSerial: UInt64
    /// The route the lane belongs to, read only by the processing thread,
    /// which reaches a lane only through its live recorder.
    unowned(unsafe) let route: AnyEventRoute
    /// Where the lane goes when a producer schedules it.
    let ready: ReadyLanes
    /// Whether the lane is in its recorder's active list or in `ready`:
    /// set by the producer that finds it clear after a publish, cleared by
    /// the processing thread when the lane stayed idle (see ``ReadyLanes``).
    @usableFromInline let scheduled = Atomic<Bool>(false)

    // Written by the producer.
    @usableFromInline let tail = Atomic<Int>(0)
    @usableFromInline let droppedNew = Atomic<UInt64>(0)
    /// Set while the producer is between its state check and its publish; read
    /// by a stopping caller after an asymmetric fence.
    @usableFromInline let inPush = Atomic<Bool>(false)
    let producerExited = Atomic<Bool>(false)
    // Producer-local: read and written only by the lane's producer thread.
    @usableFromInline @exclusivity(unchecked) final var producerTail = 0
    @usableFromInline @exclusivity(unchecked) final var cachedHead = 0

    // Written by the processing thread (and by evictions, under `lock`),
    // after the producer's fields, so its writes of every pass stay off the
    // cache line of `tail` as far as the layout allows.
    @usableFromInline let head = Atomic<Int>(0)
    let droppedOldest = Atomic<UInt64>(0)
    /// Whether a pass drained events since the last sweep; processing thread only.
    final var drainedSinceSweep = true

    /// Producers waiting for room (the block policy).
    @usableFromInline let waiters = Atomic<Int>(0)
    let lock = LockedValue(())

    init(
        allowance: LaneAllowance, route: AnyEventRoute, ready: ReadyLanes, stride: Int, alignment: Int,
        isTrivial: Bool
    ) {
        let size = LaneAllowance.initialSlots(limit: allowance.limit, stride: stride)
        allowance.take(size)
        self.allowance = allowance
        unsafe self.mask = size - 1
        self.stride = stride
        self.alignment = alignment
        unsafe self.slots = Self.allocateRing(byteCount: size * stride, alignment: alignment)
        self.isTrivial = isTrivial
        self.routeSerial = route.serial
        unsafe self.route = route
        self.ready = ready
    }

    deinit {
        unsafe Self.freeRing(slots, alignment: alignment)
        unsafe allowance.release(mask &+ 1)
    }

    /// Whether rings of `alignment` come from `malloc`, so a trivial lane can
    /// grow its ring with `realloc`: any alignment `malloc` guarantees.
    private static func usesMalloc(alignment: Int) -> Bool { alignment <= 16 }

    private static func allocateRing(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        guard usesMalloc(alignment: alignment) else {
            return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: alignment)
        }
        guard let memory = unsafe malloc(max(byteCount, 1)) else { fatalError("out of memory for a lane's ring") }
        return unsafe memory
    }

    private static func freeRing(_ ring: UnsafeMutableRawPointer, alignment: Int) {
        if usesMalloc(alignment: alignment) { unsafe free(ring) } else { unsafe ring.deallocate() }
    }

    /// The slots the ring has now.
    var ringSize: Int { lock.withLock { _ in unsafe mask &+ 1 } }

    var pending: Int { tail.load(ordering: .acquiring) &- head.load(ordering: .acquiring) }

    /// The lane's counters, read under its lock so they agree with each other.
    var counts: LaneCounts {
        lock.withLock { _ in
            LaneCounts(
                queued: tail.load(ordering: .acquiring), removed: head.load(ordering: .acquiring),
                droppedNew: droppedNew.load(ordering: .relaxed), droppedOldest: droppedOldest.load(ordering: .relaxed))
        }
    }

    // The producer's methods are `final`: a class method that may be
    // overridden is called through the vtable, so it could not be inlined
    // into `record`, and a generic one would run unspecialized.

    /// Whether the ring has room for one more event; refreshes the cached
    /// head, and then grows the ring, only when the cached head says it is full.
    @inlinable @inline(__always)
    final func hasRoom() -> Bool {
        if unsafe producerTail &- cachedHead <= mask { return true }
        return refreshRoom()
    }

    /// Whether the ring has room once `head` is read again or the ring has grown.
    @usableFromInline @inline(never)
    final func refreshRoom() -> Bool {
        unsafe cachedHead = head.load(ordering: .acquiring)
        if unsafe producerTail &- cachedHead <= mask { return true }
        return grow()
    }

    /// Doubles the full ring if it may grow and the thread's allowance has
    /// room for it.
    private final func grow() -> Bool {
        let size = unsafe mask &+ 1
        // The ring never outgrows the recorder's capacity, the allowance's limit.
        guard size < allowance.limit, allowance.reserve(size) else { return false }
        if resize(to: size &* 2) { return true }
        allowance.release(size)
        return false
    }

    /// Gives a grown ring back, when the producer finds the lane idle and
    /// the pending events fit the initial ring.
    final func shrinkIfIdle() {
        let size = LaneAllowance.initialSlots(limit: allowance.limit, stride: stride)
        guard unsafe mask &+ 1 > size, unsafe producerTail &- head.load(ordering: .acquiring) <= size / 2 else {
            return
        }
        let released = unsafe mask &+ 1 &- size
        if resize(to: size, ifPendingFit: true) { allowance.release(released) }
    }

    /// Runs `body` under `lock` for the lane's producer; returns nil, running
    /// nothing, if the producer is a processing thread and the lock is taken.
    ///
    /// That thread may be the one holding it, draining this very lane: a
    /// metric's handler that records an event of its own type into its own
    /// recorder writes to the processing thread's lane of that route, the
    /// lane being drained. Or another runtime's processing thread holds it,
    /// and its handlers may be waiting on a lane this one holds. A processing
    /// thread never waits for a lane's lock; the caller drops the event
    /// instead (see ``QueuedMetricsRecorder/OverflowPolicy``).
    private final func withProducerLock<Result>(_ body: () -> Result) -> Result? {
        if unsafe mvx_processing_loop() != nil { return lock.withLockIfAvailable { _ in body() } }
        return lock.withLock { _ in body() }
    }

    /// Moves the pending events into a new ring of `size` slots, under `lock`
    /// so the processing thread sees either ring whole. Producer only; returns
    /// false, changing nothing, if `ifPendingFit` and they do not fit, or if
    /// the lock is not available to a processing thread (``withProducerLock(_:)``).
    private final func resize(to size: Int, ifPendingFit: Bool = false) -> Bool {
        withProducerLock {
            let first = head.load(ordering: .relaxed)
            let end = unsafe producerTail
            if ifPendingFit, end &- first > size { return false }
            let old = unsafe slots
            let oldMask = unsafe mask
            let newMask = size &- 1
            let new: UnsafeMutableRawPointer
            if isTrivial, size > oldMask &+ 1, Self.usesMalloc(alignment: alignment) {
                // Growing in place: `realloc` keeps slots 0..<old size (and
                // often their pages, unmoved); an event stays at its index or
                // moves up by the old size, into the new half.
                guard let grown = unsafe realloc(old, size &* stride) else {
                    fatalError("out of memory for a lane's ring")
                }
                unsafe new = grown
                forEachRun(first..<end, oldMask: oldMask, newMask: newMask) { from, to, run in
                    guard from != to else { return }
                    unsafe (new + to &* stride).copyMemory(from: new + from &* stride, byteCount: run &* stride)
                }
            } else {
                unsafe new = Self.allocateRing(byteCount: size &* stride, alignment: alignment)
                forEachRun(first..<end, oldMask: oldMask, newMask: newMask) { from, to, run in
                    unsafe move(run, from: old + from &* stride, to: new + to &* stride)
                }
                unsafe Self.freeRing(old, alignment: alignment)
            }
            unsafe slots = new
            unsafe mask = newMask
            unsafe cachedHead = first
            return true
        } ?? false
    }

    /// Calls `body` with the old and new ring indices of each run of
    /// `positions` contiguous in both rings, and the run's length.
    private func forEachRun(
        _ positions: Range<Int>, oldMask: Int, newMask: Int, _ body: (_ from: Int, _ to: Int, _ run: Int) -> Void
    ) {
        var position = positions.lowerBound
        while position != positions.upperBound {
            let from = position & oldMask
            let to = position & newMask
            let run = min(positions.upperBound &- position, oldMask &+ 1 &- from, newMask &+ 1 &- to)
            body(from, to, run)
            position &+= run
        }
    }

    /// Frees the ring of a lane no producer writes again (its recorder was
    /// removed and stopped, so `record` refuses before it reaches the ring),
    /// keeping one slot so the lane stays whole until its thread lets it go.
    /// Does nothing while events are pending.
    final func releaseRing() {
        lock.withLock { _ in
            let size = unsafe mask &+ 1
            guard size > 1, head.load(ordering: .relaxed) == tail.load(ordering: .acquiring) else { return }
            let old = unsafe slots
            unsafe slots = Self.allocateRing(byteCount: stride, alignment: alignment)
            unsafe mask = 0
            unsafe Self.freeRing(old, alignment: alignment)
            allowance.release(size &- 1)
        }
    }

    /// Moves `count` events from `source` to uninitialized `destination`.
    func move(_ count: Int, from source: UnsafeMutableRawPointer, to destination: UnsafeMutableRawPointer) {
        fatalError("AnyLane.move is abstract")
    }

    /// Writes `event` into the next slot and publishes it. The caller checked
    /// `hasRoom()` and knows `Event` is the lane's type.
    @inlinable @inline(__always)
    final func publish<Event: MetricEvent>(_ event: Event) {
        unsafe nextSlot.initializeMemory(as: Event.self, to: event)
        publishNextSlot()
    }

    /// The slot the next event goes to; the caller checked `hasRoom()`.
    @inlinable @inline(__always)
    final var nextSlot: UnsafeMutableRawPointer {
        unsafe slots + (producerTail & mask) &* stride
    }

    /// Publishes the event the producer wrote into `nextSlot`.
    @inlinable @inline(__always)
    final func publishNextSlot() {
        let position = unsafe producerTail &+ 1
        unsafe producerTail = position
        tail.store(position, ordering: .releasing)
    }

    /// Schedules the lane after a publish, unless it is scheduled already
    /// (the common case: one relaxed load). The caller issued the light half
    /// of an ``AsymmetricFence`` after publishing, pairing with the sweep's
    /// heavy half: either the sweep sees the event, or this sees the flag
    /// cleared.
    @inlinable @inline(__always)
    final func scheduleIfIdle() {
        if !scheduled.load(ordering: .relaxed) { scheduleAfterIdle() }
    }

    /// Gives back a ring grown under an earlier load, then schedules the lane.
    @usableFromInline @inline(never)
    final func scheduleAfterIdle() {
        shrinkIfIdle()
        schedule()
    }

    /// Pushes the lane to `ready` if this call is the one that sets `scheduled`.
    ///
    /// The full fence after the push orders it before the caller's read of
    /// the processing thread's `sleeping` flag (the light fence came before
    /// the push, so it does not): a thread going to sleep either sees the
    /// lane in `ready` or is woken. Rare, so the fence costs nothing per event.
    @usableFromInline @inline(never)
    final func schedule() {
        guard scheduled.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
        else { return }
        ready.push(self)
        atomicMemoryFence(ordering: .sequentiallyConsistent)
    }

    /// Evicts the oldest pending event to make room (the drop-oldest policy);
    /// returns false, evicting nothing, if the lock is not available to a
    /// processing thread (``withProducerLock(_:)``): the new event is dropped then.
    @usableFromInline
    final func evictOldest() -> Bool {
        let evicted: Bool? = withProducerLock {
            let oldest = head.load(ordering: .relaxed)
            guard unsafe producerTail &- oldest > mask else { return true }
            if !isTrivial { unsafe destroy(at: slots + (oldest & mask) &* stride) }
            droppedOldest.add(1, ordering: .relaxed)
            head.store(oldest &+ 1, ordering: .releasing)
            return true
        }
        unsafe cachedHead = head.load(ordering: .acquiring)
        return evicted ?? false
    }

    /// How many events the quiet path processes before it hands their slots
    /// back to the producer: a producer waiting for room (the block policy)
    /// refills the lane while the rest of a large batch is processed, instead
    /// of waiting for all of it; and a chunk's events stay in the cache.
    static let chunk = 1024

    /// Delivers every pending event to `route`'s handlers; the caller holds the
    /// registry's lock. Returns the number of events processed. `madeRoom` is
    /// called when a chunk of a large batch is done and a producer waits for
    /// room; the caller signals it again when the whole batch is done.
    final func drain(
        route: AnyEventRoute, registry: MetricRegistry, changes: inout [PendingChange]?, madeRoom: () -> Void
    ) -> Int {
        lock.withLock { _ in
            let first = head.load(ordering: .relaxed)
            let end = tail.load(ordering: .acquiring)
            guard end != first else { return 0 }
            if changes == nil {
                // The common case: no hooks to tell.
                var start = first
                while start != end {
                    let stop = end &- start > Self.chunk ? start &+ Self.chunk : end
                    unsafe registry.processQuietly(
                        EventBatch(
                            slots: slots, mask: mask, stride: stride, positions: start..<stop,
                            updates: registry.batchUpdates, combined: registry.batchCombined),
                        route: route)
                    if !isTrivial { destroy(start..<stop) }
                    if stop != end {
                        // Pairs with a blocked producer's increment of `waiters`, as below.
                        head.store(stop, ordering: .sequentiallyConsistent)
                        if waiters.load(ordering: .sequentiallyConsistent) > 0 { madeRoom() }
                    }
                    start = stop
                }
            } else {
                // Hooks hear of each change in the order of the events.
                for position in first..<end {
                    let slot = unsafe slots + (position & mask) &* stride
                    unsafe registry.process(UnsafeRawPointer(slot), route: route) { index in
                        unsafe changes?.append(PendingChange(metricIndex: index, event: event(at: slot)))
                    }
                    if !isTrivial { unsafe destroy(at: slot) }
                }
            }
            // Sequentially consistent, pairing with a blocked producer's
            // increment of `waiters`: one of them sees the other.
            head.store(end, ordering: .sequentiallyConsistent)
            return end &- first
        }
    }

    /// Destroys the events at `positions`.
    func destroy(_ positions: Range<Int>) {
        for position in positions { unsafe destroy(at: slots + (position & mask) &* stride) }
    }

    /// Destroys the event at `slot`.
    func destroy(at slot: UnsafeMutableRawPointer) {
        fatalError("AnyLane.destroy is abstract")
    }

    /// A copy of the event at `slot`, boxed for hooks.
    func event(at slot: UnsafeMutableRawPointer) -> any MetricEvent {
        fatalError("AnyLane.event is abstract")
    }

    /// Destroys whatever is still queued (a recorder dropped while events were pending).
    func destroyPending() {
        guard !isTrivial else { return }
        destroy(head.load(ordering: .acquiring)..<tail.load(ordering: .acquiring))
    }
}

/// A metric change waiting for the hooks, which run after the registry's lock
/// is released.
struct PendingChange {
    let metricIndex: Int
    let event: any MetricEvent
}

/// The lane for events of type `Event`: knows how to destroy and box them.
final class Lane<Event: MetricEvent>: AnyLane, @unchecked Sendable {
    init(allowance: LaneAllowance, route: AnyEventRoute, ready: ReadyLanes) {
        super.init(
            allowance: allowance, route: route, ready: ready, stride: MemoryLayout<Event>.stride,
            alignment: MemoryLayout<Event>.alignment, isTrivial: _isPOD(Event.self))
    }

    override func move(_ count: Int, from source: UnsafeMutableRawPointer, to destination: UnsafeMutableRawPointer) {
        unsafe destination.assumingMemoryBound(to: Event.self).moveInitialize(
            from: source.assumingMemoryBound(to: Event.self), count: count)
    }

    deinit {
        destroyPending()
    }

    override func destroy(at slot: UnsafeMutableRawPointer) {
        unsafe slot.assumingMemoryBound(to: Event.self).deinitialize(count: 1)
    }

    override func event(at slot: UnsafeMutableRawPointer) -> any MetricEvent {
        unsafe slot.assumingMemoryBound(to: Event.self).pointee
    }
}
