/// Keeps the last value seen: a gauge, such as a queue depth or a temperature.
///
/// The gauge reads 0 until the first value arrives, like a Prometheus gauge. A
/// non-finite value is not applied and the update reports
/// ``MetricUpdate/rejected``.
public struct LastValue<Value: MetricValue>: Sendable {
    /// The dimension's name.
    public let dimensionName: String
    @usableFromInline var storedValue: Double = 0
    @usableFromInline var storedIsSet = false

    /// Creates a gauge reading 0.
    public init(dimension: String = "value") {
        dimensionName = dimension
    }

    /// Sets the gauge to `newValue`, or rejects it if it is not finite.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func set(_ newValue: Value) -> MetricUpdate {
        let number = newValue.metricValue
        guard number.isFinite else { return .rejected }
        if storedIsSet && number == storedValue { return .unchanged }
        storedValue = number
        storedIsSet = true
        return .changed
    }

    /// The last value set, in the value's unit; 0 before the first.
    public var value: Double { storedValue }
    /// Whether a value has been set.
    public var isSet: Bool { storedIsSet }

    /// The gauge as a dimension.
    public var dimensions: [Dimension] { [Dimension(dimensionName, unit: Value.unit, value: .gauge(value))] }
}
