import MVXMetrics

/// The plan for one layout of snapshots under one configuration, with the
/// input it was made from, against which later inputs are matched.
final class ExpositionLayout: Sendable {
    /// The renderer's settings: a layout made under others cannot be reused.
    struct Configuration: Equatable, Sendable {
        var format: PrometheusFormat
        var entityLabel: String
        var includesRecorderStatistics: Bool
        var selectedFamilies: Set<String>?
    }

    let configuration: Configuration
    let plan: ExpositionPlan
    /// The input the plan was made from; its values are never read again.
    private let reference: ExpositionInput

    init(_ configuration: Configuration, _ input: ExpositionInput) {
        // `le` is every histogram bucket's bound: an entity label of that name
        // would repeat it, so it is numbered as a dimension label `le` is.
        let entityLabel = PrometheusNaming.sanitizedLabelName(configuration.entityLabel)
        var builder = FamilyBuilder(entityLabel: entityLabel == "le" ? "le_2" : entityLabel)
        for snapshotIndex in input.snapshots.indices {
            let entity = escapedLabelValue(input.snapshots[snapshotIndex].entityID)
            input.forEachMetric(ofSnapshot: snapshotIndex) { metricIndex, metric in
                builder.add(metric, entity: entity, snapshotIndex: snapshotIndex, metricIndex: metricIndex)
            }
        }
        self.configuration = configuration
        self.plan = builder.plan(format: configuration.format, selecting: configuration.selectedFamilies)
        self.reference = input
    }

    /// Whether this layout renders `input` under `configuration`.
    func fits(_ input: ExpositionInput, _ configuration: Configuration) -> Bool {
        self.configuration == configuration && reference.hasSameLayout(as: input)
    }
}
