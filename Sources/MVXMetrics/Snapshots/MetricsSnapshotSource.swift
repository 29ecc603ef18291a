/// Something exporters can ask for a metric's current snapshot: a
/// ``MetricsRuntime`` (any of its recorders), or one recorder.
///
/// Exporters that are told a metric changed (hooks) read its new state here,
/// later and on their own thread, rather than on the processing path.
public protocol MetricsSnapshotSource: Sendable {
    /// The snapshot of `metric` in the recorder with entity id `entityID`, or
    /// `nil` if there is no such recorder or metric.
    func snapshot(entityID: String, metric: String) -> MetricSnapshot?

    /// The labels every series of the recorder with entity id `entityID`
    /// carries (``RecorderSnapshot/commonLabels``): exporters that read one
    /// metric at a time add them as they would from a whole snapshot.
    func commonLabels(entityID: String) -> [String: String]
}

extension MetricsSnapshotSource {
    /// None: a source that has no common labels need not say so.
    public func commonLabels(entityID: String) -> [String: String] { [:] }
}

extension MetricsRuntime: MetricsSnapshotSource {
    /// The snapshot of `metric` in the recorder named `entityID`, or `nil`.
    public func snapshot(entityID: String, metric: String) -> MetricSnapshot? {
        findRecorder(entityID: entityID)?.snapshot(metric: metric)
    }

    /// The common labels of the recorder named `entityID`: the
    /// configuration's, or none if there is no such recorder.
    public func commonLabels(entityID: String) -> [String: String] {
        findRecorder(entityID: entityID)?.commonLabels ?? [:]
    }
}
