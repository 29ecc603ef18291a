import MVXMetrics

/// One series of one dimension of one metric of one recorder.
package struct SeriesKey: Hashable, Sendable {
    package let entityID: String
    package let metric: String
    package let dimension: String
    package let labels: [String: String]

    package init(entityID: String, metric: String, dimension: MetricDimension) {
        self.entityID = entityID
        self.metric = metric
        self.dimension = dimension.name
        self.labels = dimension.labels
    }
}
