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

/// The runtime's processing thread: drains every queued recorder's lanes,
/// completes flushes, reports drops, and sleeps when there is nothing to do.
///
/// Waking it must not cost producers a fence per event. The thread lingers
/// (short sleeps, `sleeping` false) for about a millisecond after its last
/// work, so a steady stream of events never needs a wake-up; only then does it
/// set `sleeping`, issue the heavy half of an ``AsymmetricFence``, look once
/// more for work, and wait. A producer that published an event reads
/// `sleeping` after the light half and signals the thread if it is set.
@usableFromInline
final class ProcessingLoop: Sendable {
    /// Whether both halves of every ``AsymmetricFence`` use `membarrier`
    /// (``AsymmetricFence/isExpedited`` unless a test forces the fallback).
    @usableFromInline let expedited: Bool
    @usableFromInline let sleeping = Atomic<Bool>(false)
    let diagnostics: Diagnostics

    private let wakeup = ConditionLock(false)
    private let members = LockedValue<[QueuedMetricsRecorder]>([])
    private let flushRequested = Atomic<UInt64>(0)
    private let flushes = ConditionLock(FlushState())
    /// `flushes.completed`, for a flush that spins before it waits.
    private let completedFlush = Atomic<UInt64>(0)
    private let exitRequested = Atomic<Bool>(false)
    private let runningFlag = Atomic<Bool>(false)
    private let thread = LockedValue<ProcessingThread?>(nil)

