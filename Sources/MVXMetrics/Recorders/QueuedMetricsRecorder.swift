import CMVXMetricsShims
import Logging
import MVXMetricsLocking
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A recorder that hands events off in nanoseconds and processes them on its
/// runtime's thread: the production path.
///
/// Create one with ``MetricsRuntime/makeRecorder(entityID:capacity:overflowPolicy:hooks:)``.
/// ``record(_:)`` may be called from any thread, in synchronous or `async`
/// code; it takes no lock, does no I/O, no string work and no heap allocation,
/// and returns at once (unless the ``OverflowPolicy/block`` policy waits for
/// room). Aggregation, hooks and exporting happen behind that boundary.
///
/// ```swift
/// let runtime = MetricsRuntime()
/// try runtime.start()
/// let recorder = try runtime.makeRecorder(entityID: "document-storage")
/// for metric in try DocumentStorageMetrics.all() { try recorder.register(metric) }
///
/// recorder.record(DocumentSaveAttempt(outcome: .success, contentSize: 1840, duration: .milliseconds(12)))
///
/// try recorder.flush()          // every event recorded before is processed
/// let snapshot = recorder.snapshot()
/// runtime.shutdown()            // stops every recorder, flushing first
/// ```
///
/// ## Queues
///
/// Each thread that records an event type gets its own bounded queue (a
/// *lane*) for that type, so producers never contend with each other. A lane
/// starts with room for 256 events (fewer of events over 32 bytes) and
/// doubles when it fills, while the thread's lanes in the recorder hold at
/// most ``capacity`` events together; it shrinks back once it went idle. When a lane is full and may not grow,
/// the ``overflowPolicy`` decides. Events from one thread keep their order; events from different
/// threads (including one task that resumed on another thread) are processed
/// in no particular order relative to each other.
///
/// ## Before start and after stop
///
/// A recorder made before its runtime starts is ``LifecycleState/created``:
/// it already accepts events and keeps them (up to ``capacity`` per thread)
/// until it starts. Once `stop()` begins, new events are refused: `record` returns
/// ``RecordResult/dropped`` and the drop is counted. Stop itself processes
/// every event accepted before it began, so nothing accepted is lost.
///
/// ## Accounting
///
/// ``statistics`` always satisfies `accepted = processed + dropped + pending`,
/// where `accepted` counts every event handed to `record`.
public final class QueuedMetricsRecorder: RegisteringMetricsRecorder {
    /// The recorder's name in its runtime, and the entity id of its snapshots.
    public let entityID: String
    /// When the recorder was created, to the millisecond: the start of every
    /// total it counts (``RecorderSnapshot/startedAt``).
    public let startedAt = Timestamp.truncatedToMilliseconds(Date())
    /// The most events each producing thread's lanes may hold together (a
    /// power of two), beyond the room every lane of an event type starts with:
    /// what bounds the recorder's queue memory by its threads, not by its
    /// threads times its event types. See <doc:ProductionPath#Overflow>.
    public let capacity: Int
    /// What `record` does when a lane is full.
    public let overflowPolicy: OverflowPolicy
    /// The labels every series of this recorder carries in every exporter:
    /// its runtime's ``MetricsRuntime/Configuration/commonLabels``.
    public let commonLabels: [String: String]

    let registry: LockedValue<MetricRegistry>
    @usableFromInline let routes = PublishedRoutes()
    @usableFromInline let loop: ProcessingLoop
    /// The lanes producers scheduled since the last processing pass.
    @usableFromInline let readyLanes = ReadyLanes()
    let lifecycle: ConditionLock<LifecycleState>
    /// Read by producers on every event: what to do with it (see `AcceptMode`).
    @usableFromInline let acceptMode = Atomic<UInt8>(AcceptMode.queue)
    let hooks: [any RecorderHook]
    let broadcaster = ChangeBroadcaster()
    let diagnostics: Diagnostics

