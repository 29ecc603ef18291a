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
}

extension MetricValue {
    /// Plain numbers have no unit.
    public static var unit: MetricUnit? { nil }
    /// Values are fractional unless the type says otherwise.
    public static var isIntegral: Bool { false }
}

extension Int: MetricValue {
    public static var isIntegral: Bool { true }
    @inlinable public var metricValue: Double { Double(self) }
}

extension Double: MetricValue {
    @inlinable public var metricValue: Double { self }
}

extension ByteCount: MetricValue {
    public static var unit: MetricUnit? { .bytes }
    public static var isIntegral: Bool { true }
    @inlinable public var metricValue: Double { Double(bytes) }
}

extension Duration: MetricValue {
    public static var unit: MetricUnit? { .seconds }
    /// This duration in seconds.
    @inlinable public var metricValue: Double { _mvxSeconds }
}

extension Duration {
    // `Duration.components` divides a 128-bit integer and costs about 25 ns;
    // reading the frozen two-word representation directly costs about 2 ns,
    // which matters on the processing path of every duration metric.
    @inlinable @inline(__always)
    var _mvxSeconds: Double {
        let raw = unsafeBitCast(self, to: _DurationWords.self)
        let low = Int64(bitPattern: raw.low)
        // Within ±9.2 s the value is the low word alone; converting it directly
        // keeps small negative durations exact.
        if low >> 63 == raw.high { return Double(low) * 1e-18 }
        return (Double(raw.high) * 18_446_744_073_709_551_616.0 + Double(raw.low)) * 1e-18
    }
}

/// The frozen layout of `Duration`: attoseconds as a 128-bit two's complement
/// integer, low word first. A test checks it against `Duration.components`.
@usableFromInline
@frozen
struct _DurationWords {
    @usableFromInline var low: UInt64
    @usableFromInline var high: Int64
}
