/// Counts events by a case of an enumeration, as one labelled series per case:
/// `refused_total{reason="tls"}`.
///
/// Every case's series exists from the start and their number is fixed by the
/// type, so a labelled counter over a ``MetricCase`` needs no cardinality cap.
/// For free-form label values use ``LabelCounts``.
///
/// ```swift
/// var refusals = CaseCounts<RefusalReason>(dimension: "refused_total", label: "reason")
/// refusals.record(.tls)   // refused_total{reason="tls"} 1
/// ```
public struct CaseCounts<Case: MetricCase>: Sendable {
    /// The dimension name shared by every series.
    public let dimensionName: String
    /// The label that holds the case.
    public let labelName: String
    @usableFromInline var counts: [UInt64]
    @usableFromInline let indexer: MetricCaseIndexer<Case>
    private let labelValues: [String]

    /// Creates one zero counter per case of `Case`.
    ///
    /// The names are checked when the metric is registered.
    public init(dimension: String, label: String) {
        dimensionName = dimension
        labelName = label
        indexer = MetricCaseIndexer()
        counts = Array(repeating: 0, count: indexer.cases.count)
        labelValues = indexer.cases.map(\.metricLabel)
    }

    /// Counts one event for `value`.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func record(_ value: Case) -> MetricUpdate {
        guard let index = indexer.index(of: value) else { return .rejected }
        counts[index] &+= 1
        return .changed
    }

    /// The number of events recorded for `value`.
    public func count(of value: Case) -> UInt64 {
        indexer.index(of: value).map { counts[$0] } ?? 0
    }

    /// The sum over every case.
    public var total: UInt64 { counts.reduce(0, &+) }

    /// One series per case, in declaration order.
    public var dimensions: [MetricDimension] {
        zip(labelValues, counts).map { value, count in
            MetricDimension(dimensionName, labels: [labelName: value], value: .counter(count))
        }
    }
}