    // Counters kept outside the lanes.
    let hookFailures = Atomic<UInt64>(0)
    /// Set when the recorder is removed from its runtime: its processing
    /// thread no longer visits it, so it must never start again.
    let removed = Atomic<Bool>(false)
    @usableFromInline let unroutedProcessed = Atomic<UInt64>(0)
    @usableFromInline let unroutedRefused = Atomic<UInt64>(0)
    /// Bumped whenever the processing thread makes room in a lane that has waiters.
    let room = ConditionLock<UInt64>(0)
    /// The dropped count last reported in the log; touched only by the processing thread.
    let reportedDrops = LockedValue<UInt64>(0)
    /// `async` callers of `stop()` waiting for another caller's stop to finish.
    let stopWaiters = LockedValue<[CheckedContinuation<Void, Never>]>([])

    /// The values of `acceptMode`.
    @usableFromInline
    enum AcceptMode {
        /// Created: queue, but nothing drains yet.
        @usableFromInline static let queue: UInt8 = 0
        /// Starting or running: queue, and the processing thread drains.
        @usableFromInline static let process: UInt8 = 1
        /// Stopping, stopped or failed: refuse.
        @usableFromInline static let refuse: UInt8 = 2
    }

    init(
        entityID: String, capacity: Int, overflowPolicy: OverflowPolicy, commonLabels: [String: String],
        hooks: [any RecorderHook], loop: ProcessingLoop, diagnostics: Diagnostics
    ) {
        self.entityID = entityID
        self.commonLabels = commonLabels
        self.capacity = capacity
        self.overflowPolicy = overflowPolicy
        self.hooks = hooks
        self.loop = loop
        self.diagnostics = diagnostics.adding(["recorder": "\(entityID)"])
        self.registry = LockedValue(MetricRegistry(entityID: entityID, diagnostics: self.diagnostics))
        self.lifecycle = ConditionLock(.created)
    }

    /// The recorder's lifecycle state.
    public var state: LifecycleState { lifecycle.withLock { $0 } }

    // MARK: Registration

    /// Registers `metric`; events processed from now on reach it.
    ///
    /// - Throws: the same ``MetricsError``s as ``InlineMetricsRecorder/register(_:)``,
    ///   and ``MetricsError/Code/invalidState`` once the recorder has failed.
    public func register<M: Metric>(_ metric: M) throws(MetricsError) {
        let box = MetricBox(metric)
        let declared = unsafe RouteBinding.bindings(of: box)
        unsafe try register(box, bindings: declared.routes, readsAtSnapshot: declared.readsAtSnapshot)
    }

    private func register(
        _ box: any AnyMetricBox, bindings: [RouteBinding], readsAtSnapshot: Bool
    ) throws(MetricsError) {
        let current = state
        guard current != .failed else {
            throw MetricsError(
                .invalidState, "cannot register a metric in recorder \"\(entityID)\": it is \(current)")
        }
        try registry.withLock { (registry) throws(MetricsError) in
            let routeCount = unsafe registry.table.routes.count
            unsafe try registry.register(box, bindings: bindings, readsAtSnapshot: readsAtSnapshot)
            if unsafe registry.table.routes.count != routeCount { unsafe routes.publish(registry.table) }
        }
    }

    // MARK: Recording

    /// Hands `event` to the recorder and returns at once.
    ///
    /// Returns ``RecordResult/recorded`` if the event was queued (or, for an
    /// event type no metric accepts, counted as ignored), and
    /// ``RecordResult/dropped`` if the overflow policy or a stopped recorder
    /// refused it. Never throws, never allocates for an event, never logs.
    @inlinable
    @discardableResult
    public func record<Event: MetricEvent>(_ event: Event) -> RecordResult {
        // Only writing the event needs its type. Everything else is in the
        // non-generic `claimSlot` and `publishClaimed`, so a caller that holds
        // `any MetricsRecorder` (and so runs this unspecialized) pays for one
        // generic copy, not for generic closures around the whole path.
        let claim = unsafe claimSlot(for: ObjectIdentifier(Event.self))
        guard let slot = unsafe claim.slot else { return unsafe claim.result }
        unsafe slot.initializeMemory(as: Event.self, to: event)
        unsafe publishClaimed(claim)
        return .recorded
    }

