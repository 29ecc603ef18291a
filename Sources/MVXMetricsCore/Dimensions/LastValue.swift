/// Keeps the last value seen: a gauge, such as a queue depth or a temperature.
///
/// A gauge is *unset* until its first value arrives, unless it was made with an
/// initial value: a stock level must not read 0 before anyone has counted it.
/// An unset gauge's dimension is there (its name, unit and type are known from
/// the start) with no value, ``DimensionValue/gauge(_:)`` of `nil`; exporters
/// leave its series out until it is set.
///
/// Setting the value the gauge already holds is applied (the event is not
/// counted as ignored) but changes nothing (``MetricUpdate/applied``). A
/// non-finite value is not applied and the update reports
/// ``MetricUpdate/rejected``.
///
/// ```swift
/// var stock = LastValue<Double>()                 // value nil: unset
/// stock.set(2700)                                 // changed
/// stock.set(2700)                                 // applied
/// let depth = LastValue<Double>(initialValue: 0)  // value 0 from the start
/// ```
public struct LastValue<Value: MetricValue>: Sendable {
    /// The dimension's name.
    public let dimensionName: String
    @usableFromInline var storedValue: Double = 0
    @usableFromInline var storedIsSet = false

    /// Creates a gauge that is unset until its first value, or reads
    /// `initialValue` until then.
    ///
    /// - Precondition: `initialValue`, when given, is finite.
    public init(dimension: String = "value", initialValue: Value? = nil) {
        dimensionName = dimension
        if let initialValue {
            let number = initialValue.metricValue
            precondition(number.isFinite, "a gauge's initial value must be finite, not \(number)")
            storedValue = number
            storedIsSet = true
        }
    }

    /// Sets the gauge to `newValue`, or rejects it if it is not finite.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func set(_ newValue: Value) -> MetricUpdate {
        let number = newValue.metricValue
        guard number.isFinite else { return .rejected }
        if storedIsSet && number == storedValue { return .applied }
        storedValue = number
        storedIsSet = true
        return .changed
    }

    /// The last value set (or the initial value), in the value's unit; `nil`
    /// while the gauge is unset.
    public var value: Double? { storedIsSet ? storedValue : nil }
    /// Whether the gauge holds a value: one set, or its initial value.
    public var isSet: Bool { storedIsSet }

    /// The gauge as a dimension; its value is `nil` while it is unset.
    public var dimensions: [MetricDimension] {
        [MetricDimension(dimensionName, unit: Value.unit, value: .gauge(value))]
    }
}
