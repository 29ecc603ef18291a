import MVXMetrics
import ServiceLifecycle

/// The one loop every exporter service runs: export on an interval until
/// graceful shutdown, then once more, so the backend gets the final state.
package enum PeriodicExport {
    /// Calls `export` every `interval` until graceful shutdown, then once
    /// more; on cancellation it returns at once, without the last export.
    package static func run(every interval: Duration, _ export: @escaping @Sendable () async -> Void) async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                await export()
            }
        }
        guard !Task.isCancelled else { return }
        await export()
    }
}

extension MetricsRuntime {
    /// Every recorder's snapshot, taken after a flush so it has every event
    /// recorded before the call: what an exporter of the runtime sends.
    package func flushedSnapshot() async -> [RecorderSnapshot] {
        await flush()
        return await snapshot()
    }
}
