import CoreMetrics
import MVXMetrics
import MVXMetricsExportSupport
import MVXMetricsLocking
import ServiceLifecycle

/// Mirrors MVX dimensions into swift-metrics instruments, so whatever backend
/// the application bootstrapped (swift-prometheus, swift-otel, StatsD…)
/// receives MVX metrics.
///
/// Run it as a `Service` in your `ServiceGroup`: every `interval`, and once
/// more on graceful shutdown, it takes the recorders' snapshots and updates
/// the instruments with what changed since the last export:
///
/// | MVX dimension | swift-metrics instrument |
/// | --- | --- |
/// | counter | `Counter`, incremented by the growth since the last export |
/// | floating sum | `FloatingPointCounter`, likewise |
/// | gauge | `Gauge`, recorded when it changes |
/// | distribution in seconds | `Timer` preferring `.seconds` for display, one recording per new observation |
/// | other distribution | `Recorder` (aggregating), one recording per new observation |
///
/// An instrument's label is the metric name, followed by `.` and the
/// dimension name unless that is `total`, `value` or `distribution`
/// (`document_storage.save.attempts.success_total`). Its dimensions are the
/// MVX labels plus the recorder's entity id (`entity_id`) and common labels.
///
/// New observations of a distribution are rebuilt from its bucket counts:
/// each is recorded at its bucket's upper bound (or the observed maximum), so
/// a backend with the same buckets counts it in the same bucket; counts are
/// exact, values exact to the bucket.
///
/// ```swift
/// let exporter = SwiftMetricsExporter(runtime: runtime, factory: MetricsSystem.factory)
/// // ServiceGroup(services: [exporter, MetricsRuntimeService(runtime: runtime), app], ...)
/// // (first in the group: it stops last, and its final export has everything)
/// ```
public final class SwiftMetricsExporter: Service, Sendable {
    private let interval: Duration
    private let snapshots: @Sendable () async -> [RecorderSnapshot]
    private let mirror: InstrumentMirror

    /// Creates an exporter of whatever `snapshots` returns at each export.
    ///
    /// - Parameters:
    ///   - factory: the swift-metrics backend the instruments are made by.
    ///   - interval: how often ``run()`` exports.
    ///   - entityLabel: the dimension that carries each recorder's entity id.
    ///   - snapshots: what to export, read at each export.
    public init(
        factory: any MetricsFactory, interval: Duration = .seconds(1), entityLabel: String = "entity_id",
        snapshots: @escaping @Sendable () async -> [RecorderSnapshot]
    ) {
        self.interval = interval
        self.snapshots = snapshots
        mirror = InstrumentMirror(factory: factory, entityLabel: entityLabel)
    }

    /// Creates an exporter of every recorder of `runtime`, each export taken
    /// after a flush, so it has every event recorded before it.
    public convenience init(
        runtime: MetricsRuntime, factory: any MetricsFactory, interval: Duration = .seconds(1),
        entityLabel: String = "entity_id"
    ) {
        self.init(factory: factory, interval: interval, entityLabel: entityLabel) {
            await runtime.flushedSnapshot()
        }
    }

    /// Mirrors what changed since the last export, now. ``run()`` calls it on
    /// its interval; call it yourself only while ``run()`` is not running,
    /// since two exports at once could count one growth twice.
    public func export() async {
        mirror.apply(ExportedMetric.all(in: await snapshots()))
    }

    /// Exports every `interval` until graceful shutdown, then once more, so
    /// the backend gets the final state; on cancellation it returns at once.
    public func run() async throws {
        await PeriodicExport.run(every: interval) { await self.export() }
    }
}

/// The swift-metrics instruments an exporter made, and what it last sent.
final class InstrumentMirror: Sendable {
    private let factory: any MetricsFactory
    private let entityLabel: String
    private let state = LockedValue(State())

    private struct State {
        var tracker = DeltaTracker()
        var counters: [InstrumentKey: Counter] = [:]
        var floatingCounters: [InstrumentKey: FloatingPointCounter] = [:]
        var gauges: [InstrumentKey: Gauge] = [:]
        var recorders: [InstrumentKey: Recorder] = [:]
        var timers: [InstrumentKey: CoreMetrics.Timer] = [:]
    }

    private struct InstrumentKey: Hashable {
        let label: String
        let dimensions: [String]
    }

    init(factory: any MetricsFactory, entityLabel: String) {
        self.factory = factory
        self.entityLabel = entityLabel
    }

    /// The instrument label for a dimension of a metric.
    static func label(metric: String, dimension: String) -> String {
        ["total", "value", "distribution"].contains(dimension) ? metric : metric + "." + dimension
    }

    func apply(_ changed: [ExportedMetric]) {
        state.withLock { state in
            for metric in changed {
                for dimension in metric.snapshot.dimensions {
                    apply(
                        dimension, of: metric.snapshot.name, entityID: metric.entityID,
                        commonLabels: metric.commonLabels, to: &state)
                }
            }
        }
    }

    /// A dimension's labels, then the entity label, then the common labels:
    /// each only if no earlier one has its name.
    private func apply(
        _ dimension: MetricDimension, of metric: String, entityID: String, commonLabels: [String: String],
        to state: inout State
    ) {
        let series = SeriesKey(entityID: entityID, metric: metric, dimension: dimension)
        var dimensions = dimension.labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if dimension.labels[entityLabel] == nil { dimensions.append((entityLabel, entityID)) }
        for (name, value) in commonLabels.sorted(by: { $0.key < $1.key })
        where dimension.labels[name] == nil && name != entityLabel {
            dimensions.append((name, value))
        }
        let key = InstrumentKey(
            label: Self.label(metric: metric, dimension: dimension.name),
            dimensions: dimensions.map { "\($0.0)=\($0.1)" })
        switch dimension.value {
        case .counter(let value):
            let delta = state.tracker.counterDelta(series, value)
            guard delta > 0 else { return }
            let counter = state.counters[key] ?? Counter(label: key.label, dimensions: dimensions, factory: factory)
            state.counters[key] = counter
            counter.increment(by: Int64(clamping: delta))
        case .sum(let value):
            let delta = state.tracker.sumDelta(series, value)
            guard delta > 0 else { return }
            let counter =
                state.floatingCounters[key]
                ?? FloatingPointCounter(label: key.label, dimensions: dimensions, factory: factory)
            state.floatingCounters[key] = counter
            counter.increment(by: delta)
        case .gauge(let value):
            // An unset gauge makes no swift-metrics gauge until it is set.
            guard let value, state.tracker.gaugeChanged(series, value) else { return }
            let gauge = state.gauges[key] ?? Gauge(label: key.label, dimensions: dimensions, factory: factory)
            state.gauges[key] = gauge
            gauge.record(value)
        case .distribution(let distribution):
            let observations = state.tracker.newObservations(series, distribution)
            guard !observations.isEmpty else { return }
            if dimension.unit == .seconds {
                // Seconds are what the snapshot says: backends that present
                // timers in a unit of their choice are asked for that one.
                let timer =
                    state.timers[key]
                    ?? CoreMetrics.Timer(
                        label: key.label, dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
                state.timers[key] = timer
                for (value, count) in observations {
                    let nanoseconds = Int64((value * 1e9).rounded())
                    for _ in 0..<count { timer.recordNanoseconds(nanoseconds) }
                }
            } else {
                let recorder =
                    state.recorders[key]
                    ?? Recorder(label: key.label, dimensions: dimensions, aggregate: true, factory: factory)
                state.recorders[key] = recorder
                for (value, count) in observations {
                    for _ in 0..<count { recorder.record(value) }
                }
            }
        }
    }
}
