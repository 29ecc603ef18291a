/// What handling one event did to a metric: changed it, applied it without a
/// change, rejected a value, or nothing.
///
/// Every building block's mutating method returns one, so an event handler can
/// return it directly:
///
/// ```swift
/// routes.on(DocumentSaveAttempt.self) { metric, event in
///     metric.bytes.add(event.contentSize)
/// }
/// ```
///
/// A recorder calls hooks only for ``changed`` updates, counts every update
/// that contains ``rejected`` in ``RecorderStatistics/rejectedValues``, and
/// counts an event in ``RecorderStatistics/ignored`` when no metric's update
/// contains ``changed`` or ``applied``.
public struct MetricUpdate: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    // Computed rather than stored: a stored static is a lazily initialized
    // global, checked on every access on the processing path.

    /// The metric's dimensions changed.
    @inlinable public static var changed: MetricUpdate { MetricUpdate(rawValue: 1) }
    /// A value was refused (negative, not finite, or otherwise invalid) and not applied.
    @inlinable public static var rejected: MetricUpdate { MetricUpdate(rawValue: 2) }
    /// The event applied to the metric but left its dimensions as they were:
    /// a gauge set to the value it holds, a sum given zero. The event is not
    /// ignored, and no hook hears of it.
    @inlinable public static var applied: MetricUpdate { MetricUpdate(rawValue: 4) }
    /// The event did not apply to this metric (the empty update).
    @inlinable public static var unchanged: MetricUpdate { MetricUpdate(rawValue: 0) }

    public var description: String {
        switch self {
        case .unchanged: "unchanged"
        case .changed: "changed"
        case .rejected: "rejected"
        case .applied: "applied"
        case [.changed, .rejected]: "changed, rejected"
        default: "MetricUpdate(rawValue: \(rawValue))"
        }
    }
}
