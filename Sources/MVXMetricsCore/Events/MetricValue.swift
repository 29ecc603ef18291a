/// A payload type that metrics can sum, distribute or keep as a last value.
///
/// Conforming types say which unit they are measured in and how to read them as
/// a number in that unit. The library provides conformances for `Int`, `Double`,
/// `Duration` (seconds) and ``ByteCount`` (bytes). Add your own for payload types
/// that carry a unit:
///
/// ```swift
/// struct Celsius: MetricValue {
///     var degrees: Double
///     static var unit: MetricUnit? { "celsius" }
///     var metricValue: Double { degrees }
/// }
/// ```
public protocol MetricValue: Sendable {
    /// The unit of ``metricValue``, or `nil` for a plain number.
    static var unit: MetricUnit? { get }
    /// Whether every value of this type is a whole number, so sums can be kept
    /// exactly as integers.
    static var isIntegral: Bool { get }
    /// The value in ``unit``.
    var metricValue: Double { get }
    /// The value as a whole number in ``unit``, for types whose ``isIntegral``
    /// is true: sums of them add these integers, so they stay exact up to
    /// `UInt64.max` rather than pass through `Double`, which is exact only to
    /// 2⁵³. The default rounds ``metricValue`` toward zero; implement it for a
    /// type of your own that is integral.
    var wholeMetricValue: Int64 { get }
}

extension MetricValue {
    /// Plain numbers have no unit.
    public static var unit: MetricUnit? { nil }
    /// Values are fractional unless the type says otherwise.
    public static var isIntegral: Bool { false }
    /// ``metricValue`` rounded toward zero, clamped to the range of `Int64`
    /// (0 for NaN).
    @inlinable public var wholeMetricValue: Int64 {
        let value = metricValue.rounded(.towardZero)
        if let whole = Int64(exactly: value) { return whole }
        return value.isNaN ? 0 : value < 0 ? .min : .max
    }
}

extension Int: MetricValue {
    public static var isIntegral: Bool { true }
    @inlinable public var metricValue: Double { Double(self) }
    @inlinable public var wholeMetricValue: Int64 { Int64(self) }
}

extension Double: MetricValue {
    @inlinable public var metricValue: Double { self }
}

extension ByteCount: MetricValue {
    public static var unit: MetricUnit? { .bytes }
    public static var isIntegral: Bool { true }
    @inlinable public var metricValue: Double { Double(bytes) }
    @inlinable public var wholeMetricValue: Int64 { Int64(bytes) }
}

extension Duration: MetricValue {
    public static var unit: MetricUnit? { .seconds }
    /// This duration in seconds.
    @inlinable public var metricValue: Double { _mvxSeconds }
}

extension Duration {
    // `Duration.components` divides a 128-bit integer and costs about 25 ns;
    // `attoseconds` is the two-word representation itself, which matters on
    // the processing path of every duration metric.
    //
    // The result is the double nearest to the exact number of seconds (so
    // `.milliseconds(9)` is the literal 0.009 and lands in a bucket bounded
    // by 0.009) for every duration under 2⁵³ attoseconds (9 ms), and for every
    // whole number of nanoseconds (every clock reading and every literal in
    // milliseconds, microseconds or nanoseconds) under 2⁵³ ns (104 days): the
    // count is exact as a double, and one division by an exact power of ten
    // rounds once. Other durations are within one unit in the last place.
    @inlinable @inline(__always)
    var _mvxSeconds: Double {
        let attoseconds = self.attoseconds
        let low = Int64(truncatingIfNeeded: attoseconds)
        // Within ±9.2 s the value is the low word alone.
        guard Int128(low) == attoseconds else { return Self._mvxSecondsOfLongDuration(self) }
        if low.magnitude < 1 << 53 { return Double(low) / 1e18 }
        let (nanoseconds, rest) = low.quotientAndRemainder(dividingBy: 1_000_000_000)
        if rest == 0 { return Double(nanoseconds) / 1e9 }
        return Double(nanoseconds) / 1e9 + Double(rest) / 1e18
    }

    /// Seconds of a duration beyond ±9.2 s, from its components.
    @usableFromInline
    static func _mvxSecondsOfLongDuration(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        let (nanoseconds, rest) = attoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        // Whole nanoseconds within 2⁵³ of them: exact count, one rounding.
        if rest == 0, seconds.magnitude < 9_007_199 {
            return Double(seconds * 1_000_000_000 + nanoseconds) / 1e9
        }
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
