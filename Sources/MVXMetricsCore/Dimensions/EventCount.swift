/// Counts events: one counter dimension, `total` by default.
public struct EventCount: Sendable {
    /// The dimension's name.
    public let dimensionName: String
    @usableFromInline var storedCount: UInt64 = 0

    /// Creates a zero counter.
    public init(dimension: String = "total") {
        dimensionName = dimension
    }

    /// Counts one event.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func increment() -> MetricUpdate {
        storedCount &+= 1
        return .changed
    }

    /// The number of events counted.
    public var count: UInt64 { storedCount }

    /// The counter as a dimension.
    public var dimensions: [MetricDimension] { [MetricDimension(dimensionName, value: .counter(count))] }
}
