import MVXMetrics
import MVXMetricsLocking

/// A recorder for your own tests: it keeps every event it is handed, applies
/// them to registered metrics at once (like ``InlineMetricsRecorder``), and
/// offers readable expectations on the result.
///
/// Inject it where production code takes a ``MetricsRecorder``; there is no
/// global state, so tests can run in parallel.
///
/// ```swift
/// @Test func savesAreCounted() throws {
///     let probe = TestMetricsRecorder()
///     try probe.register(DocumentSaveAttemptsMetric())
///     let storage = DocumentStorage(directory: folder, metrics: probe)
///     try storage.saveDocument(named: "a.txt", content: [1, 2, 3])
///
///     try probe.expect("document_storage.save.attempts", "success_total", count: 1)
///     #expect(probe.events(of: DocumentSaveAttempt.self).map(\.outcome) == [.success])
/// }
/// ```
///
/// Events are values, so the captured ones can be replayed into another
/// recorder to rebuild its snapshots deterministically (``replay(into:)``).
///
/// Code that observes metrics (a ``RecorderHook``, a loop over
/// ``changes(bufferingNewest:)``) is tested the same way: give the hooks to
/// the initializer, and ``stop()`` the recorder to tell them it stopped and
/// end the streams.
public final class TestMetricsRecorder: RegisteringMetricsRecorder {
    private let inline: InlineMetricsRecorder
    private let captured = LockedValue<[any MetricEvent]>([])
    private let changeLog = ChangeLog()
    private let hooks: [any RecorderHook]
    private let lifecycle = LockedValue(Lifecycle())

    /// What the recorder adds to the inline recorder's statistics: events
    /// refused after ``stop()``, and start and stop notifications that threw.
    private struct Lifecycle {
        var stopped = false
        var refused: UInt64 = 0
        /// Those of ``refused`` some metric accepts, by event type.
        var refusedByEventType: [String: UInt64] = [:]
        var hookFailures: UInt64 = 0
    }

    /// Creates a recorder with no metrics and no events; `commonLabels` are
    /// its snapshots' (``RecorderSnapshot/commonLabels``).
    ///
    /// `hooks` are told of every change on the recording thread, as an
    /// `InlineMetricsRecorder` tells them, and that the recorder started
    /// (now) and stopped (``stop()``); a hook that throws is counted in
    /// ``RecorderStatistics/hookFailures``.
    public init(entityID: String = "test", commonLabels: [String: String] = [:], hooks: [any RecorderHook] = []) {
        self.hooks = hooks
        inline = InlineMetricsRecorder(entityID: entityID, commonLabels: commonLabels, hooks: [changeLog] + hooks)
        tellHooks { try $0.recorderStarted(entityID: entityID) }
    }

    /// The entity id of the recorder's snapshots.
    public var entityID: String { inline.entityID }

    /// The labels of the recorder's snapshots.
    public var commonLabels: [String: String] { inline.commonLabels }

    /// Registers `metric`, with the same checks as ``InlineMetricsRecorder/register(_:)``.
    public func register<M: Metric>(_ metric: M) throws(MetricsError) {
        try inline.register(metric)
    }

    /// Keeps `event` and applies it to the registered metrics; after
    /// ``stop()``, refuses it (``RecordResult/dropped``, counted as dropped).
    @discardableResult
    public func record<Event: MetricEvent>(_ event: Event) -> RecordResult {
        let refused = lifecycle.withLock { lifecycle in
            guard lifecycle.stopped else { return false }
            lifecycle.refused += 1
            if !inline.consumers(of: Event.self).isEmpty {
                lifecycle.refusedByEventType[Event.eventType, default: 0] += 1
            }
            return true
        }
        if refused { return .dropped }
        captured.withLock { $0.append(event) }
        return inline.record(event)
    }

    // MARK: Changes and lifecycle

    /// Every metric change so far, in order: what a hook was told.
    public var recordedChanges: [MetricChange] { changeLog.all }

    /// An asynchronous sequence of the change of every event recorded after
    /// it returns, as `QueuedMetricsRecorder.changes(bufferingNewest:)` gives;
    /// it ends at ``stop()``, and one asked for after that is empty.
    public func changes(bufferingNewest limit: Int = 1024) -> AsyncStream<MetricChange> {
        changeLog.broadcaster.makeStream(bufferingNewest: limit)
    }

    /// Stops the recorder as a runtime would: ends every stream of
    /// ``changes(bufferingNewest:)``, tells the hooks it stopped, and refuses
    /// the events recorded after it. A second call does nothing.
    public func stop() {
        let first = lifecycle.withLock { lifecycle in
            defer { lifecycle.stopped = true }
            return !lifecycle.stopped
        }
        guard first else { return }
        changeLog.broadcaster.finishAll()
        tellHooks { [entityID] in try $0.recorderStopped(entityID: entityID) }
    }

    private func tellHooks(_ notify: (any RecorderHook) throws -> Void) {
        for hook in hooks {
            do { try notify(hook) } catch { lifecycle.withLock { $0.hookFailures += 1 } }
        }
    }

