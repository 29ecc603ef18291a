import MVXMetrics

/// A metric to export: its snapshot, and its recorder's entity id and common
/// labels, which every exporter adds to the metric's series.
package struct ExportedMetric: Sendable {
    package var entityID: String
    package var snapshot: MetricSnapshot
    package var commonLabels: [String: String]

    /// Every metric of `snapshots`, recorder by recorder, in their order.
    package static func all(in snapshots: [RecorderSnapshot]) -> [ExportedMetric] {
        snapshots.flatMap { recorder in
            recorder.metrics.map {
                ExportedMetric(entityID: recorder.entityID, snapshot: $0, commonLabels: recorder.commonLabels)
            }
        }
    }
}
