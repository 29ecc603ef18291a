import Logging
import MVXMetricsLocking

/// Owns the processing side of metrics: a thread of its own, its lifecycle, and
/// a registry of named queued recorders.
///
/// Production code can then emit from plain synchronous code or from async
/// code without owning a loop or a task:
///
/// ```swift
/// let runtime = MetricsRuntime()
/// try runtime.start()
/// let recorder = try runtime.makeRecorder(entityID: "tcp-stream")
/// for metric in try TCPStreamMetrics.all() { try recorder.register(metric) }
///
/// let stream = TCPStream(metrics: recorder)   // emits from any thread
/// // …
/// let snapshots = runtime.snapshot()          // every recorder at once
/// runtime.shutdown()                          // stops every recorder, flushing first
/// ```
///
/// The runtime starts no thread until `start()`. `shutdown()` stops every
/// recorder (each processes what it accepted first), then stops and joins the
/// thread; it is idempotent and safe from any thread, and runs on `deinit` if
/// you forget it. A runtime is not restarted: make a new one.
public final class MetricsRuntime: Sendable {
    /// The configuration the runtime was made with.
    public let configuration: Configuration
    private let loop: ProcessingLoop
    private let diagnostics: Diagnostics
    private let core: ConditionLock<Core>

    private struct Core {
        var state = LifecycleState.created
        var recorders: [String: QueuedMetricsRecorder] = [:]
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The largest capacity of a recorder.
    public static let maximumCapacity = 1 << 24

    /// Creates a runtime; no thread is started until `start()`.
    public convenience init(configuration: Configuration = Configuration()) {
        self.init(configuration: configuration, expeditedFences: AsymmetricFence.isExpedited)
    }

    /// Creates a runtime whose fences use `membarrier` or not; `false` is
    /// what a system without it runs, which tests force here.
    init(configuration: Configuration, expeditedFences: Bool) {
        self.configuration = configuration
        diagnostics = Diagnostics(
            logger: configuration.logger, mode: configuration.logMode,
            metadata: ["metrics_runtime": "\(configuration.name)"])
        loop = ProcessingLoop(diagnostics: diagnostics, expedited: expeditedFences)
        core = ConditionLock(Core())
    }

    deinit {
        shutdown()
    }

    /// The runtime's lifecycle state.
    public var state: LifecycleState { core.withLock { $0.state } }

    // MARK: Lifecycle

    /// Starts the processing thread and every recorder created so far.
    ///
    /// - Throws: ``MetricsError/Code/invalidState`` unless the runtime is
    ///   ``LifecycleState/created``; the same code, with the runtime then
    ///   ``LifecycleState/failed``, if the thread cannot be started.
    public func start() throws(MetricsError) {
        try startNow()
    }

    /// Starts the processing thread and every recorder created so far; see `start()`.
    public func start() async throws(MetricsError) {
        try startNow()
    }

    private func startNow() throws(MetricsError) {
        let recorders = try core.withLock { (core) throws(MetricsError) -> [QueuedMetricsRecorder] in
            guard core.state == .created else {
                throw MetricsError(
                    .invalidState,
                    "cannot start runtime \"\(configuration.name)\": it is \(core.state), expected created; a runtime is not restarted, make a new one"
                )
            }
            core.state = .starting
            return Array(core.recorders.values)
        }
        diagnostics.log(.info, "runtime starting")
        do {
            try loop.start(name: configuration.name)
        } catch {
            core.withLockBroadcasting { $0.state = .failed }
            for recorder in recorders { recorder.fail() }
            diagnostics.log(.error, "runtime failed to start", ["error": "\(error)"])
            throw error
        }
        core.withLockBroadcasting { $0.state = .running }
        for recorder in recorders where recorder.state == .created {
            try? recorder.startNow()
        }
        diagnostics.log(.info, "runtime running")
    }

    /// Stops every recorder (each processes the events it accepted first), then
    /// stops and joins the processing thread.
    ///
    /// Idempotent and safe from any thread; a second caller waits for the first.
    /// Called from the processing thread itself (a hook), it does not join.
    public func shutdown() {
        guard let recorders = beginShutdown() else {
            _ = core.wait { $0.state == .stopped ? () : nil }
            return
        }
        for recorder in recorders {
            switch recorder.state {
            case .running, .stopping: try? recorder.stop()
            case .created: recorder.stopUnstarted()
            default: break
            }
        }
        loop.stopAndJoin()
        finishShutdown()
    }