    // MARK: Events

    /// Every event recorded so far, in order.
    public var events: [any MetricEvent] { captured.withLock { $0 } }

    /// The events of type `type` recorded so far, in order.
    public func events<Event: MetricEvent>(of type: Event.Type) -> [Event] {
        captured.withLock { $0.compactMap { $0 as? Event } }
    }

    /// The `eventType` of every event recorded so far, in order.
    public var eventTypes: [String] { captured.withLock { $0.map(\.eventType) } }

    /// Forgets the captured events and changes; the metrics keep their state.
    public func clearEvents() {
        captured.withLock { $0.removeAll() }
        changeLog.clear()
    }

    /// Records every captured event, in order, into `recorder`.
    public func replay(into recorder: some MetricsRecorder) {
        for event in events { recorder.record(event) }
    }

    // MARK: Snapshots

    /// Every metric's snapshot and the statistics.
    public func snapshot() -> RecorderSnapshot {
        var snapshot = inline.snapshot()
        snapshot.statistics = adding(to: snapshot.statistics)
        return snapshot
    }

    /// The snapshot of one metric, or `nil`.
    public func snapshot(metric name: String) -> MetricSnapshot? { inline.snapshot(metric: name) }

    /// The recorder's statistics.
    public var statistics: RecorderStatistics { adding(to: inline.statistics) }

    private func adding(to statistics: RecorderStatistics) -> RecorderStatistics {
        var statistics = statistics
        let lifecycle = self.lifecycle.withLock { $0 }
        statistics.accepted += lifecycle.refused
        statistics.dropped += lifecycle.refused
        statistics.droppedByEventType.merge(lifecycle.refusedByEventType, uniquingKeysWith: +)
        statistics.hookFailures += lifecycle.hookFailures
        return statistics
    }

    /// The names of the metrics that accept `eventType`.
    public func consumers(of eventType: any MetricEvent.Type) -> [String] {
        inline.consumers(of: eventType)
    }

    /// Event types recorded while no metric accepted them.
    public var unroutedEventTypes: [String] { inline.unroutedEventTypes }

    /// A counter dimension's value, or `nil` if the metric or dimension is absent.
    public func count(_ metric: String, _ dimension: String, labels: [String: String] = [:]) -> UInt64? {
        snapshot(metric: metric)?.count(dimension, labels: labels)
    }

    /// A counter, sum or gauge dimension's value, or `nil`.
    public func value(_ metric: String, _ dimension: String, labels: [String: String] = [:]) -> Double? {
        snapshot(metric: metric)?.value(dimension, labels: labels)
    }

    /// A distribution dimension's value, or `nil`.
    public func distribution(
        _ metric: String, _ dimension: String, labels: [String: String] = [:]
    ) -> DistributionSnapshot? {
        snapshot(metric: metric)?.distribution(dimension, labels: labels)
    }

    // MARK: Expectations

    /// Throws a readable ``MetricExpectationFailure`` unless the counter
    /// `dimension` of `metric` is `expected`.
    public func expect(
        _ metric: String, _ dimension: String, labels: [String: String] = [:], count expected: UInt64
    ) throws(MetricExpectationFailure) {
        let actual = try dimensionValue(metric, dimension, labels)
        guard case .counter(let count) = actual, count == expected else {
            throw MetricExpectationFailure(
                "expected \(metric) \(MetricDimension(dimension, labels: labels, value: actual).key) to count \(expected), but it is \(actual.typeName) \(actual)",
                context: snapshot(metric: metric))
        }
    }

    /// Throws a readable ``MetricExpectationFailure`` unless the counter, sum or
    /// gauge `dimension` of `metric` is within `tolerance` of `expected`.
    public func expect(
        _ metric: String, _ dimension: String, labels: [String: String] = [:], value expected: Double,
        tolerance: Double = 0
    ) throws(MetricExpectationFailure) {
        let actual = try dimensionValue(metric, dimension, labels)
        guard let number = actual.number, (number - expected).magnitude <= tolerance else {
            throw MetricExpectationFailure(
                "expected \(metric) \(MetricDimension(dimension, labels: labels, value: actual).key) to be \(expected), but it is \(actual.typeName) \(actual)",
                context: snapshot(metric: metric))
        }
    }

    private func dimensionValue(
        _ metric: String, _ dimension: String, _ labels: [String: String]
    ) throws(MetricExpectationFailure) -> DimensionValue {
        guard let snapshot = snapshot(metric: metric) else {
            let names = inline.metricNames
            throw MetricExpectationFailure(
                "no metric named \(metric); registered: \(names.isEmpty ? "none" : names.joined(separator: ", "))",
                context: nil)
        }
        guard let value = snapshot[dimension, labels: labels] else {
            throw MetricExpectationFailure(
                "metric \(metric) has no dimension \(MetricDimension(dimension, labels: labels, value: .counter(0)).key)",
                context: snapshot)
        }
        return value
    }
}
