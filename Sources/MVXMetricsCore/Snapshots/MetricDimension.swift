/// One quantitative part of a metric at one moment: `total`, `success_total`,
/// `refused_total{reason="tls"}`, a bytes sum, a duration distribution.
///
/// A dimension is identified within its metric by its ``name`` and ``labels``.
/// Its JSON form is documented in the Snapshots article:
///
/// ```json
/// {"labels":{"reason":"tls"},"name":"refused_total","type":"counter","value":3}
/// ```
public struct MetricDimension: Sendable, Hashable, CustomStringConvertible {
    /// The dimension's name within its metric, such as `success_total`.
    public var name: String
    /// Labels that distinguish series of the same name, such as `["reason": "tls"]`.
    public var labels: [String: String]
    /// The unit of the value, if it has one.
    public var unit: MetricUnit?
    /// The value.
    public var value: DimensionValue
    /// The dimension this one is a part of, when it is one: an outcome's
    /// `success_total` is the part `outcome="success"` of `total`. Exporters
    /// whose convention is one labelled series per part write it that way
    /// (see ``Part``); the others keep the name.
    public var partOf: Part?

    /// Creates a dimension.
    public init(
        _ name: String,
        labels: [String: String] = [:],
        unit: MetricUnit? = nil,
        value: DimensionValue,
        partOf: Part? = nil
    ) {
        self.name = name
        self.labels = labels
        self.unit = unit
        self.value = value
        self.partOf = partOf
    }

    /// The name with its labels, sorted by label name: `refused_total{reason="tls"}`.
    public var key: String {
        guard !labels.isEmpty else { return name }
        let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
        return name + "{" + pairs.joined(separator: ",") + "}"
    }

    public var description: String { "\(key) \(value)" }
}

extension MetricDimension: Codable {
    enum CodingKeys: String, CodingKey {
        case name, labels, unit, type, value
        case partOf = "part_of"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        unit = try container.decodeIfPresent(MetricUnit.self, forKey: .unit)
        partOf = try container.decodeIfPresent(Part.self, forKey: .partOf)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "counter": value = .counter(try container.decode(UInt64.self, forKey: .value))
        case "sum": value = .sum(try container.decode(Double.self, forKey: .value))
        case "gauge": value = .gauge(try container.decode(Double?.self, forKey: .value))
        case "distribution":
            value = .distribution(try container.decode(DistributionSnapshot.self, forKey: .value))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container,
                debugDescription: "unknown dimension type \"\(type)\"; expected counter, sum, gauge or distribution"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        if !labels.isEmpty { try container.encode(labels, forKey: .labels) }
        try container.encodeIfPresent(unit, forKey: .unit)
        try container.encodeIfPresent(partOf, forKey: .partOf)
        try container.encode(value.typeName, forKey: .type)
        switch value {
        case .counter(let count): try container.encode(count, forKey: .value)
        case .sum(let number): try container.encode(number, forKey: .value)
        // An unset gauge writes `"value":null`.
        case .gauge(let number): try container.encode(number, forKey: .value)
        case .distribution(let distribution): try container.encode(distribution, forKey: .value)
        }
    }
}