    /// Finds the calling thread's lane for the event type `type` and claims
    /// its next slot, applying the state and the overflow policy; or says what
    /// `record` returns instead.
    @inlinable @inline(__always)
    func claimSlot(for type: ObjectIdentifier) -> SlotClaim {
        guard let route = unsafe routes.lookup(type) else { return unsafe SlotClaim(result: recordUnrouted()) }
        return unsafe route._withUnsafeGuaranteedRef { route in
            guard let reference = unsafe producerLane(for: route) else {
                return unsafe SlotClaim(result: refuseWithoutLane(route))
            }
            return unsafe reference._withUnsafeGuaranteedRef { lane in
                lane.inPush.store(true, ordering: .relaxed)
                AsymmetricFence.light(expedited: loop.expedited)
                let mode = acceptMode.load(ordering: .relaxed)
                if mode == AcceptMode.refuse { return unsafe SlotClaim(result: refuse(lane, route)) }
                if !lane.hasRoom(), !makeRoom(lane, mode: mode) { return unsafe SlotClaim(result: dropNew(lane)) }
                return unsafe SlotClaim(lane: reference, slot: lane.nextSlot, mode: mode)
            }
        }
    }

    /// Publishes the event written into a claimed slot, schedules the lane
    /// if it was idle, and wakes the processing thread if it sleeps.
    @inlinable @inline(__always)
    func publishClaimed(_ claim: SlotClaim) {
        unsafe claim.lane.unsafelyUnwrapped._withUnsafeGuaranteedRef { lane in
            lane.publishNextSlot()
            unsafe finishPublish(lane, mode: claim.mode)
        }
    }

    /// The end of every publish. While the recorder processes, one light
    /// fence serves both checks after it; scheduling comes before `inPush` is
    /// cleared, so a caller that waited for `inPush` finds the lane scheduled.
    /// Before the recorder starts nothing drains, so nothing is scheduled:
    /// starting schedules every lane (see `startNow()`).
    @inlinable @inline(__always)
    func finishPublish(_ lane: AnyLane, mode: UInt8) {
        guard mode == AcceptMode.process else {
            lane.inPush.store(false, ordering: .releasing)
            return
        }
        AsymmetricFence.light(expedited: loop.expedited)
        lane.scheduleIfIdle()
        lane.inPush.store(false, ordering: .releasing)
        if loop.sleeping.load(ordering: .relaxed) { loop.wakeUnconditionally() }
    }

    /// Hands `event` to the recorder, throwing instead of applying the overflow
    /// policy when its lane is full.
    ///
    /// - Throws: ``MetricsError/Code/queueFull`` when the lane is full (the drop
    ///   is counted), ``MetricsError/Code/invalidState`` when the recorder is
    ///   stopping, stopped or failed.
    @inlinable
    public func recordOrThrow<Event: MetricEvent>(_ event: Event) throws(MetricsError) {
        guard let route = unsafe routes.lookup(ObjectIdentifier(Event.self)) else {
            guard recordUnrouted() == .recorded else { throw notAccepting() }
            return
        }
        let result: RecordResult = unsafe route._withUnsafeGuaranteedRef { route in
            guard let reference = unsafe producerLane(for: route) else {
                _ = refuseWithoutLane(route)
                return .discarded
            }
            return unsafe reference._withUnsafeGuaranteedRef { lane in
                lane.inPush.store(true, ordering: .relaxed)
                AsymmetricFence.light(expedited: loop.expedited)
                let mode = acceptMode.load(ordering: .relaxed)
                if mode == AcceptMode.refuse {
                    _ = refuse(lane, route)
                    return .discarded
                }
                guard lane.hasRoom() else { return dropNew(lane) }
                lane.publish(event)
                finishPublish(lane, mode: mode)
                return .recorded
            }
        }
        if result == .dropped { throw queueFull(Event.eventType) }
        if result == .discarded { throw notAccepting() }
    }

    /// The calling thread's lane for `route`, made on its first event of the
    /// route; nil when there is none yet and the recorder refuses events, so
    /// a stopped recorder's refusals cost no memory.
    @inlinable @inline(__always)
    func producerLane(for route: AnyEventRoute) -> Unmanaged<AnyLane>? {
        unsafe ProducerContext.current._withUnsafeGuaranteedRef { context in
            if let lane = unsafe context.existingLane(for: route) { return unsafe lane }
            return unsafe firstLane(for: route, in: context)
        }
    }

