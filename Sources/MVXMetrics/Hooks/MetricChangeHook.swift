/// A hook made of a closure called for every metric change.
///
/// ```swift
/// let hook = MetricChangeHook { change in print(change) }
/// ```
public struct MetricChangeHook: RecorderHook {
    private let body: @Sendable (MetricChange) throws -> Void

    /// Creates a hook that calls `body` for every metric change.
    public init(_ body: @escaping @Sendable (MetricChange) throws -> Void) {
        self.body = body
    }

    public func metricChanged(_ change: MetricChange) throws {
        try body(change)
    }
}
