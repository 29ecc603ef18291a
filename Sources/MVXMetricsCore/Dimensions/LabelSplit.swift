/// Any building block split by a free-form label value, with a cap on how
/// many values it keeps: `total{content_type="application/pdf"}`.
///
/// The first ``cap`` distinct values each get a copy of the part; every other
/// value goes to one overflow part labelled ``LabelCounts/overflowLabelValue``,
/// which exists from the start, so memory stays bounded however many values
/// arrive. Values are cut as ``LabelCounts`` cuts them. Prefer ``CaseSplit``
/// when the values are known in advance.
///
/// ```swift
/// var bytes = try LabelSplit(label: "content_type", cap: 20, part: Sum<ByteCount>())
/// bytes.update("application/pdf") { $0.add(1840) }
/// // total{content_type="application/pdf"} 1840, total{content_type="_overflow"} 0
/// ```
public struct LabelSplit<Part: MetricAggregate>: Sendable {
    /// The label that holds the value.
    public let labelName: String
    /// The most distinct values kept.
    public let cap: Int

    private let initialPart: Part
    private var positions: [String: Int] = [:]
    private var values: [String] = []
    private var parts: [Part] = []
    private var overflowPart: Part

    /// Creates a split with only its overflow part.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` if `cap` is not
    ///   between 1 and 10,000, or if `part` already uses `label`. The label's
    ///   name is checked when the metric is registered.
    public init(label: String, cap: Int = 100, part: Part) throws(MetricsError) {
        guard (1...10_000).contains(cap) else {
            throw MetricsError(.invalidConfiguration, "a split's cap must be between 1 and 10000, got \(cap)")
        }
        try SplitLabeling.checkUnused(label, by: part)
        labelName = label
        self.cap = cap
        initialPart = part
        overflowPart = part
    }

    /// Applies `body` to the part of `value`, the overflow part once the cap
    /// is reached.
    @discardableResult
    public mutating func update(_ value: String, _ body: (inout Part) -> MetricUpdate) -> MetricUpdate {
        let value = LabelCounts.truncated(value)
        if value == LabelCounts.overflowLabelValue { return body(&overflowPart) }
        if let position = positions[value] { return body(&parts[position]) }
        guard values.count < cap else { return body(&overflowPart) }
        var part = initialPart
        let update = body(&part)
        // A value whose first event does not apply leaves no series behind.
        guard !update.isDisjoint(with: [.changed, .applied]) else { return update }
        positions[value] = values.count
        values.append(value)
        parts.append(part)
        return update
    }

    /// The part of `value`, or `nil` if no event with it was kept.
    public subscript(value: String) -> Part? {
        positions[LabelCounts.truncated(value)].map { parts[$0] }
    }

    /// The overflow part.
    public var overflow: Part { overflowPart }

    /// The number of distinct values kept.
    public var distinctValues: Int { values.count }

    /// Every kept value's dimensions sorted by value, then the overflow part's.
    public var dimensions: [MetricDimension] {
        var result: [MetricDimension] = []
        for position in values.indices.sorted(by: { values[$0] < values[$1] }) {
            SplitLabeling.append(parts[position].dimensions, label: labelName, value: values[position], to: &result)
        }
        SplitLabeling.append(
            overflowPart.dimensions, label: labelName, value: LabelCounts.overflowLabelValue, to: &result)
        return result
    }
}

extension LabelSplit: MetricAggregate {}