    private struct FlushState {
        var completed: UInt64 = 0
        var finished = false
        var waiters: [(generation: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// How long the thread lingers after its last work before it sleeps.
    private static let lingerNanoseconds: Int64 = 1_000_000
    /// How long a flush spins for its pass before it waits.
    private static let flushSpinNanoseconds: Int64 = 30_000
    /// How long the thread waits between passes while it lingers.
    private static let lingerPauseNanoseconds: Int64 = 50_000
    /// How long a deep sleep lasts at most, so drops are reported even when idle.
    private static let sleepNanoseconds: Int64 = 100_000_000
    /// How often idle lanes are swept out of the passes: a lane leaves after
    /// one to two sweeps without events.
    private static let sweepNanoseconds: Int64 = 1_000_000
    /// How often drops are reported at most.
    private static let dropReportNanoseconds: Int64 = 1_000_000_000

    init(diagnostics: Diagnostics, expedited: Bool) {
        self.diagnostics = diagnostics
        self.expedited = expedited
    }

    // MARK: Membership

    func add(_ recorder: QueuedMetricsRecorder) {
        members.withLock { $0.append(recorder) }
    }

    func remove(_ recorder: QueuedMetricsRecorder) {
        members.withLock { $0.removeAll { $0 === recorder } }
    }

    func removeAll() {
        members.withLock { $0.removeAll() }
    }

    // MARK: Thread

    /// Whether the processing thread is running.
    var isRunning: Bool { runningFlag.load(ordering: .acquiring) }

    /// Whether the caller is the processing thread.
    var isProcessingThread: Bool {
        unsafe mvx_processing_loop() == UnsafeMutableRawPointer(Unmanaged.passUnretained(self).toOpaque())
    }

    func start(name: String) throws(MetricsError) {
        runningFlag.store(true, ordering: .releasing)
        do {
            let spawned = try ProcessingThread.spawn(name: name) { [self] in
                unsafe mvx_set_processing_loop(Unmanaged.passUnretained(self).toOpaque())
                run()
                mvx_set_processing_loop(nil)
            }
            thread.withLock { $0 = spawned }
        } catch {
            runningFlag.store(false, ordering: .releasing)
            throw error
        }
    }

    /// Asks the thread to finish once a pass finds nothing to do, and waits for
    /// it (unless the caller is the thread itself).
    func stopAndJoin() {
        exitRequested.store(true, ordering: .sequentiallyConsistent)
        wakeUnconditionally()
        guard let thread = takeThread() else { return }
        // A thread cannot join itself: a hook shut the runtime down, so the
        // thread releases its own resources when it ends.
        if isProcessingThread { thread.detach() } else { thread.join() }
    }

    /// The thread, for the one caller that joins it.
    private func takeThread() -> ProcessingThread? {
        thread.withLock { thread in
            defer { thread = nil }
            return thread
        }
    }

    /// Asks the thread to finish and waits without blocking a task's thread.
    func stopAndJoin() async {
        exitRequested.store(true, ordering: .sequentiallyConsistent)
        wakeUnconditionally()
        guard let thread = takeThread() else { return }
        if isProcessingThread {
            thread.detach()
            return
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = flushes.withLock { state in
                if state.finished { return true }
                state.waiters.append((UInt64.max, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
        thread.join()
    }

    // MARK: Waking

    @usableFromInline
    func wakeUnconditionally() {
        wakeup.withLockBroadcasting { $0 = true }
    }

    // MARK: Flushing

    /// Returns once a pass that started after this call has completed.
    ///
    /// It spins for a few microseconds first: a pass over an idle recorder
    /// is that short, and waking the caller from the condition would cost
    /// more than the pass.
    func flush() {
        guard isRunning else { return }
        let generation = requestFlush()
        let deadline = ConditionLock<Bool>.now() + Self.flushSpinNanoseconds
        while ConditionLock<Bool>.now() < deadline {
            if completedFlush.load(ordering: .acquiring) >= generation { return }
            mvx_cpu_relax()
        }
        _ = flushes.wait { state in state.completed >= generation || state.finished ? () : nil }
    }

    /// Returns once a pass that started after this call has completed, without
    /// blocking a task's thread.
    func flush() async {
        guard isRunning else { return }
        let generation = requestFlush()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = flushes.withLock { state in
                if state.completed >= generation || state.finished { return true }
                state.waiters.append((generation, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Wakes the thread whether it sleeps or lingers, so the flush waits for
    /// one pass only.
    private func requestFlush() -> UInt64 {
        let generation = flushRequested.add(1, ordering: .sequentiallyConsistent).newValue
        wakeUnconditionally()
        return generation
    }

    private func completeFlushes(through generation: UInt64, finished: Bool = false) {
        let ready = flushes.withLockBroadcasting { state in
            if generation > state.completed {
                state.completed = generation
                completedFlush.store(generation, ordering: .releasing)
            }
            if finished { state.finished = true }
            let completed = state.completed
            let isFinished = state.finished
            var ready: [CheckedContinuation<Void, Never>] = []
            state.waiters.removeAll { waiter in
                guard isFinished || waiter.generation <= completed else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    // MARK: The loop

    private func run() {
        diagnostics.log(.debug, "processing thread started", ["membarrier": "\(expedited)"])
        var lastWork = ConditionLock<Bool>.now()
        var lastDropReport = lastWork
        var lastSweep = lastWork
        while true {
            let generation = flushRequested.load(ordering: .acquiring)
            let exiting = exitRequested.load(ordering: .acquiring)
            let recorders = members.withLock { $0 }
            var processed = 0
            for recorder in recorders { processed += recorder.processPending() }
            completeFlushes(through: generation)

            let now = ConditionLock<Bool>.now()
            if now - lastSweep >= Self.sweepNanoseconds {
                lastSweep = now
                for recorder in recorders { recorder.sweepIdleLanes() }
            }
            if now - lastDropReport >= Self.dropReportNanoseconds {
                lastDropReport = now
                for recorder in recorders { recorder.reportDrops() }
            }
            if processed > 0 {
                lastWork = now
                // Chasing a producer event by event bounces cache lines between
                // cores; after a small batch, let a few more accumulate.
                if processed < 256 { spin(nanoseconds: 2_000) }
                continue
            }
            if exiting { break }
            if now - lastWork < Self.lingerNanoseconds {
                linger()
            } else {
                sleepUntilWoken(recorders)
                lastWork = ConditionLock<Bool>.now()
            }
        }
        for recorder in members.withLock({ $0 }) { recorder.reportDrops() }
        runningFlag.store(false, ordering: .releasing)
        completeFlushes(through: flushRequested.load(ordering: .acquiring), finished: true)
        diagnostics.log(.debug, "processing thread finished")
    }

    /// Waits about 50 µs between passes while lingering, or less when a flush
    /// (or a shutdown) wakes the thread: a flush then waits for one pass, not
    /// for the rest of a timer's sleep. Producers never wake a lingering
    /// thread; their events are found by the next pass.
    private func linger() {
        waitForWakeUp(timeoutNanoseconds: Self.lingerPauseNanoseconds)
    }

    /// Waits until `wakeUnconditionally()` is called or the timeout passes,
    /// and consumes the wake-up.
    private func waitForWakeUp(timeoutNanoseconds: Int64) {
        _ = wakeup.wait(timeoutNanoseconds: timeoutNanoseconds) { (woken: inout Bool) -> Void? in
            guard woken else { return nil }
            woken = false
            return ()
        }
    }

    private func sleepUntilWoken(_ recorders: [QueuedMetricsRecorder]) {
        sleeping.store(true, ordering: .sequentiallyConsistent)
        AsymmetricFence.heavy(expedited: expedited)
        let hasWork =
            exitRequested.load(ordering: .sequentiallyConsistent)
            || flushRequested.load(ordering: .sequentiallyConsistent)
                > flushes.withLock { $0.completed }
            || recorders.contains { $0.hasPendingEvents }
        if !hasWork { waitForWakeUp(timeoutNanoseconds: Self.sleepNanoseconds) }
        sleeping.store(false, ordering: .relaxed)
    }

    /// Spins for a few microseconds, too short to sleep for.
    private func spin(nanoseconds: Int64) {
        let deadline = ConditionLock<Bool>.now() + nanoseconds
        while ConditionLock<Bool>.now() < deadline { mvx_cpu_relax() }
    }
}
