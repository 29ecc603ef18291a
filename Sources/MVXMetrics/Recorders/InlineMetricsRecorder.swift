import Logging
import MVXMetricsLocking
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A recorder that processes each event on the caller's thread, under a lock.
///
/// Safe from any thread and deterministic: when ``record(_:)`` returns, every
/// metric that accepts the event has applied it. That makes it the recorder for
/// tests, command-line tools and code whose events are rare. For hot paths in
/// servers, use a ``QueuedMetricsRecorder`` from a ``MetricsRuntime``, which
/// hands events off in nanoseconds and processes them on its own thread.
///
/// ```swift
/// let recorder = InlineMetricsRecorder(entityID: "document-storage")
/// try recorder.register(
///     OutcomeMetric("document_storage.save.attempts", of: DocumentSaveAttempt.self, outcome: \.outcome))
/// recorder.record(DocumentSaveAttempt(outcome: .success))
/// recorder.snapshot()["document_storage.save.attempts"]?.count("success_total")  // 1
/// ```
public final class InlineMetricsRecorder: RegisteringMetricsRecorder {
    /// The measured entity or scope this recorder reports for.
    public let entityID: String
    /// The labels every series of this recorder carries in every exporter.
    public let commonLabels: [String: String]
    /// When the recorder was created, to the millisecond: the start of every
    /// total it counts (``RecorderSnapshot/startedAt``).
    public let startedAt = Timestamp.truncatedToMilliseconds(Date())
    private let registry: LockedValue<MetricRegistry>
    private let hooks: [any RecorderHook]
    private let hookFailures = Atomic<UInt64>(0)
    private let diagnostics: Diagnostics

    /// Creates a recorder with no metrics.
    ///
    /// - Parameters:
    ///   - entityID: the measured entity or scope, such as `document-storage`;
    ///     exporters attach it to every series.
    ///   - commonLabels: labels every series of the recorder carries in every
    ///     exporter (``MetricsRuntime/Configuration/commonLabels``); none by default.
    ///   - hooks: observers told of every metric change, on the recording
    ///     thread, after the recorder's lock is released. Start and stop
    ///     notifications do not apply: an inline recorder has no lifecycle.
    ///   - logger: where handler and hook failures are logged, if anywhere.
    ///   - logMode: how much is logged.
    public init(
        entityID: String = "default", commonLabels: [String: String] = [:], hooks: [any RecorderHook] = [],
        logger: Logger? = nil, logMode: MetricsLogMode = .normal
    ) {
        self.entityID = entityID
        self.commonLabels = commonLabels
        self.hooks = hooks
        self.diagnostics = Diagnostics(logger: logger, mode: logMode, metadata: ["recorder": "\(entityID)"])
        self.registry = LockedValue(MetricRegistry(entityID: entityID, diagnostics: diagnostics))
    }

    /// Registers `metric`; events recorded from now on reach it.
    ///
    /// - Throws: ``MetricsError`` with code ``MetricsError/Code/invalidName``,
    ///   ``MetricsError/Code/duplicateMetricName``,
    ///   ``MetricsError/Code/conflictingEventType``,
    ///   ``MetricsError/Code/metricAcceptsNoEvents`` or
    ///   ``MetricsError/Code/invalidConfiguration``. On error the recorder is unchanged.
    public func register<M: Metric>(_ metric: M) throws(MetricsError) {
        let box = MetricBox(metric)
        let declared = unsafe RouteBinding.bindings(of: box)
        unsafe try register(box, bindings: declared.routes, readsAtSnapshot: declared.readsAtSnapshot)
    }

    private func register(
        _ box: any AnyMetricBox, bindings: [RouteBinding], readsAtSnapshot: Bool
    ) throws(MetricsError) {
        try registry.withLock { registry throws(MetricsError) in
            unsafe try registry.register(box, bindings: bindings, readsAtSnapshot: readsAtSnapshot)
        }
    }

    /// Applies `event` to every metric that accepts its type before returning.
    @inlinable
    @discardableResult
    public func record<Event: MetricEvent>(_ event: Event) -> RecordResult {
        unsafe withUnsafePointer(to: event) { unsafe record(UnsafeRawPointer($0), type: Event.self) }
    }

    /// Processes the event at `event`, of type `type`; not generic, so it
    /// runs without generic type metadata.
    @usableFromInline
    func record(_ event: UnsafeRawPointer, type: any MetricEvent.Type) -> RecordResult {
        if hooks.isEmpty {
            registry.withLock { registry in
                unsafe registry.statistics.accepted &+= 1
                unsafe registry.process(event, type: type) { _ in }
            }
            return .recorded
        }
        let changed = registry.withLock { registry in
            unsafe registry.statistics.accepted &+= 1
            var names: [String] = []
            unsafe registry.process(event, type: type) { names.append(registry.metricName(at: $0)) }
            return names
        }
        guard !changed.isEmpty else { return .recorded }
        let boxed = unsafe Self.box(type, event)
        for name in changed {
            let change = MetricChange(entityID: entityID, metricName: name, event: boxed)
            for hook in hooks {
                do {
                    try hook.metricChanged(change)
                } catch {
                    hookFailures.add(1, ordering: .relaxed)
                    diagnostics.log(.error, "hook failed", ["metric": "\(name)", "error": "\(error)"])
                }
            }
        }
        return .recorded
    }

    private static func box<Event: MetricEvent>(_ type: Event.Type, _ event: UnsafeRawPointer) -> any MetricEvent {
        unsafe event.assumingMemoryBound(to: Event.self).pointee
    }

    /// Every metric's snapshot and the recorder's statistics, taken atomically.
    public func snapshot() -> RecorderSnapshot {
        var (metrics, statistics) = registry.withLock { unsafe ($0.metricSnapshots(), $0.statistics) }
        statistics.hookFailures = hookFailures.load(ordering: .relaxed)
        return RecorderSnapshot(
            entityID: entityID, startedAt: startedAt, takenAt: Date(), commonLabels: commonLabels, metrics: metrics,
            statistics: statistics)
    }

    /// The snapshot of one metric, or `nil` if none has that name.
    public func snapshot(metric name: String) -> MetricSnapshot? {
        registry.withLock { $0.snapshot(metric: name) }
    }

    /// The recorder's statistics now.
    public var statistics: RecorderStatistics {
        var statistics = registry.withLock { unsafe $0.statistics }
        statistics.hookFailures = hookFailures.load(ordering: .relaxed)
        return statistics
    }

    /// The names of the registered metrics, sorted.
    public var metricNames: [String] {
        registry.withLock { $0.metricNames }
    }

    /// The names of the metrics that accept events of type `eventType`, in
    /// registration order; empty if no metric does.
    public func consumers(of eventType: any MetricEvent.Type) -> [String] {
        registry.withLock { $0.consumers(of: eventType) }
    }

    /// Every routed event type, with the metrics that accept it.
    public var routing: [String: [String]] {
        registry.withLock { $0.routing }
    }

    /// Event types that were recorded while no metric accepted them, sorted:
    /// usually a metric that was never registered.
    public var unroutedEventTypes: [String] {
        registry.withLock { $0.unroutedEventTypes }
    }
}
