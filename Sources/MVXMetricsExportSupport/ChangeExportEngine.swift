import Foundation
import MVXMetrics
import MVXMetricsLocking

/// A metric to export: its snapshot, and the recorder's entity id and common labels.
package struct ChangedMetric: Sendable {
    package var entityID: String
    package var snapshot: MetricSnapshot
    package var commonLabels: [String: String]
}

/// The machinery an exporter hook shares: remember which metrics changed (on
/// the processing thread, cheaply), and export their new state on a thread of
/// the exporter's own, every interval, and at once when a recorder stops.
///
/// Exporting never runs on the recording or processing path: a slow network
/// or backend delays only this thread.
package final class ChangeExportEngine: Sendable {
    private let source: any MetricsSnapshotSource
    private let interval: Duration
    private let export: @Sendable ([ChangedMetric]) -> Void
    private let dirty = LockedValue<Set<MetricKey>>([])
    /// Serialises exports, so deltas are computed in order.
    private let exporting = LockedValue(())
    private let wakeup = ConditionLock(State())
    private let name: String

    private struct State {
        var started = false
        var stopped = false
        var flushRequested = false
    }

    /// Creates an engine that reads snapshots from `source` and hands changed
    /// metrics to `export`.
    package init(
        name: String, source: any MetricsSnapshotSource, interval: Duration,
        export: @escaping @Sendable ([ChangedMetric]) -> Void
    ) {
        self.name = name
        self.source = source
        self.interval = interval
        self.export = export
    }

    deinit {
        wakeup.withLockBroadcasting { $0.stopped = true }
    }

    /// Notes that `metric` of `entityID` changed; called by the hook on the
    /// processing thread.
    package func markChanged(entityID: String, metric: String) {
        _ = dirty.withLock { $0.insert(MetricKey(entityID: entityID, metric: metric)) }
    }

    /// Starts the export thread, once.
    package func start() {
        let start = wakeup.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started && !state.stopped
        }
        guard start else { return }
        let thread = Thread { [weak self] in
            while let engine = self, engine.waitForTick() {
                engine.exportChanged(entityID: nil)
            }
        }
        thread.name = name
        thread.start()
    }

    /// Stops the export thread after a last export.
    package func stop() {
        exportChanged(entityID: nil)
        wakeup.withLockBroadcasting { $0.stopped = true }
    }

    /// Exports every changed metric now (of one recorder, or of all).
    package func exportChanged(entityID: String?) {
        exporting.withLock { _ in
            let keys = dirty.withLock { dirty -> [MetricKey] in
                let selected = dirty.filter { entityID == nil || $0.entityID == entityID }
                dirty.subtract(selected)
                return selected.sorted { ($0.entityID, $0.metric) < ($1.entityID, $1.metric) }
            }
            guard !keys.isEmpty else { return }
            let snapshots = keys.compactMap { key in
                source.snapshot(entityID: key.entityID, metric: key.metric).map {
                    ChangedMetric(
                        entityID: key.entityID, snapshot: $0,
                        commonLabels: source.commonLabels(entityID: key.entityID))
                }
            }
            export(snapshots)
        }
    }

    /// Exports every metric of `snapshot` now, changed or not (deltas of zero send nothing).
    package func exportAll(_ snapshot: RecorderSnapshot) {
        exporting.withLock { _ in
            export(
                snapshot.metrics.map {
                    ChangedMetric(entityID: snapshot.entityID, snapshot: $0, commonLabels: snapshot.commonLabels)
                })
        }
    }

    /// Waits one interval; false once stopped.
    private func waitForTick() -> Bool {
        let nanoseconds =
            Int64(interval.components.seconds) * 1_000_000_000
            + Int64(interval.components.attoseconds / 1_000_000_000)
        let stopped = wakeup.wait(timeoutNanoseconds: max(1_000_000, nanoseconds)) { state in
            state.stopped ? true : nil
        }
        return stopped == nil
    }
}
