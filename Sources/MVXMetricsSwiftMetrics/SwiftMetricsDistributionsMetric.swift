import MVXMetrics

/// The swift-metrics aggregating recorders, or its timers, seen by the
/// backend: a distribution per series.
struct SwiftMetricsDistributionsMetric: Metric {
    let name: String
    let help: String?
    let catalog: SwiftMetricsSeriesCatalog
    let group: SwiftMetricsSeriesCatalog.Group
    private let template: Distribution<Double>
    private let unit: MetricUnit?
    private var distributions: [Distribution<Double>] = []

    /// A metric for recorders (unit-less values) or timers (seconds).
    init(
        name: String, help: String, catalog: SwiftMetricsSeriesCatalog, group: SwiftMetricsSeriesCatalog.Group,
        buckets: HistogramBuckets, unit: MetricUnit?
    ) throws(MetricsError) {
        self.name = name
        self.help = help
        self.catalog = catalog
        self.group = group
        self.template = try Distribution(dimension: "value", buckets: buckets)
        self.unit = unit
    }

    func routes(_ routes: inout MetricRoutes<Self>) {
        if group == .timers {
            routes.on(SwiftMetricsDurationRecorded.self) { metric, event in
                metric.record(series: event.series, Double(event.nanoseconds) / 1e9)
            }
        } else {
            routes.on(SwiftMetricsValueRecorded.self) { metric, event in
                metric.record(series: event.series, event.value)
            }
        }
    }

    private mutating func record(series: UInt32, _ value: Double) -> MetricUpdate {
        let count = Int(series) + 1
        if distributions.count < count {
            distributions.append(contentsOf: repeatElement(template, count: count - distributions.count))
        }
        return distributions[Int(series)].record(value)
    }

    func snapshot() -> MetricSnapshot {
        let dimensions = catalog.entries(in: group).map { series, entry in
            let distribution = series < distributions.count ? distributions[series] : template
            return MetricDimension(
                entry.dimension, labels: entry.labels, unit: unit, value: .distribution(distribution.snapshot))
        }
        return MetricSnapshot(name: name, help: help, dimensions: dimensions, naming: .dimension)
    }
}
