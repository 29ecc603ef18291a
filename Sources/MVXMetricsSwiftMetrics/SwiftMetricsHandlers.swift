import CoreMetrics
import MVXMetrics

// The handlers the backend gives swift-metrics: each turns calls into facts
// for one series, recorded into the backend's recorder.

final class MVXCounterHandler: CounterHandler, FloatingPointCounterHandler, Sendable {
    let series: UInt32
    let recorder: any MetricsRecorder
    let floating: Bool

    init(series: UInt32, recorder: any MetricsRecorder, floating: Bool) {
        self.series = series
        self.recorder = recorder
        self.floating = floating
    }

    func increment(by amount: Int64) {
        recorder.record(SwiftMetricsCounted(series: series, amount: amount))
    }

    func increment(by amount: Double) {
        recorder.record(SwiftMetricsFloatingCounted(series: series, amount: amount))
    }

    func reset() {
        recorder.record(SwiftMetricsCounterReset(series: series))
    }
}

final class MVXMeterHandler: MeterHandler, Sendable {
    let series: UInt32
    let recorder: any MetricsRecorder

    init(series: UInt32, recorder: any MetricsRecorder) {
        self.series = series
        self.recorder = recorder
    }

    func set(_ value: Int64) { set(Double(value)) }

    func set(_ value: Double) {
        recorder.record(SwiftMetricsGaugeSet(series: series, value: value))
    }

    func increment(by amount: Double) {
        // As swift-metrics' own test kit does: a negative or non-finite amount is dropped.
        guard amount >= 0, amount.isFinite else { return }
        recorder.record(SwiftMetricsMeterAdjusted(series: series, delta: amount))
    }

    func decrement(by amount: Double) {
        guard amount >= 0, amount.isFinite else { return }
        recorder.record(SwiftMetricsMeterAdjusted(series: series, delta: -amount))
    }
}

final class MVXRecorderHandler: RecorderHandler, Sendable {
    let series: UInt32
    let recorder: any MetricsRecorder
    let aggregate: Bool

    init(series: UInt32, recorder: any MetricsRecorder, aggregate: Bool) {
        self.series = series
        self.recorder = recorder
        self.aggregate = aggregate
    }

    func record(_ value: Int64) { record(Double(value)) }

    func record(_ value: Double) {
        if aggregate {
            recorder.record(SwiftMetricsValueRecorded(series: series, value: value))
        } else {
            recorder.record(SwiftMetricsGaugeSet(series: series, value: value))
        }
    }
}

final class MVXTimerHandler: TimerHandler, Sendable {
    let series: UInt32
    let recorder: any MetricsRecorder

    init(series: UInt32, recorder: any MetricsRecorder) {
        self.series = series
        self.recorder = recorder
    }

    func recordNanoseconds(_ duration: Int64) {
        recorder.record(SwiftMetricsDurationRecorded(series: series, nanoseconds: duration))
    }
}
