#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension QueuedMetricsRecorder {
    // MARK: Processing (the runtime's thread)

    /// Delivers every pending event to its metrics, then the changes to the
    /// hooks. Returns the number of events processed.
    ///
    /// It visits only the scheduled lanes (see ``ReadyLanes``), so lanes that
    /// stayed idle cost it nothing.
    func processPending() -> Int {
        let mode = acceptMode.load(ordering: .acquiring)
        let current = mode == AcceptMode.process ? LifecycleState.running : state
        guard current == .running || current == .starting || current == .stopping else { return 0 }
        var changes: [PendingChange]?
        var processed = 0
        var names: [String] = []
        registry.withLock { registry in
            // Read under the lock `changes(bufferingNewest:)` subscribes
            // under: a pass that began before a subscription could otherwise
            // drain the events recorded after it without collecting them.
            if !hooks.isEmpty || broadcaster.hasSubscribers { changes = [] }
            unsafe readyLanes.take(into: &registry.activeLanes)
            var retiring: [AnyLane] = []
            for lane in unsafe registry.activeLanes {
                let count = unsafe lane.drain(route: lane.route, registry: registry, changes: &changes) {
                    room.withLockBroadcasting { $0 &+= 1 }
                }
                if count > 0 {
                    processed += count
                    lane.drainedSinceSweep = true
                    if lane.waiters.load(ordering: .sequentiallyConsistent) > 0 {
                        room.withLockBroadcasting { $0 &+= 1 }
                    }
                }
                if lane.producerExited.load(ordering: .acquiring), lane.pending == 0 { retiring.append(lane) }
            }
            if !retiring.isEmpty { retire(retiring, registry) }
            if let changes, !changes.isEmpty {
                names = changes.map { registry.metricName(at: $0.metricIndex) }
            }
        }
        if let changes, !changes.isEmpty {
            for (change, name) in zip(changes, names) {
                let record = MetricChange(entityID: entityID, metricName: name, event: change.event)
                for hook in hooks { callHook { try hook.metricChanged(record) } }
                if broadcaster.hasSubscribers { broadcaster.publish(record) }
            }
        }
        return processed
    }

    /// Drops `lanes`, drained active lanes whose producer thread exited,
    /// keeping their counts in their route. They stay scheduled, so nothing
    /// pushes them again.
    private func retire(_ lanes: [AnyLane], _ registry: MetricRegistry) {
        let leaving = Set(lanes.map(ObjectIdentifier.init))
        for lane in lanes {
            let route = unsafe lane.route
            unsafe route.retired += lane.counts
            route.lanes.withLock { routeLanes in routeLanes.removeAll { $0 === lane } }
        }
        unsafe registry.activeLanes.removeAll { leaving.contains(ObjectIdentifier($0)) }
    }

    // MARK: Sweeping idle lanes (the runtime's thread)

    /// Takes the active lanes no pass drained since the last sweep out of the
    /// active list, so passes stop visiting them.
    ///
    /// The lanes' `scheduled` flags are cleared, then the heavy half of an
    /// ``AsymmetricFence`` pairs with each producer's light half after its
    /// publish: a producer either sees its lane's flag cleared and schedules
    /// it again, or its event is visible here and the lane stays. A lane whose
    /// producer exited stays too, so a pass retires it. All of it under the
    /// registry's lock, so no pass sees a lane half swept.
    func sweepIdleLanes() {
        registry.withLock { registry in
            var swept: [AnyLane] = []
            for lane in unsafe registry.activeLanes {
                if lane.drainedSinceSweep {
                    lane.drainedSinceSweep = false
                } else {
                    lane.scheduled.store(false, ordering: .sequentiallyConsistent)
                    swept.append(lane)
                }
            }
            guard !swept.isEmpty else { return }
            AsymmetricFence.heavy(expedited: loop.expedited)
            var leaving = Set<ObjectIdentifier>()
            for lane in swept {
                let stays =
                    (lane.pending > 0 || lane.producerExited.load(ordering: .sequentiallyConsistent))
                    && lane.scheduled.compareExchange(
                        expected: false, desired: true, ordering: .sequentiallyConsistent
                    ).exchanged
                // A lane that does not stay is idle, or its producer pushed it
                // again: either way it is not active now.
                if !stays { leaving.insert(ObjectIdentifier(lane)) }
            }
            if !leaving.isEmpty {
                unsafe registry.activeLanes.removeAll { leaving.contains(ObjectIdentifier($0)) }
            }
        }
    }

    /// Whether any lane has events waiting.
    var hasPendingEvents: Bool {
        guard acceptMode.load(ordering: .acquiring) != AcceptMode.queue else { return false }
        if !readyLanes.isEmpty { return true }
        return registry.withLock { registry in unsafe registry.activeLanes.contains { $0.pending > 0 } }
    }

    /// Logs drops since the last report, at most once per call.
    func reportDrops() {
        let dropped = statistics.dropped
        let previous = reportedDrops.withLock { reported in
            defer { reported = dropped }
            return reported
        }
        guard dropped > previous else { return }
        diagnostics.log(
            .warning, "events dropped",
            [
                "dropped": "\(dropped - previous)", "dropped_total": "\(dropped)",
                "overflow_policy": "\(overflowPolicy)", "capacity": "\(capacity)",
            ])
    }

    // MARK: Reading

    /// The recorder's statistics now; `accepted = processed + dropped + pending` holds.
    public var statistics: RecorderStatistics {
        registry.withLock { statistics(of: $0) }
    }

    /// Every metric's snapshot and the statistics, taken together: the metrics
    /// show exactly the events counted as processed.
    ///
    /// It waits for the recorder's lock, which a processing pass holds while it
    /// applies a batch; from `async` code, prefer `await snapshot()`, which
    /// yields instead.
    public func snapshot() -> RecorderSnapshot {
        makeSnapshot(registry.withLock { registry in (registry.metricSnapshots(), self.statistics(of: registry)) })
    }

    /// Every metric's snapshot and the statistics; see `snapshot()`.
    ///
    /// It never blocks its thread: while a processing pass holds the
    /// recorder's lock, it yields to other tasks and tries again.
    public func snapshot() async -> RecorderSnapshot {
        while true {
            let taken = registry.withLockIfAvailable { registry in
                (registry.metricSnapshots(), self.statistics(of: registry))
            }
            if let taken { return makeSnapshot(taken) }
            await Task.yield()
        }
    }

    private func makeSnapshot(_ taken: (metrics: [MetricSnapshot], statistics: RecorderStatistics)) -> RecorderSnapshot
    {
        diagnostics.log(.debug, "snapshot taken")
        return RecorderSnapshot(
            entityID: entityID, startedAt: startedAt, takenAt: Date(), commonLabels: commonLabels,
            metrics: taken.metrics, statistics: taken.statistics)
    }

    /// The snapshot of one metric, or `nil` if none has that name.
    public func snapshot(metric name: String) -> MetricSnapshot? {
        registry.withLock { $0.snapshot(metric: name) }
    }

    /// The names of the registered metrics, sorted.
    public var metricNames: [String] { registry.withLock { $0.metricNames } }

    /// The names of the metrics that accept events of type `eventType`.
    public func consumers(of eventType: any MetricEvent.Type) -> [String] {
        registry.withLock { $0.consumers(of: eventType) }
    }

    /// Every routed event type, with the metrics that accept it.
    public var routing: [String: [String]] { registry.withLock { $0.routing } }

    /// Computes the statistics from the lanes' counters, under the registry's
    /// lock, so they agree with the metrics' state.
    private func statistics(of registry: MetricRegistry) -> RecorderStatistics {
        var result = unsafe registry.statistics
        var queued: UInt64 = 0
        var removed: UInt64 = 0
        var droppedNew: UInt64 = 0
        var droppedOldest: UInt64 = 0
        var refused: UInt64 = 0
        var byType: [String: UInt64] = [:]
        for route in unsafe registry.table.routes {
            var counts = unsafe route.retired
            for lane in route.lanes.withLock({ $0 }) { counts += lane.counts }
            let routeRefused = route.refused.load(ordering: .relaxed)
            queued &+= UInt64(counts.queued)
            removed &+= UInt64(counts.removed)
            droppedNew &+= counts.droppedNew
            droppedOldest &+= counts.droppedOldest
            refused &+= routeRefused
            let typeDropped = counts.droppedNew &+ counts.droppedOldest &+ routeRefused
            if typeDropped > 0 { byType[route.eventType] = typeDropped }
        }
        let unroutedProcessed = unroutedProcessed.load(ordering: .relaxed)
        let unroutedRefused = unroutedRefused.load(ordering: .relaxed)
        result.pending = queued &- removed
        result.processed = removed &- droppedOldest &+ unroutedProcessed
        result.dropped = droppedNew &+ droppedOldest &+ refused &+ unroutedRefused
        result.accepted = queued &+ droppedNew &+ refused &+ unroutedProcessed &+ unroutedRefused
        result.ignored &+= unroutedProcessed
        result.hookFailures = hookFailures.load(ordering: .relaxed)
        result.droppedByEventType = byType
        return result
    }
}
