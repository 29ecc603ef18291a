/// Any building block split by a case of an enumeration: one copy of the part
/// per case, each labelled with it (`distribution{outcome="failure"}`).
///
/// Every case's series exists from the start and their number is fixed by the
/// type, so no cap is needed. Splits nest: a part may itself be a split by
/// another label, which labels each series with both.
///
/// ```swift
/// var durations = try CaseSplit(
///     label: "outcome", of: DocumentSaveOutcome.self, part: try Distribution<Duration>(buckets: .durations))
/// durations.update(.failure) { $0.record(.milliseconds(12)) }
/// // distribution{outcome="failure"} … and distribution{outcome="success"}, empty
/// ```
public struct CaseSplit<Case: MetricCase, Part: MetricAggregate>: Sendable {
    /// The label that holds the case.
    public let labelName: String
    @usableFromInline var parts: [Part]
    @usableFromInline let indexer: MetricCaseIndexer<Case>
    private let labelValues: [String]

    /// Creates one copy of `part` per case of `Case`.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` if `part` already
    ///   uses `label` (which the split would overwrite). The label's name is
    ///   checked when the metric is registered.
    public init(label: String, of caseType: Case.Type = Case.self, part: Part) throws(MetricsError) {
        try SplitLabeling.checkUnused(label, by: part)
        labelName = label
        indexer = MetricCaseIndexer()
        parts = Array(repeating: part, count: indexer.cases.count)
        labelValues = indexer.cases.map(\.metricLabel)
    }

    /// Applies `body` to the part of `value`; a case that a custom `allCases`
    /// leaves out is ``MetricUpdate/rejected``.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func update(_ value: Case, _ body: (inout Part) -> MetricUpdate) -> MetricUpdate {
        guard let index = indexer.index(of: value) else { return .rejected }
        return body(&parts[index])
    }

    /// The part of `value`, or `nil` for a case a custom `allCases` leaves out.
    public subscript(value: Case) -> Part? {
        indexer.index(of: value).map { parts[$0] }
    }

    /// Every part's dimensions, labelled with its case, in declaration order.
    public var dimensions: [MetricDimension] {
        var result: [MetricDimension] = []
        for (value, part) in zip(labelValues, parts) {
            SplitLabeling.append(part.dimensions, label: labelName, value: value, to: &result)
        }
        return result
    }
}

extension CaseSplit: MetricAggregate {}
