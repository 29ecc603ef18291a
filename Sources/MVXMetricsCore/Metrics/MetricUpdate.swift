/// What handling one event did to a metric: changed it, rejected a value, both,
/// or nothing.
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
/// A recorder calls hooks only for ``changed`` updates, and counts every update
/// that contains ``rejected`` in ``RecorderStatistics/rejectedValues``.
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
    /// The event did not apply to this metric.
    @inlinable public static var unchanged: MetricUpdate { MetricUpdate(rawValue: 0) }

    public var description: String {
        switch self {
        case .unchanged: "unchanged"
        case .changed: "changed"
        case .rejected: "rejected"
        default: "changed, rejected"
        }
    }
}
