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
public final class TestMetricsRecorder: RegisteringMetricsRecorder {
    private let inline: InlineMetricsRecorder
    private let captured = LockedValue<[any MetricEvent]>([])

    /// Creates a recorder with no metrics and no events; `commonLabels` are
    /// its snapshots' (``RecorderSnapshot/commonLabels``).
    public init(entityID: String = "test", commonLabels: [String: String] = [:]) {
        inline = InlineMetricsRecorder(entityID: entityID, commonLabels: commonLabels)
    }

    /// The entity id of the recorder's snapshots.
    public var entityID: String { inline.entityID }

    /// The labels of the recorder's snapshots.
    public var commonLabels: [String: String] { inline.commonLabels }

    /// Registers `metric`, with the same checks as ``InlineMetricsRecorder/register(_:)``.
    public func register<M: Metric>(_ metric: M) throws(MetricsError) {
        try inline.register(metric)
    }

    /// Keeps `event` and applies it to the registered metrics.
    @discardableResult
    public func record<Event: MetricEvent>(_ event: Event) -> RecordResult {
        captured.withLock { $0.append(event) }
        return inline.record(event)
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

    /// Forgets the captured events; the metrics keep their state.
    public func clearEvents() { captured.withLock { $0.removeAll() } }

    /// Records every captured event, in order, into `recorder`.
    public func replay(into recorder: some MetricsRecorder) {
        for event in events { recorder.record(event) }
    }

    // MARK: Snapshots

    /// Every metric's snapshot and the statistics.
    public func snapshot() -> RecorderSnapshot { inline.snapshot() }

    /// The snapshot of one metric, or `nil`.
    public func snapshot(metric name: String) -> MetricSnapshot? { inline.snapshot(metric: name) }

    /// The recorder's statistics.
    public var statistics: RecorderStatistics { inline.statistics }

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
                "expected \(metric) \(Dimension(dimension, labels: labels, value: actual).key) to count \(expected), but it is \(actual.typeName) \(actual)",
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
                "expected \(metric) \(Dimension(dimension, labels: labels, value: actual).key) to be \(expected), but it is \(actual.typeName) \(actual)",
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
                "metric \(metric) has no dimension \(Dimension(dimension, labels: labels, value: .counter(0)).key)",
                context: snapshot)
        }
        return value
    }
}
