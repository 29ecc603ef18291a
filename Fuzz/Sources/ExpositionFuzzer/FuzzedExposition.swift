import MVXMetrics
import MVXMetricsPrometheus

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One fuzz case for the exposition renderers, decoded from the fuzzer's
/// bytes: recorder snapshots, a second set with the same layout and other
/// values (to drive the layout cache), and the renderer's settings.
///
/// Unless ``isHostile``, every value is one a recorder can produce:
/// distributions come from a real `Distribution<Double>` fed the decoded
/// observations (non-finite ones are refused there, as in production), sums
/// are finite and not negative. Those are the snapshots whose expositions the
/// real parsers must accept. A hostile case holds any values at all (buckets
/// out of order, negative or NaN sums): rendering it must still not crash and
/// still be well-formed line by line, but the parsers may refuse it.
struct FuzzedExposition {
    var snapshots: [RecorderSnapshot]
    /// ``snapshots`` with other values and the same names, labels and kinds.
    var sameLayout: [RecorderSnapshot]
    var entityLabel: String
    var includesRecorderStatistics: Bool
    var isHostile: Bool

    init(_ bytes: [UInt8]) {
        var input = FuzzedBytes(bytes)
        let settings = input.byte()
        isHostile = settings & 0xC0 == 0xC0
        includesRecorderStatistics = settings & 1 == 0
        entityLabel = settings & 6 == 0 ? input.string() : "entity_id"
        let hostile = isHostile
        let withCommonLabels = settings & 8 != 0
        snapshots = (0...input.below(3)).map { _ in
            Self.recorder(&input, hostile: hostile, withCommonLabels: withCommonLabels)
        }
        sameLayout = snapshots.map { Self.revalued($0, &input, hostile: hostile) }
    }

    /// The renderer under test, with this case's settings.
    func exposition(_ format: PrometheusFormat) -> PrometheusExposition {
        PrometheusExposition(
            format: format, entityLabel: entityLabel, includesRecorderStatistics: includesRecorderStatistics)
    }

    /// The label values a reader must find: every dimension's, and each
    /// entity id when the statistics (which carry only the entity label) are
    /// rendered.
    var requiredLabelValues: Set<String> {
        var values = Set(
            snapshots.flatMap { snapshot in
                snapshot.metrics.flatMap { metric in
                    metric.dimensions.flatMap { Array($0.labels.values) + [$0.partOf?.value].compactMap { $0 } }
                }
            })
        if includesRecorderStatistics { values.formUnion(snapshots.map(\.entityID)) }
        return values
    }

    /// Every label value the exposition may hold: common labels may yield
    /// to a series' own of the same name, so none of theirs is required.
    var possibleLabelValues: Set<String> {
        requiredLabelValues.union(snapshots.map(\.entityID)).union(snapshots.flatMap(\.commonLabels.values))
    }

    private static func recorder(
        _ input: inout FuzzedBytes, hostile: Bool, withCommonLabels: Bool
    ) -> RecorderSnapshot {
        let entityID = input.string()
        let commonLabels =
            withCommonLabels
            ? Dictionary(
                (0..<input.below(3)).map { _ in (input.string(), input.string()) },
                uniquingKeysWith: { first, _ in first }) : [:]
        let metrics = (0..<input.below(5)).map { _ in
            let name = input.string()
            let help = input.below(4) == 0 ? nil : input.string()
            let dimensions = (0..<input.below(5)).map { _ in
                let name = input.string()
                let labels = Dictionary(
                    (0..<input.below(4)).map { _ in (input.string(), input.string()) },
                    uniquingKeysWith: { first, _ in first })
                let unit = input.below(4) == 0 ? MetricUnit(input.string()) : nil
                var part: MVXMetrics.MetricDimension.Part?
                if input.below(4) == 0 {
                    let whole = input.string()
                    let label = input.string()
                    let value = input.string()
                    // Registration refuses a part labelled like one of its own labels.
                    if labels[label] == nil { part = .init(of: whole, label: label, value: value) }
                }
                return MVXMetrics.MetricDimension(
                    name, labels: labels, unit: unit, value: value(input.below(4), &input, hostile: hostile),
                    partOf: part)
            }
            return MetricSnapshot(name: name, help: help, dimensions: dimensions)
        }
        return RecorderSnapshot(
            entityID: entityID, takenAt: Date(timeIntervalSince1970: 0), commonLabels: commonLabels, metrics: metrics,
            statistics: statistics(&input))
    }

    /// `snapshot` with every value read anew, of the same kind.
    private static func revalued(
        _ snapshot: RecorderSnapshot, _ input: inout FuzzedBytes, hostile: Bool
    ) -> RecorderSnapshot {
        var result = snapshot
        for metric in result.metrics.indices {
            for dimension in result.metrics[metric].dimensions.indices {
                let kind: Int =
                    switch result.metrics[metric].dimensions[dimension].value {
                    case .counter: 0
                    case .sum: 1
                    case .gauge: 2
                    case .distribution: 3
                    }
                result.metrics[metric].dimensions[dimension].value = value(kind, &input, hostile: hostile)
            }
        }
        result.statistics = statistics(&input)
        return result
    }

    private static func statistics(_ input: inout FuzzedBytes) -> RecorderStatistics {
        RecorderStatistics(
            accepted: input.count(), processed: input.count(), ignored: input.count(), rejectedValues: input.count(),
            handlerFailures: input.count(), hookFailures: input.count(), dropped: input.count(),
            pending: input.count())
    }

    private static func value(_ kind: Int, _ input: inout FuzzedBytes, hostile: Bool) -> DimensionValue {
        switch kind {
        case 0: return .counter(input.count())
        case 1:
            let number = input.number()
            if hostile { return .sum(number) }
            return .sum(number.isFinite ? number.magnitude : 0)
        case 2: return .gauge(input.number())
        default: return .distribution(hostile ? anyDistribution(&input) : recordedDistribution(&input))
        }
    }

    /// What a recorder's distribution reports after these observations.
    private static func recordedDistribution(_ input: inout FuzzedBytes) -> DistributionSnapshot {
        let boundCount = input.below(8) == 7 ? input.below(64) : input.below(5)
        let bounds = Set((0..<boundCount).map { _ in input.number() }.filter(\.isFinite)).sorted()
        let quantiles: [[Double]] = [[], [0.5], Distribution<Double>.defaultQuantiles, [0, 1], [0.25, 0.75, 0.999]]
        // Finite, distinct, sorted bounds and valid quantiles: a failure here is a finding.
        var distribution = try! Distribution<Double>(
            buckets: HistogramBuckets(bounds), quantiles: quantiles[input.below(quantiles.count)])
        for _ in 0..<input.below(12) { distribution.record(input.number()) }
        return distribution.snapshot
    }

    /// Any distribution snapshot at all, consistent or not.
    private static func anyDistribution(_ input: inout FuzzedBytes) -> DistributionSnapshot {
        DistributionSnapshot(
            count: input.count(), sum: input.number(), min: input.bool() ? input.number() : nil,
            max: input.bool() ? input.number() : nil,
            buckets: (0..<input.below(6)).map { _ in .init(upperBound: input.number(), cumulativeCount: input.count())
            },
            quantiles: (0..<input.below(3)).map { _ in .init(quantile: input.number(), value: input.number()) })
    }
}
