/// A number of bytes: the unit-carrying type for sizes in event payloads.
///
/// Using `ByteCount` rather than a bare `Int` lets metrics know the unit
/// (``MetricUnit/bytes``) without being told, so exporters can name and
/// describe the measurement correctly.
///
/// ```swift
/// let event = DocumentSaveAttempt(outcome: .success, contentSize: 1840, duration: .milliseconds(12))
/// ```
@frozen
public struct ByteCount: Sendable, Hashable, Comparable, Codable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// The number of bytes. Negative values are representable but are rejected
    /// by sums and counters.
    public var bytes: Int

    /// Creates a byte count.
    @inlinable
    public init(_ bytes: Int) { self.bytes = bytes }

    /// Creates a byte count from an integer literal.
    @inlinable
    public init(integerLiteral value: Int) { self.bytes = value }

    /// A byte count of zero.
    public static let zero = ByteCount(0)

    /// `count` kibibytes (1024 bytes each).
    @inlinable
    public static func kibibytes(_ count: Int) -> ByteCount { ByteCount(count * 1024) }

    /// `count` mebibytes (1024 × 1024 bytes each).
    @inlinable
    public static func mebibytes(_ count: Int) -> ByteCount { ByteCount(count * 1_048_576) }

    @inlinable
    public static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.bytes < rhs.bytes }

    public var description: String { "\(bytes) B" }

    public init(from decoder: any Decoder) throws {
        self.bytes = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bytes)
    }
}
