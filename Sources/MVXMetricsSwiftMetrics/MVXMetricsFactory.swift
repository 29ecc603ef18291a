import CoreMetrics
import MVXMetrics

/// A swift-metrics backend that turns the calls of libraries instrumented with
/// swift-metrics (NIO, Hummingbird, Vapor, …) into MVX events, so one MVX
/// snapshot shows both worlds.
///
/// It registers four metrics in the recorder it is given, and every
/// swift-metrics instrument becomes a dimension of one of them, named after the
/// instrument's label (made a valid dimension name: `hb.requests` →
/// `hb_requests`) with the instrument's dimensions as labels:
///
/// | swift-metrics | MVX metric (with the default prefix) | dimension value |
/// | --- | --- | --- |
/// | `Counter`, `FloatingPointCounter` | `swift_metrics.counters` | counter, floating sum |
/// | `Gauge`, `Meter`, `Recorder(aggregate: false)` | `swift_metrics.gauges` | gauge |
/// | `Recorder` | `swift_metrics.recorders` | distribution |
/// | `Timer` | `swift_metrics.timers` | distribution in seconds |
///
/// Exporters name each series after its instrument alone
/// (`MetricSnapshot.Naming.dimension`), so what a library reports keeps the
/// name it gave it: Hummingbird's `http.server.request.duration` timer is
/// `http_server_request_duration_seconds` in Prometheus, its `hb.requests`
/// counter `hb_requests_total`, with labels such as `http_route` and
/// `http_request_method`; the four metrics' names (and `metricNamePrefix`)
/// only find them in a snapshot.
///
/// Each call records one small event into the recorder and returns; with a
/// queued recorder it costs a few tens of nanoseconds and never blocks.
/// Destroying an instrument keeps its series (values do not vanish from
/// snapshots).
///
/// ```swift
/// let recorder = try runtime.makeRecorder(entityID: "swift-metrics")
/// let factory = try MVXMetricsFactory(recorder: recorder)
/// MetricsSystem.bootstrap(factory)          // or withMetricsFactory(factory) { … }
/// ```
public final class MVXMetricsFactory: MetricsFactory, Sendable {
    /// The recorder the events go to.
    public let recorder: any RegisteringMetricsRecorder
    private let catalog = SwiftMetricsSeriesCatalog()

    /// Buckets for aggregating recorders by default: 1 to 10,000,000 in
    /// factors of ten.
    public static let defaultValueBuckets = try! HistogramBuckets.exponential(start: 1, factor: 10, count: 8)

    /// Creates a backend that records into `recorder`, registering its four
    /// metrics there.
    ///
    /// - Parameters:
    ///   - recorder: the recorder that receives the events and holds the metrics.
    ///   - metricNamePrefix: the first part of the four metric names, which
    ///     snapshots are read by; exported names do not contain it.
    ///   - valueBuckets: the histogram buckets of aggregating recorders.
    ///   - durationBuckets: the histogram buckets of timers, in seconds.
    /// - Throws: `MetricsError` if the prefix makes invalid names
    ///   or the metrics are already registered.
    public init(
        recorder: some RegisteringMetricsRecorder, metricNamePrefix: String = "swift_metrics",
        valueBuckets: HistogramBuckets = MVXMetricsFactory.defaultValueBuckets,
        durationBuckets: HistogramBuckets = .durations
    ) throws(MetricsError) {
        self.recorder = recorder
        try recorder.register(SwiftMetricsCountersMetric(name: metricNamePrefix + ".counters", catalog: catalog))
        try recorder.register(SwiftMetricsGaugesMetric(name: metricNamePrefix + ".gauges", catalog: catalog))
        try recorder.register(
            SwiftMetricsDistributionsMetric(
                name: metricNamePrefix + ".recorders", help: "Values recorded through swift-metrics.", catalog: catalog,
                group: .recorders, buckets: valueBuckets, unit: nil))
        try recorder.register(
            SwiftMetricsDistributionsMetric(
                name: metricNamePrefix + ".timers", help: "Durations timed through swift-metrics.", catalog: catalog,
                group: .timers, buckets: durationBuckets, unit: .seconds))
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> CounterHandler {
        MVXCounterHandler(
            series: catalog.series(.counter, label: label, dimensions: dimensions), recorder: recorder, floating: false)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> FloatingPointCounterHandler {
        MVXCounterHandler(
            series: catalog.series(.floatingCounter, label: label, dimensions: dimensions), recorder: recorder,
            floating: true)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> MeterHandler {
        MVXMeterHandler(series: catalog.series(.gauge, label: label, dimensions: dimensions), recorder: recorder)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> RecorderHandler {
        MVXRecorderHandler(
            series: catalog.series(aggregate ? .recorder : .gauge, label: label, dimensions: dimensions),
            recorder: recorder, aggregate: aggregate)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> TimerHandler {
        MVXTimerHandler(series: catalog.series(.timer, label: label, dimensions: dimensions), recorder: recorder)
    }

    // A destroyed instrument keeps its series: its values stay in snapshots.
    public func destroyCounter(_ handler: CounterHandler) {}
    public func destroyFloatingPointCounter(_ handler: FloatingPointCounterHandler) {}
    public func destroyMeter(_ handler: MeterHandler) {}
    public func destroyRecorder(_ handler: RecorderHandler) {}
    public func destroyTimer(_ handler: TimerHandler) {}
}
