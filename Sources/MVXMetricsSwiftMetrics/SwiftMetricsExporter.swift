import CoreMetrics
import MVXMetrics
import MVXMetricsExportSupport
import MVXMetricsLocking

/// Mirrors MVX dimensions into swift-metrics instruments, so whatever backend
/// the application bootstrapped (swift-prometheus, swift-otel, StatsD…)
/// receives MVX metrics.
///
/// It is a `RecorderHook`: add it to the recorders to mirror. On
/// each change it only notes the metric; on a thread of its own, every
/// `interval`, and at once when a recorder stops, it reads the changed metrics'
/// snapshots and updates the instruments:
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
/// MVX labels plus the recorder's entity id (`entity_id`).
///
/// New observations of a distribution are rebuilt from its bucket counts:
/// each is recorded at its bucket's upper bound (or the observed maximum), so
/// a backend with the same buckets counts it in the same bucket; counts are
/// exact, values exact to the bucket.
///
/// ```swift
/// let exporter = SwiftMetricsExporter(source: runtime, factory: MetricsSystem.factory)
/// let recorder = try runtime.createRecorder(named: "tcp-stream", hooks: [exporter])
/// ```
public final class SwiftMetricsExporter: RecorderHook {
    private let engine: ChangeExportEngine

    /// Creates an exporter that reads snapshots from `source` (usually the
    /// runtime the recorders belong to) and mirrors them through `factory`.
    ///
    /// - Parameters:
    ///   - source: where changed metrics' snapshots are read, usually the runtime.
    ///   - factory: the swift-metrics backend the instruments are made by.
    ///   - interval: how often changed metrics are exported.
    ///   - entityLabel: the dimension that carries each recorder's entity id.
    public init(
        source: any MetricsSnapshotSource, factory: any MetricsFactory, interval: Duration = .seconds(1),
        entityLabel: String = "entity_id"
    ) {
        let mirror = InstrumentMirror(factory: factory, entityLabel: entityLabel)
        engine = ChangeExportEngine(name: "mvx-swift-metrics", source: source, interval: interval) { changed in
            mirror.apply(changed)
        }
    }

    /// Exports every changed metric now.
    public func flush() {
        engine.exportChanged(entityID: nil)
    }

    /// Mirrors every dimension of `snapshot` now: for recorders this exporter
    /// is not a hook of (an inline recorder, say).
    public func export(_ snapshot: RecorderSnapshot) {
        engine.exportAll(snapshot)
    }

    /// Stops the export thread after a last export.
    public func shutdown() {
        engine.stop()
    }

    public func metricChanged(_ change: MetricChange) throws {
        engine.markChanged(entityID: change.entityID, metric: change.metricName)
    }

    public func recorderStarted(entityID: String) throws {
        engine.start()
    }

    public func recorderStopped(entityID: String) throws {
        engine.exportChanged(entityID: entityID)
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

    func apply(_ changed: [ChangedMetric]) {
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
        _ dimension: Dimension, of metric: String, entityID: String, commonLabels: [String: String],
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
            guard state.tracker.gaugeChanged(series, value) else { return }
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
