/// What ``CaseSplit`` and ``LabelSplit`` share: how a part's series get the
/// split's label, and the check that the part does not already use it.
enum SplitLabeling {
    /// Throws unless no dimension of `part`, and no part-of relation in it,
    /// uses `label`.
    static func checkUnused(_ label: String, by part: some MetricAggregate) throws(MetricsError) {
        for dimension in part.dimensions where dimension.labels[label] != nil || dimension.partOf?.label == label {
            throw MetricsError(
                .invalidConfiguration,
                "a split by \(MetricNaming.quoted(label)) cannot hold a part that already labels its series \(MetricNaming.quoted(label)) (\(dimension.key)); give the split another label"
            )
        }
    }

    /// Appends `dimensions` to `result`, each labelled `label="value"`.
    static func append(
        _ dimensions: [MetricDimension], label: String, value: String, to result: inout [MetricDimension]
    ) {
        for var dimension in dimensions {
            dimension.labels[label] = value
            result.append(dimension)
        }
    }
}