    /// Makes the calling thread's lane for `route`, unless the recorder
    /// refuses events. A recorder that starts refusing right after the check
    /// refuses the event through the lane, as for every later event.
    @usableFromInline @inline(never)
    func firstLane(for route: AnyEventRoute, in context: ProducerContext) -> Unmanaged<AnyLane>? {
        guard acceptMode.load(ordering: .acquiring) != AcceptMode.refuse else { return nil }
        return unsafe context.makeLane(for: route, capacity: capacity, ready: readyLanes)
    }

    @usableFromInline
    func refuseWithoutLane(_ route: AnyEventRoute) -> RecordResult {
        route.refused.add(1, ordering: .relaxed)
        return .dropped
    }

    @usableFromInline
    func refuse(_ lane: AnyLane, _ route: AnyEventRoute) -> RecordResult {
        lane.inPush.store(false, ordering: .releasing)
        return refuseWithoutLane(route)
    }

    @usableFromInline
    func dropNew(_ lane: AnyLane) -> RecordResult {
        lane.droppedNew.add(1, ordering: .relaxed)
        lane.inPush.store(false, ordering: .releasing)
        return .dropped
    }

    /// Applies the overflow policy to a full lane. Returns true if the event
    /// may now be published, false if it must be dropped.
    @usableFromInline
    func makeRoom(_ lane: AnyLane, mode: UInt8) -> Bool {
        switch overflowPolicy.kind {
        case .dropNew:
            return false
        case .dropOldest:
            return lane.evictOldest()
        case .block:
            // A processing thread never waits: see `OverflowPolicy`.
            let onProcessingThread = unsafe mvx_processing_loop() != nil
            return mode == AcceptMode.process && !onProcessingThread && waitForRoom(lane)
        }
    }

    @usableFromInline
    func recordUnrouted() -> RecordResult {
        if acceptMode.load(ordering: .relaxed) == AcceptMode.refuse {
            unroutedRefused.add(1, ordering: .relaxed)
            return .dropped
        }
        unroutedProcessed.add(1, ordering: .relaxed)
        return .recorded
    }

    @usableFromInline
    func notAccepting() -> MetricsError {
        MetricsError(.invalidState, "recorder \"\(entityID)\" is \(state) and accepts no events")
    }

    @usableFromInline
    func queueFull(_ eventType: String) -> MetricsError {
        MetricsError(
            .queueFull,
            "the queue of recorder \"\(entityID)\" for \(eventType) is full and may not grow (this thread's queues may grow to \(capacity) events together); the event was dropped"
        )
    }

    /// Waits until the processing thread makes room in `lane` (the block
    /// policy). Returns false if nothing is left to drain it.
    private func waitForRoom(_ lane: AnyLane) -> Bool {
        for _ in 0..<256 {
            if lane.hasRoom() { return true }
            mvx_cpu_relax()
        }
        lane.waiters.add(1, ordering: .sequentiallyConsistent)
        defer { lane.waiters.subtract(1, ordering: .relaxed) }
        loop.wakeUnconditionally()
        while true {
            var seen: UInt64 = 0
            room.withLock { seen = $0 }
            // Sequentially consistent, pairing with the processing thread's
            // store of `head` and load of `waiters`: one of them sees the other.
            unsafe lane.cachedHead = lane.head.load(ordering: .sequentiallyConsistent)
            // Room with the head just read, or a ring grown into slots the
            // thread's other lanes gave back.
            if lane.hasRoom() { return true }
            if !loop.isRunning { return false }
            _ = room.wait(timeoutNanoseconds: 1_000_000) { $0 != seen ? () : nil }
        }
    }

    // MARK: Observing

    /// An asynchronous sequence of every metric change, for observers written
    /// in structured concurrency: the change of every event recorded after it
    /// returns. It ends when the recorder stops or fails; asked for after
    /// that, it is empty and ends at once.
    ///
    /// If the observer falls behind, the oldest changes are dropped from its
    /// buffer beyond `limit`; the recorder itself never waits for observers.
    ///
    /// ```swift
    /// for await change in recorder.changes() {
    ///     print(change.metricName)
    /// }
    /// ```
    public func changes(bufferingNewest limit: Int = 1024) -> AsyncStream<MetricChange> {
        // Under the registry's lock, which a processing pass holds while it
        // drains: every event recorded after this returns is delivered.
        registry.withLock { _ in broadcaster.makeStream(bufferingNewest: limit) }
    }
}
