import MVXMetrics
import MVXMetricsLocking

/// The test recorder's own hook: keeps every change in order and hands each
/// to the streams of `changes(bufferingNewest:)`.
final class ChangeLog: RecorderHook {
    let broadcaster = ChangeBroadcaster()
    private let changes = LockedValue<[MetricChange]>([])

    func metricChanged(_ change: MetricChange) {
        changes.withLock { $0.append(change) }
        if broadcaster.hasSubscribers { broadcaster.publish(change) }
    }

    var all: [MetricChange] { changes.withLock { $0 } }

    func clear() { changes.withLock { $0.removeAll() } }
}
