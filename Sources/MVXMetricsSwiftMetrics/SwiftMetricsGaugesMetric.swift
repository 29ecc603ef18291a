import MVXMetrics

/// The swift-metrics gauges, meters and non-aggregating recorders seen by
/// the backend: the last value of each series.
struct SwiftMetricsGaugesMetric: Metric {
    let name: String
    var help: String? { "Gauges and meters reported through swift-metrics." }
    let catalog: SwiftMetricsSeriesCatalog
    private var values: [Double] = []

    init(name: String, catalog: SwiftMetricsSeriesCatalog) {
        self.name = name
        self.catalog = catalog
    }

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(SwiftMetricsGaugeSet.self) { metric, event in
            guard event.value.isFinite else { return .rejected }
            metric.grow(to: event.series)
            metric.values[Int(event.series)] = event.value
            return .changed
        }
        routes.on(SwiftMetricsMeterAdjusted.self) { metric, event in
            guard event.delta.isFinite else { return .rejected }
            metric.grow(to: event.series)
            metric.values[Int(event.series)] += event.delta
            return event.delta == 0 ? .applied : .changed
        }
    }

    private mutating func grow(to series: UInt32) {
        let count = Int(series) + 1
        if values.count < count { values.append(contentsOf: repeatElement(0, count: count - values.count)) }
    }

    func snapshot() -> MetricSnapshot {
        let dimensions = catalog.entries(in: .gauges).map { series, entry in
            MetricDimension(
                entry.dimension, labels: entry.labels, value: .gauge(series < values.count ? values[series] : 0))
        }
        return MetricSnapshot(name: name, help: help, dimensions: dimensions, naming: .dimension)
    }
}
