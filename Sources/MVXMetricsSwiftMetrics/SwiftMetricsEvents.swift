import MVXMetrics

// The facts the swift-metrics backend records: one per handler call, naming
// the series by a number the catalog assigned, so they stay two words long.

/// `Counter.increment(by:)`.
struct SwiftMetricsCounted: MetricEvent {
    static let eventType = "swift_metrics.counter.incremented"
    var series: UInt32
    var amount: Int64
}

/// `FloatingPointCounter.increment(by:)`.
struct SwiftMetricsFloatingCounted: MetricEvent {
    static let eventType = "swift_metrics.floating_counter.incremented"
    var series: UInt32
    var amount: Double
}

/// `Counter.reset()` and `FloatingPointCounter.reset()`.
struct SwiftMetricsCounterReset: MetricEvent {
    static let eventType = "swift_metrics.counter.reset"
    var series: UInt32
}

/// `Gauge.record(_:)`, `Meter.set(_:)`, and a non-aggregating `Recorder`.
struct SwiftMetricsGaugeSet: MetricEvent {
    static let eventType = "swift_metrics.gauge.set"
    var series: UInt32
    var value: Double
}

/// `Meter.increment(by:)` and `Meter.decrement(by:)`.
struct SwiftMetricsMeterAdjusted: MetricEvent {
    static let eventType = "swift_metrics.meter.adjusted"
    var series: UInt32
    var delta: Double
}

/// An aggregating `Recorder.record(_:)`.
struct SwiftMetricsValueRecorded: MetricEvent {
    static let eventType = "swift_metrics.value.recorded"
    var series: UInt32
    var value: Double
}

/// `Timer.recordNanoseconds(_:)`.
struct SwiftMetricsDurationRecorded: MetricEvent {
    static let eventType = "swift_metrics.duration.recorded"
    var series: UInt32
    var nanoseconds: Int64
}