    /// Shuts down without blocking a task's thread; see `shutdown()`.
    public func shutdown() async {
        guard let recorders = beginShutdown() else {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = core.withLock { core in
                    if core.state == .stopped { return true }
                    core.shutdownWaiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
            return
        }
        for recorder in recorders {
            switch recorder.state {
            case .running, .stopping: try? await recorder.stop()
            case .created: recorder.stopUnstarted()
            default: break
            }
        }
        await loop.stopAndJoin()
        finishShutdown()
    }

    /// Moves to stopping; returns the recorders to stop, or nil if another
    /// caller is shutting down or the runtime is already stopped.
    private func beginShutdown() -> [QueuedMetricsRecorder]? {
        core.withLock { core -> [QueuedMetricsRecorder]? in
            switch core.state {
            case .stopping, .stopped:
                return nil
            default:
                core.state = .stopping
                return core.recorders.values.sorted { $0.entityID < $1.entityID }
            }
        }
    }

    private func finishShutdown() {
        loop.removeAll()
        let waiters = core.withLockBroadcasting { core in
            core.state = .stopped
            defer { core.shutdownWaiters.removeAll() }
            return core.shutdownWaiters
        }
        for waiter in waiters { waiter.resume() }
        diagnostics.log(.info, "runtime stopped")
    }

    // MARK: Recorders

    /// Creates a queued recorder whose entity id is `name`, started at once if the runtime
    /// is running (or when it starts).
    ///
    /// - Parameters:
    ///   - name: the recorder's identity: its key in the runtime and the entity id of its
    ///     snapshots: 1 to 200 UTF-8 bytes, no control characters.
    ///   - capacity: events each producing thread may have pending in the
    ///     recorder, its event types together, beyond the room each type's
    ///     lane starts with (rounded up to a power of two); the runtime's
    ///     default if nil.
    ///   - overflowPolicy: what a full lane does; the runtime's default if nil.
    ///   - hooks: observers of metric changes and of start and stop.
    /// - Throws: ``MetricsError/Code/duplicateRecorder`` if the name is taken,
    ///   ``MetricsError/Code/invalidName`` or ``MetricsError/Code/invalidConfiguration``
    ///   for a bad name or capacity, ``MetricsError/Code/invalidState`` once the
    ///   runtime is shutting down.
    public func makeRecorder(
        entityID name: String,
        capacity: Int? = nil,
        overflowPolicy: QueuedMetricsRecorder.OverflowPolicy? = nil,
        hooks: [any RecorderHook] = []
    ) throws(MetricsError) -> QueuedMetricsRecorder {
        try Self.validateRecorderName(name)
        let laneCapacity = try Self.laneCapacity(capacity ?? configuration.defaultCapacity)
        let recorder = QueuedMetricsRecorder(
            entityID: name, capacity: laneCapacity,
            overflowPolicy: overflowPolicy ?? configuration.defaultOverflowPolicy,
            commonLabels: configuration.commonLabels, hooks: hooks, loop: loop, diagnostics: diagnostics)
        let runtimeState = try core.withLock { (core) throws(MetricsError) -> LifecycleState in
            guard core.state == .created || core.state == .starting || core.state == .running else {
                throw MetricsError(
                    .invalidState,
                    "cannot create recorder \"\(name)\": runtime \"\(configuration.name)\" is \(core.state)")
            }
            guard core.recorders[name] == nil else {
                throw MetricsError(
                    .duplicateRecorder,
                    "runtime \"\(configuration.name)\" already has a recorder named \"\(name)\"; use recorder(entityID:) to get it"
                )
            }
            core.recorders[name] = recorder
            return core.state
        }
        loop.add(recorder)
        diagnostics.log(
            .debug, "recorder created",
            ["recorder": "\(name)", "capacity": "\(laneCapacity)", "overflow_policy": "\(recorder.overflowPolicy)"])
        if runtimeState == .running { try recorder.startNow() }
        return recorder
    }

    /// The recorder named `name`.
    ///
    /// - Throws: ``MetricsError/Code/recorderNotFound`` if there is none.
    public func recorder(entityID name: String) throws(MetricsError) -> QueuedMetricsRecorder {
        guard let recorder = findRecorder(entityID: name) else { throw notFound(name) }
        return recorder
    }

    /// The recorder named `name`, or nil.
    public func findRecorder(entityID name: String) -> QueuedMetricsRecorder? {
        core.withLock { $0.recorders[name] }
    }

    /// The entity ids of the runtime's recorders, sorted.
    public var recorderEntityIDs: [String] { core.withLock { $0.recorders.keys.sorted() } }

    /// Stops the recorder named `name`, processing what it accepted first; it
    /// stays in the runtime and can be started again.
    ///
    /// - Throws: ``MetricsError/Code/recorderNotFound``, or the recorder's
    ///   `recorder.stop()` errors.
    public func stopRecorder(entityID name: String) throws(MetricsError) {
        try recorder(entityID: name).stop()
    }

    /// Stops the recorder named `name`; see ``stopRecorder(entityID:)``.
    public func stopRecorder(entityID name: String) async throws(MetricsError) {
        try await recorder(entityID: name).stop()
    }

    /// Stops the recorder named `name` if it is running, and removes it.
    ///
    /// Producers still holding the recorder can go on calling `record`: their
    /// events are dropped and counted, and a thread that had not recorded into
    /// it before gets no lane for it. Once its events are processed, its lanes
    /// give their rings back (a lane itself stays, a few hundred bytes, until
    /// its thread exits). The removed recorder keeps its metrics
    /// for reading, but it cannot start again (`start()` throws
    /// ``MetricsError/Code/invalidState``): nothing would process its events.
    ///
    /// - Throws: ``MetricsError/Code/recorderNotFound`` if there is none.
    @discardableResult
    public func removeRecorder(entityID name: String) throws(MetricsError) -> QueuedMetricsRecorder {
        let recorder = try recorder(entityID: name)
        if recorder.markRemoved() { try? recorder.stop() }
        detach(recorder)
        return recorder
    }

    /// Stops and removes the recorder named `name`; see ``removeRecorder(entityID:)``.
    @discardableResult
    public func removeRecorder(entityID name: String) async throws(MetricsError) -> QueuedMetricsRecorder {
        let recorder = try recorder(entityID: name)
        if recorder.markRemoved() { try? await recorder.stop() }
        detach(recorder)
        return recorder
    }

    private func detach(_ recorder: QueuedMetricsRecorder) {
        // A recorder that never started processes what it queued here.
        if recorder.state == .created { recorder.stopUnstarted() }
        core.withLock { core in
            if core.recorders[recorder.entityID] === recorder { core.recorders[recorder.entityID] = nil }
        }
        loop.remove(recorder)
        // Stopped before it was removed: its stop freed nothing.
        recorder.releaseRingsIfRemoved()
        diagnostics.log(.info, "recorder removed", ["recorder": "\(recorder.entityID)"])
    }

    // MARK: Reading

    /// A snapshot of every recorder, sorted by name.
    public func snapshot() -> [RecorderSnapshot] {
        core.withLock { $0.recorders.values.sorted { $0.entityID < $1.entityID } }.map { $0.snapshot() }
    }

    /// A snapshot of every recorder, sorted by name; see `snapshot()`.
    ///
    /// It never blocks its thread on a recorder's lock (see
    /// the recorder's `snapshot() async`).
    public func snapshot() async -> [RecorderSnapshot] {
        var snapshots: [RecorderSnapshot] = []
        for recorder in core.withLock({ $0.recorders.values.sorted { $0.entityID < $1.entityID } }) {
            snapshots.append(await recorder.snapshot())
        }
        return snapshots
    }

    /// Returns once every running recorder has processed the events it
    /// accepted before the call.
    public func flush() {
        loop.flush()
    }

    /// Returns once every running recorder has processed the events it
    /// accepted before the call, without blocking a task's thread.
    public func flush() async {
        await loop.flush()
    }

    // MARK: Validation

    private func notFound(_ name: String) -> MetricsError {
        let names = recorderEntityIDs
        return MetricsError(
            .recorderNotFound,
            "runtime \"\(configuration.name)\" has no recorder named \"\(name)\"; it has \(names.isEmpty ? "none" : names.joined(separator: ", "))"
        )
    }

    static func validateRecorderName(_ name: String) throws(MetricsError) {
        guard !name.isEmpty, name.utf8.count <= 200,
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw MetricsError(
                .invalidName,
                "invalid recorder name \(MetricNaming.quoted(name)): use 1 to 200 bytes without control characters (e.g. \"document-storage\")"
            )
        }
    }

    static func laneCapacity(_ requested: Int) throws(MetricsError) -> Int {
        guard (1...maximumCapacity).contains(requested) else {
            throw MetricsError(
                .invalidConfiguration,
                "a recorder's capacity must be between 1 and \(maximumCapacity), got \(requested)")
        }
        var capacity = 1
        while capacity < requested { capacity <<= 1 }
        return capacity
    }
}
