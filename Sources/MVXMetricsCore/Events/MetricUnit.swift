/// The unit a dimension is measured in, carried from event payload types to
/// snapshots and exporters.
///
/// Units are base units, as Prometheus and OpenTelemetry recommend: durations are
/// reported in ``seconds`` and sizes in ``bytes``. Payload types choose their unit
/// through ``MetricValue/unit``, so a `Duration` field cannot be recorded as
/// milliseconds by mistake.
///
/// A custom unit is a lowercase name (`[a-z][a-z0-9_]*`), such as `celsius`;
/// registration rejects any other spelling.
public struct MetricUnit: Sendable, Hashable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The unit's name as exporters print it, such as `seconds`.
    public let name: String

    /// Creates a unit with the given name.
    public init(_ name: String) { self.name = name }

    /// Creates a unit from a string literal.
    public init(stringLiteral value: String) { self.name = value }

    /// Seconds: the unit of every `Duration`.
    public static let seconds = MetricUnit("seconds")
    /// Bytes: the unit of every ``ByteCount``.
    public static let bytes = MetricUnit("bytes")
    /// A ratio between 0 and 1.
    public static let ratio = MetricUnit("ratio")

    public var description: String { name }

    public init(from decoder: any Decoder) throws {
        self.name = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
