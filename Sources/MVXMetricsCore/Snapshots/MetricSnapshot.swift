/// One metric's dimensions at one moment: the stable boundary where aggregated
/// state becomes visible to tests, diagnostics and exporters.
///
/// Read a dimension by name (and labels, if it has them):
///
/// ```swift
/// let attempts = recorder.snapshot()["document_storage.save.attempts"]
/// attempts?.count("success_total")                        // 3
/// attempts?.count("refused_total", labels: ["reason": "tls"])
/// attempts?.distribution("duration")?.quantile(0.99)
/// ```
public struct MetricSnapshot: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The metric's name, such as `document_storage.save.attempts`.
    public var name: String
    /// The metric's help text, if it has one.
    public var help: String?
    /// The metric's dimensions, in the order the metric lists them.
    public var dimensions: [MetricDimension]
    /// How exporters name the dimensions: after the metric and the dimension
    /// (the default), or after the dimension alone.
    public var naming: Naming

    /// Creates a snapshot.
    public init(name: String, help: String? = nil, dimensions: [MetricDimension], naming: Naming = .metricAndDimension)
    {
        self.name = name
        self.help = help
        self.dimensions = dimensions
        self.naming = naming
    }

    /// The value of the dimension with this name and these labels, if there is one.
    public subscript(_ dimension: String, labels labels: [String: String] = [:]) -> DimensionValue? {
        dimensions.first { $0.name == dimension && $0.labels == labels }?.value
    }

    /// The counter value of a dimension, or `nil` if it is absent or not a counter.
    public func count(_ dimension: String, labels: [String: String] = [:]) -> UInt64? {
        guard case .counter(let value) = self[dimension, labels: labels] else { return nil }
        return value
    }

    /// The number held by a counter, sum or gauge dimension, or `nil`.
    public func value(_ dimension: String, labels: [String: String] = [:]) -> Double? {
        self[dimension, labels: labels]?.number
    }

    /// The distribution held by a dimension, or `nil` if it is absent or not a distribution.
    public func distribution(_ dimension: String, labels: [String: String] = [:]) -> DistributionSnapshot? {
        guard case .distribution(let value) = self[dimension, labels: labels] else { return nil }
        return value
    }

    /// One line per dimension, prefixed with the metric name.
    public var description: String {
        dimensions.map { "\(name) \($0.description)" }.joined(separator: "\n")
    }

    enum CodingKeys: String, CodingKey {
        case name, help, dimensions, naming
    }

    /// Decodes a snapshot; one without `naming` has the default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        help = try container.decodeIfPresent(String.self, forKey: .help)
        dimensions = try container.decode([MetricDimension].self, forKey: .dimensions)
        naming = try container.decodeIfPresent(Naming.self, forKey: .naming) ?? .metricAndDimension
    }

    /// Encodes the snapshot; `naming` only when it is not the default, so the
    /// JSON of every other metric stays as it was.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(help, forKey: .help)
        try container.encode(dimensions, forKey: .dimensions)
        if naming != .metricAndDimension { try container.encode(naming, forKey: .naming) }
    }
}
