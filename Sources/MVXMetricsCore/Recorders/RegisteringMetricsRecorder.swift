/// A recorder that owns metrics: you register them, and read their snapshots.
///
/// `InlineMetricsRecorder` and `QueuedMetricsRecorder` conform, and so does
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
public protocol RegisteringMetricsRecorder: MetricsRecorder {
    /// The recorder's entity id.
    var entityID: String { get }

    /// The labels every series of the recorder carries in every exporter.
    var commonLabels: [String: String] { get }

    /// Registers `metric`; see `InlineMetricsRecorder.register(_:)` for the errors.
    func register<M: Metric>(_ metric: M) throws(MetricsError)

    /// Every metric's snapshot and the recorder's statistics.
    func snapshot() -> RecorderSnapshot

    /// One metric's snapshot, or `nil`.
    func snapshot(metric name: String) -> MetricSnapshot?
}
