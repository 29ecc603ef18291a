/// A registered metric, type-erased for the registry's lists.
protocol AnyMetricBox: AnyObject {
    var name: String { get }
    func snapshot() -> MetricSnapshot
}

/// Holds a registered metric at a fixed address so its handlers can mutate
/// it in place.
///
/// Only the registry's single writer touches the metric (under the recorder's
/// lock or on its processing thread). Handlers reach it through `storage`, a
/// plain pointer: code that is generic over the metric's type then needs no
/// type metadata for the box, and Swift makes no dynamic exclusivity check.
// @safe: it owns the metric's storage and frees it in deinit.
@safe
final class MetricBox<M: Metric>: AnyMetricBox {
    let storage: UnsafeMutablePointer<M>
    let name: String

    init(_ metric: M) {
        unsafe storage = .allocate(capacity: 1)
        unsafe storage.initialize(to: metric)
        name = metric.name
    }

    deinit {
        unsafe storage.deinitialize(count: 1)
        unsafe storage.deallocate()
    }

    func snapshot() -> MetricSnapshot { unsafe storage.pointee.snapshotInPlace() }
}

extension Metric {
    /// `snapshot()`, reached through `inout`: called on `storage.pointee`
    /// directly, unspecialized code copies the whole metric first (a
    /// value-witness copy, with a retain and release of each reference it
    /// holds); an `inout` self is exclusive, so the metric is passed in place.
    fileprivate mutating func snapshotInPlace() -> MetricSnapshot { snapshot() }
}
