/// Something exporters can ask for a metric's current snapshot: a
/// ``MetricsRuntime`` (any of its recorders), or one recorder.
///
/// Exporters that are told a metric changed (hooks) read its new state here,
/// later and on their own thread, rather than on the processing path.
public protocol MetricsSnapshotSource: Sendable {
    /// The snapshot of `metric` in the recorder with entity id `entityID`, or
    /// `nil` if there is no such recorder or metric.
    func snapshot(entityID: String, metric: String) -> MetricSnapshot?
}

extension MetricsRuntime: MetricsSnapshotSource {
    /// The snapshot of `metric` in the recorder named `entityID`, or `nil`.
    public func snapshot(entityID: String, metric: String) -> MetricSnapshot? {
        findRecorder(named: entityID)?.snapshot(metric: metric)
    }
}
