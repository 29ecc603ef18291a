/// A registered metric, type-erased for the registry's lists.
protocol AnyMetricBox: AnyObject {
    var name: String { get }
    func snapshot() -> MetricSnapshot
}

/// Holds a registered metric so its handlers can mutate it in place.
///
/// Only the registry's single writer touches `metric` (under the recorder's
/// lock or on its processing thread), so the dynamic exclusivity check that
/// Swift would otherwise make on every handler call is switched off.
final class MetricBox<M: Metric>: AnyMetricBox {
    @exclusivity(unchecked) var metric: M
    let name: String

    init(_ metric: M) {
        self.metric = metric
        self.name = metric.name
    }

    func snapshot() -> MetricSnapshot { metric.snapshot() }
}
