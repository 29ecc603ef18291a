import MVXMetrics

/// What one render reads: the snapshots in the order they are rendered (by
/// entity id), and, when they are rendered, each one's statistics as a metric.
struct ExpositionInput: Sendable {
    let snapshots: [RecorderSnapshot]
    /// One per snapshot, or none.
    let statistics: [MetricSnapshot]

    init(_ snapshots: [RecorderSnapshot], includesRecorderStatistics: Bool) {
        // Sorting one snapshot would still copy the array.
        self.snapshots = snapshots.count > 1 ? snapshots.sorted { $0.entityID < $1.entityID } : snapshots
        statistics = includesRecorderStatistics ? self.snapshots.map { $0.statistics.metricSnapshot() } : []
    }

    /// The metrics of the snapshot at `index`, statistics last, in the order
    /// ``ExpositionPlan/Source`` numbers them.
    func forEachMetric(ofSnapshot index: Int, _ body: (_ metricIndex: Int, MetricSnapshot) -> Void) {
        let metrics = snapshots[index].metrics
        for (metricIndex, metric) in metrics.enumerated() { body(metricIndex, metric) }
        if !statistics.isEmpty { body(metrics.count, statistics[index]) }
    }

    /// When the totals of the snapshot at `index` began, in milliseconds since 1970.
    func startMilliseconds(ofSnapshot index: Int) -> Int64 {
        Int64((snapshots[index].startedAt.timeIntervalSince1970 * 1000).rounded())
    }

    /// The value at `source`; a metric index past the snapshot's metrics is its statistics.
    @inline(__always)
    func value(at source: ExpositionPlan.Source) -> DimensionValue {
        let snapshot = Int(source.snapshot)
        let metric = Int(source.metric)
        if metric < snapshots[snapshot].metrics.count {
            return snapshots[snapshot].metrics[metric].dimensions[Int(source.dimension)].value
        }
        return statistics[snapshot].dimensions[Int(source.dimension)].value
    }

    /// Whether `other` renders to the same text apart from the values: the
    /// same entity ids, common labels, metrics, help, naming, dimensions, units, labels, kinds,
    /// parts and unset gauges, in the same order.
    func hasSameLayout(as other: ExpositionInput) -> Bool {
        guard snapshots.count == other.snapshots.count, statistics.count == other.statistics.count else {
            return false
        }
        for index in snapshots.indices {
            guard snapshots[index].entityID == other.snapshots[index].entityID,
                snapshots[index].commonLabels == other.snapshots[index].commonLabels,
                Self.haveSameLayout(snapshots[index].metrics, other.snapshots[index].metrics)
            else { return false }
        }
        return Self.haveSameLayout(statistics, other.statistics)
    }

    // Buffer pointers let the comparisons borrow each metric and dimension
    // where subscripts would copy them (a retain and release per field).
    private static func haveSameLayout(_ metrics: [MetricSnapshot], _ others: [MetricSnapshot]) -> Bool {
        guard metrics.count == others.count else { return false }
        return unsafe metrics.withUnsafeBufferPointer { metrics in
            unsafe others.withUnsafeBufferPointer { others in
                for index in metrics.indices
                where unsafe !haveSameLayout(metrics.baseAddress! + index, others.baseAddress! + index) {
                    return false
                }
                return true
            }
        }
    }

    private static func haveSameLayout(
        _ metric: UnsafePointer<MetricSnapshot>, _ other: UnsafePointer<MetricSnapshot>
    ) -> Bool {
        // Names usually share their storage with the previous scrape's, so
        // these comparisons end at the identity check.
        guard unsafe metric.pointee.name == other.pointee.name, unsafe metric.pointee.help == other.pointee.help,
            unsafe metric.pointee.naming == other.pointee.naming,
            unsafe metric.pointee.dimensions.count == other.pointee.dimensions.count
        else { return false }
        return unsafe metric.pointee.dimensions.withUnsafeBufferPointer { dimensions in
            unsafe other.pointee.dimensions.withUnsafeBufferPointer { others in
                for index in dimensions.indices {
                    let dimension = unsafe dimensions.baseAddress! + index
                    let otherDimension = unsafe others.baseAddress! + index
                    guard unsafe dimension.pointee.name == otherDimension.pointee.name,
                        unsafe dimension.pointee.unit == otherDimension.pointee.unit,
                        unsafe FamilyBuilder.Kind(dimension.pointee.value)
                            == FamilyBuilder.Kind(otherDimension.pointee.value),
                        unsafe dimension.pointee.value.isUnsetGauge == otherDimension.pointee.value.isUnsetGauge,
                        unsafe dimension.pointee.labels == otherDimension.pointee.labels,
                        unsafe dimension.pointee.partOf == otherDimension.pointee.partOf
                    else { return false }
                }
                return true
            }
        }
    }
}
