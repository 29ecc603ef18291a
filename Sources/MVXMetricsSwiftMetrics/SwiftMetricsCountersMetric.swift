import MVXMetrics

/// The swift-metrics counters and floating-point counters seen by the
/// backend: one dimension per series, named after the swift-metrics label.
struct SwiftMetricsCountersMetric: Metric {
    let name: String
    var help: String? { "Counters reported through swift-metrics." }
    let catalog: SwiftMetricsSeriesCatalog
    private var integers: [UInt64] = []
    private var floats: [Double] = []

    init(name: String, catalog: SwiftMetricsSeriesCatalog) {
        self.name = name
        self.catalog = catalog
    }

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(SwiftMetricsCounted.self) { metric, event in
            guard event.amount >= 0 else { return .rejected }
            metric.grow(to: event.series)
            metric.integers[Int(event.series)] &+= UInt64(event.amount)
            return event.amount == 0 ? .applied : .changed
        }
        routes.on(SwiftMetricsFloatingCounted.self) { metric, event in
            guard event.amount >= 0, event.amount.isFinite else { return .rejected }
            metric.grow(to: event.series)
            metric.floats[Int(event.series)] += event.amount
            return event.amount == 0 ? .applied : .changed
        }
        routes.on(SwiftMetricsCounterReset.self) { metric, event in
            metric.grow(to: event.series)
            metric.integers[Int(event.series)] = 0
            metric.floats[Int(event.series)] = 0
            return .changed
        }
    }

    private mutating func grow(to series: UInt32) {
        let count = Int(series) + 1
        if integers.count < count {
            integers.append(contentsOf: repeatElement(0, count: count - integers.count))
            floats.append(contentsOf: repeatElement(0, count: count - floats.count))
        }
    }

    func snapshot() -> MetricSnapshot {
        let dimensions = catalog.entries(in: .counters).map { series, entry in
            let index = series
            let value: DimensionValue =
                entry.kind == .floatingCounter
                ? .sum(index < floats.count ? floats[index] : 0)
                : .counter(index < integers.count ? integers[index] : 0)
            return MetricDimension(entry.dimension, labels: entry.labels, value: value)
        }
        return MetricSnapshot(name: name, help: help, dimensions: dimensions, naming: .dimension)
    }
}
