/// A building block of a metric's state: it changes with events and shows
/// itself as dimensions.
///
/// ``OutcomeCounts``, ``CaseCounts``, ``LabelCounts``, ``Sum``,
/// ``Distribution``, ``LastValue`` and ``EventCount`` conform, so any of them
/// can be the state of an ``EventMetric``.
public protocol MetricAggregate: Sendable {
    /// The building block's dimensions now.
    var dimensions: [MetricDimension] { get }
}

extension OutcomeCounts: MetricAggregate {}
extension CaseCounts: MetricAggregate {}
extension LabelCounts: MetricAggregate {}
extension Sum: MetricAggregate {}
extension Distribution: MetricAggregate {}
extension LastValue: MetricAggregate {}
extension EventCount: MetricAggregate {}
