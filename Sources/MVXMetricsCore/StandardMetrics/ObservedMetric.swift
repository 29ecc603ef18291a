/// A metric read when a snapshot is taken instead of changed by events: a
/// queue's depth, a connection pool's size, a cache's entries, bytes a socket
/// has written so far.
///
/// Emitting an event on every change of such a value would cost more than it
/// tells; reading it when someone looks costs nothing in between. The reading
/// is part of the recorder's snapshot like any other metric, so every
/// exporter (Prometheus, OTLP, StatsD, swift-metrics) carries it.
///
/// ```swift
/// let jobs = JobQueue()
/// try recorder.register(ObservedMetric.gauge("jobs.queue.depth", help: "Jobs waiting.") { jobs.count })
/// try recorder.register(ObservedMetric.counter("jobs.completed") { jobs.completedCount })
/// ```
///
/// The closure runs whenever the recorder takes a snapshot (for a scrape, an
/// export, a health check), on the thread that takes it and with the
/// recorder's lock held: make it short and thread-safe, and never record into
/// or snapshot the recorder from it. For a metric that observes several values
/// at once, call ``MetricRoutes/observesAtSnapshot()`` in a ``Metric`` of your
/// own.
public struct ObservedMetric: Metric {
    public let name: String
    public let help: String?
    private let read: @Sendable () -> MetricDimension

    private init(_ name: String, help: String?, read: @escaping @Sendable () -> MetricDimension) {
        self.name = name
        self.help = help
        self.read = read
    }

    /// A gauge that reads `value` at every snapshot; `nil` (or a non-finite
    /// number) leaves the gauge unset, so exporters write no series for it.
    public static func gauge<Value: MetricValue>(
        _ name: String, help: String? = nil, dimension: String = "value",
        _ value: @escaping @Sendable () -> Value?
    ) -> ObservedMetric {
        ObservedMetric(name, help: help) {
            let number = value()?.metricValue
            return MetricDimension(
                dimension, unit: Value.unit, value: .gauge(number.flatMap { $0.isFinite ? $0 : nil }))
        }
    }

    /// A counter that reads `value` at every snapshot: a total that only grows
    /// for as long as the recorder lives (a decrease reads as a counter reset
    /// to exporters). Whole-number values are an exact counter, others a
    /// floating sum; a negative or non-finite reading is reported as 0.
    public static func counter<Value: MetricValue>(
        _ name: String, help: String? = nil, dimension: String = "total",
        _ value: @escaping @Sendable () -> Value
    ) -> ObservedMetric {
        ObservedMetric(name, help: help) {
            let reading = value()
            if Value.isIntegral {
                return MetricDimension(
                    dimension, unit: Value.unit, value: .counter(UInt64(clamping: reading.wholeMetricValue)))
            }
            let number = reading.metricValue
            return MetricDimension(dimension, unit: Value.unit, value: .sum(number.isFinite && number > 0 ? number : 0))
        }
    }

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.observesAtSnapshot()
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: [read()])
    }
}
