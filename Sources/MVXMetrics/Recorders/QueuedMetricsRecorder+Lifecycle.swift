import MVXMetricsLocking

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension QueuedMetricsRecorder {
    // MARK: Start

    /// Starts processing: events already queued are processed, and hooks are
    /// told the recorder started.
    ///
    /// - Throws: ``MetricsError/Code/invalidState`` unless the recorder is
    ///   ``LifecycleState/created`` or ``LifecycleState/stopped`` and its runtime is running.
    public func start() throws(MetricsError) {
        try startNow()
    }

    /// Starts processing; see `start()`.
    public func start() async throws(MetricsError) {
        try startNow()
    }

    func startNow() throws(MetricsError) {
        try lifecycle.withLock { (state) throws(MetricsError) in
            guard state == .created || state == .stopped else {
                throw MetricsError(
                    .invalidState,
                    "cannot start recorder \"\(entityID)\": it is \(state), expected created or stopped")
            }
            guard !removed.load(ordering: .acquiring) else {
                throw MetricsError(
                    .invalidState,
                    "cannot start recorder \"\(entityID)\": it was removed from its runtime; make a new one")
            }
            guard loop.isRunning else {
                throw MetricsError(
                    .invalidState,
                    "cannot start recorder \"\(entityID)\": its runtime is not running; start the runtime first")
            }
            state = .starting
        }
        diagnostics.log(.info, "recorder starting")
        acceptMode.store(AcceptMode.process, ordering: .sequentiallyConsistent)
        // Producers schedule their lanes only while the recorder processes:
        // the lanes they published into before are scheduled here.
        scheduleEveryLane()
        for hook in hooks { callHook { try hook.recorderStarted(entityID: entityID) } }
        lifecycle.withLockBroadcasting { $0 = .running }
        diagnostics.log(.info, "recorder running")
        loop.wakeUnconditionally()
        // Removed while it was starting: the remover left the stop to us.
        if removed.load(ordering: .acquiring) { try? stop() }
    }

    /// Marks the recorder removed from its runtime, so it never starts again,
    /// and returns whether the caller must stop it (it is running or
    /// stopping). A start already under way stops the recorder itself once
    /// it is running (see `startNow()`), so nothing waits here.
    func markRemoved() -> Bool {
        lifecycle.withLock { state in
            removed.store(true, ordering: .releasing)
            return state == .running || state == .stopping
        }
    }

    /// Marks a recorder whose runtime could not start.
    func fail() {
        acceptMode.store(AcceptMode.refuse, ordering: .sequentiallyConsistent)
        lifecycle.withLockBroadcasting { $0 = .failed }
        broadcaster.finishAll()
        diagnostics.log(.error, "recorder failed: its runtime could not start")
    }

    // MARK: Stop

    /// Stops the recorder: refuses new events, processes every event accepted
    /// before, tells hooks, and ends the ``changes(bufferingNewest:)`` sequences.
    ///
    /// If another caller is already stopping the recorder, waits for it.
    ///
    /// - Throws: ``MetricsError/Code/invalidState`` unless the recorder is
    ///   running or stopping.
    public func stop() throws(MetricsError) {
        guard try beginStop() else {
            _ = lifecycle.wait { $0 == .stopping ? nil : () }
            return
        }
        if loop.isProcessingThread {
            // A hook is stopping its own recorder: process what is left here.
            _ = processPending()
        } else {
            loop.flush()
        }
        finishStop()
    }

    /// Stops the recorder without blocking a task's thread; see `stop()`.
    public func stop() async throws(MetricsError) {
        guard try beginStop() else {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let stopped = lifecycle.withLock { state in
                    if state == .stopping {
                        stopWaiters.withLock { $0.append(continuation) }
                        return false
                    }
                    return true
                }
                if stopped { continuation.resume() }
            }
            return
        }
        await loop.flush()
        finishStop()
    }

    /// Stops a recorder that never started (its runtime never ran, or it is
    /// being removed first): the events it queued are processed on the
    /// calling thread, so nothing accepted is lost.
    func stopUnstarted() {
        guard (try? beginStop(allowingCreated: true)) == true else { return }
        // `beginStop` waited for the publishes in flight; nothing publishes
        // after it, and producers never scheduled these lanes.
        for lane in allLanes() { lane.schedule() }
        _ = processPending()
        finishStop()
    }

    /// Moves to stopping and waits until no producer is between its state
    /// check and its publish. Returns false if another caller is stopping.
    private func beginStop(allowingCreated: Bool = false) throws(MetricsError) -> Bool {
        let proceed = try lifecycle.withLock { (state) throws(MetricsError) -> Bool in
            switch state {
            case .running:
                state = .stopping
                return true
            case .created where allowingCreated:
                state = .stopping
                return true
            case .stopping:
                return false
            default:
                throw MetricsError(
                    .invalidState, "cannot stop recorder \"\(entityID)\": it is \(state), expected running")
            }
        }
        guard proceed else { return false }
        diagnostics.log(.info, "recorder stopping")
        acceptMode.store(AcceptMode.refuse, ordering: .sequentiallyConsistent)
        // Then the flush below processes every event accepted before.
        _ = lanesAfterPublishesInFlight()
        return true
    }

    /// Every lane, once no producer is between its check of `acceptMode`
    /// (just changed by the caller) and its publish: either a producer sees
    /// the new mode, or this sees its `inPush` and waits for its event.
    private func lanesAfterPublishesInFlight() -> [AnyLane] {
        AsymmetricFence.heavy(expedited: loop.expedited)
        let lanes = allLanes()
        for lane in lanes {
            while lane.inPush.load(ordering: .acquiring) { sched_yield() }
        }
        return lanes
    }

    /// Every lane of every route.
    private func allLanes() -> [AnyLane] {
        registry.withLock { registry in
            unsafe registry.table.routes.flatMap { route in route.lanes.withLock { $0 } }
        }
    }

    /// Schedules every lane that producers published into while the recorder
    /// did not process (they skip scheduling then), so a pass visits them.
    private func scheduleEveryLane() {
        for lane in lanesAfterPublishesInFlight() { lane.schedule() }
    }

    private func finishStop() {
        for hook in hooks { callHook { try hook.recorderStopped(entityID: entityID) } }
        broadcaster.finishAll()
        let waiters = lifecycle.withLockBroadcasting { state in
            state = .stopped
            return stopWaiters.withLock { waiters in
                defer { waiters.removeAll() }
                return waiters
            }
        }
        for waiter in waiters { waiter.resume() }
        diagnostics.log(.info, "recorder stopped", ["pending": "\(statistics.pending)"])
        releaseRingsIfRemoved()
    }

    /// Frees the rings of a removed recorder's lanes once it is stopped: it
    /// never starts again, so its lanes, pinned in their producer threads
    /// until those exit, hold a few hundred bytes each instead of their rings.
    func releaseRingsIfRemoved() {
        guard removed.load(ordering: .acquiring), acceptMode.load(ordering: .acquiring) == AcceptMode.refuse,
            state == .stopped
        else { return }
        for lane in allLanes() { lane.releaseRing() }
    }

    // MARK: Flush

    /// Returns once every event accepted before the call has been processed:
    /// applied to its metrics and passed to the hooks.
    ///
    /// - Throws: ``MetricsError/Code/invalidState`` unless the recorder is running.
    public func flush() throws(MetricsError) {
        try checkRunning(for: "flush")
        if loop.isProcessingThread {
            _ = processPending()
            return
        }
        loop.flush()
        diagnostics.log(.debug, "flushed")
    }

    /// Returns once every event accepted before the call has been processed,
    /// without blocking a task's thread; see `flush()`.
    public func flush() async throws(MetricsError) {
        try checkRunning(for: "flush")
        await loop.flush()
        diagnostics.log(.debug, "flushed")
    }

    private func checkRunning(for operation: String) throws(MetricsError) {
        let current = state
        guard current == .running else {
            throw MetricsError(
                .invalidState, "cannot \(operation) recorder \"\(entityID)\": it is \(current), expected running")
        }
    }

    /// Calls a hook, isolating and counting its failure.
    func callHook(_ body: () throws -> Void) {
        do {
            try body()
        } catch {
            hookFailures.add(1, ordering: .relaxed)
            diagnostics.log(.error, "hook failed", ["error": "\(error)"])
        }
    }
}
