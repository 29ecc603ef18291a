/// Sums a numeric payload field: bytes saved, seconds spent.
///
/// The unit comes from the value's type: a `Sum<ByteCount>` is a whole-number
/// counter in bytes, exact up to `UInt64.max` (its values are added as
/// integers, ``MetricValue/wholeMetricValue``, never through `Double`), a
/// `Sum<Duration>` a floating total in seconds. A sum only grows: a negative
/// or non-finite value, a value that would carry a whole-number counter past
/// `UInt64.max`, or a floating value of 2⁶⁴ or more, is not applied and the
/// update reports ``MetricUpdate/rejected``, which the recorder counts.
///
/// ```swift
/// var bytes = Sum<ByteCount>()
/// bytes.add(1840)   // total 1840 (bytes)
/// bytes.add(-1)     // rejected
/// ```
public struct Sum<Value: MetricValue>: Sendable {
    /// The dimension's name.
    public let dimensionName: String
    @usableFromInline var integerTotal: UInt64 = 0
    @usableFromInline var realTotal: Double = 0

    /// Creates a zero sum.
    public init(dimension: String = "total") {
        dimensionName = dimension
    }

    /// Adds `value`, or rejects it if it is negative, not finite, or would
    /// take the total past what it can hold.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func add(_ value: Value) -> MetricUpdate {
        if Value.isIntegral {
            let whole = value.wholeMetricValue
            guard whole >= 0 else { return .rejected }
            if whole == 0 { return .applied }
            let (total, overflow) = integerTotal.addingReportingOverflow(UInt64(whole))
            guard !overflow else { return .rejected }
            integerTotal = total
            return .changed
        }
        let amount = value.metricValue
        // The comparisons also reject NaN and infinities.
        guard amount >= 0, amount < 18_446_744_073_709_551_616.0 else { return .rejected }
        if amount == 0 { return .applied }
        realTotal += amount
        return .changed
    }

    /// The sum so far, in the value's unit.
    public var total: Double { Value.isIntegral ? Double(integerTotal) : realTotal }

    /// The sum as a dimension: a counter for whole-number values, a sum otherwise.
    public var dimensions: [MetricDimension] {
        [
            MetricDimension(
                dimensionName, unit: Value.unit,
                value: Value.isIntegral ? .counter(integerTotal) : .sum(realTotal))
        ]
    }
}
