/// A recorder that owns metrics: you register them, and read their snapshots.
///
/// ``InlineMetricsRecorder`` and ``QueuedMetricsRecorder`` conform, and so does
/// the test kit's recorder. Code that sets up metrics (a component's
/// `registerMetrics(in:)`, a bridge) can take any of them:
///
/// ```swift
/// func registerStorageMetrics(in recorder: some RegisteringMetricsRecorder) throws {
///     for metric in try DocumentStorageMetrics.all() { try recorder.register(metric) }
/// }
/// ```
///
/// Production code that only emits should depend on ``MetricsRecorder``.
public protocol RegisteringMetricsRecorder: MetricsRecorder, MetricsSnapshotSource {
    /// The recorder's entity id.
    var entityID: String { get }

    /// The labels every series of the recorder carries in every exporter.
    var commonLabels: [String: String] { get }

    /// Registers `metric`; see ``InlineMetricsRecorder/register(_:)`` for the errors.
    func register<M: Metric>(_ metric: M) throws(MetricsError)

    /// Every metric's snapshot and the recorder's statistics.
    func snapshot() -> RecorderSnapshot

    /// One metric's snapshot, or `nil`.
    func snapshot(metric name: String) -> MetricSnapshot?
}

extension RegisteringMetricsRecorder {
    /// This recorder's metric named `metric`, if `entityID` is this recorder's.
    public func snapshot(entityID: String, metric: String) -> MetricSnapshot? {
        entityID == self.entityID ? snapshot(metric: metric) : nil
    }

    /// This recorder's common labels, if `entityID` is this recorder's.
    public func commonLabels(entityID: String) -> [String: String] {
        entityID == self.entityID ? commonLabels : [:]
    }
}
