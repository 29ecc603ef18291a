import MVXMetrics

/// The plan for one layout of snapshots under one configuration, with the
/// input it was made from, against which later inputs are matched.
final class ExpositionLayout: Sendable {
    /// The renderer's settings: a layout made under others cannot be reused.
    struct Configuration: Equatable, Sendable {
        var format: PrometheusFormat
        var nameEscaping: PrometheusNameEscaping
        var entityLabel: String
        var includesRecorderStatistics: Bool
        var includesCreatedSamples: Bool
        var selectedFamilies: Set<String>?
    }

    let configuration: Configuration
    let plan: ExpositionPlan
    /// The input the plan was made from; its values are never read again.
    private let reference: ExpositionInput

    init(_ configuration: Configuration, _ input: ExpositionInput) {
        let builder = Self.families(configuration, input)
        self.configuration = configuration
        self.plan = builder.plan(
            format: configuration.format, createdSamples: configuration.includesCreatedSamples,
            selecting: configuration.selectedFamilies)
        self.reference = input
    }

    /// Every family of `input` under `configuration`, named and numbered.
    static func families(_ configuration: Configuration, _ input: ExpositionInput) -> FamilyBuilder {
        // `le` is every histogram bucket's bound: an entity label of that name
        // would repeat it, so it is numbered as a dimension label `le` is.
        let escaping = configuration.nameEscaping
        let entityLabel = PrometheusNaming.labelName(configuration.entityLabel, escaping: escaping)
        var builder = FamilyBuilder(entityLabel: entityLabel == "le" ? "le_2" : entityLabel, escaping: escaping)
        for snapshotIndex in input.snapshots.indices {
            let snapshot = input.snapshots[snapshotIndex]
            let entity = escapedLabelValue(snapshot.entityID)
            let common = snapshot.commonLabels.keys.sorted().map {
                (
                    name: PrometheusNaming.labelName($0, escaping: escaping),
                    value: escapedLabelValue(snapshot.commonLabels[$0]!)
                )
            }
            input.forEachMetric(ofSnapshot: snapshotIndex) { metricIndex, metric in
                builder.add(
                    metric, entity: entity, common: common, snapshotIndex: snapshotIndex, metricIndex: metricIndex)
            }
        }
        return builder
    }

    /// Whether this layout renders `input` under `configuration`.
    func fits(_ input: ExpositionInput, _ configuration: Configuration) -> Bool {
        self.configuration == configuration && reference.hasSameLayout(as: input)
    }
}
