#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Every metric of one recorder at one moment, with the recorder's own statistics.
///
/// Metrics are sorted by name, so two snapshots of the same recorder list them in
/// the same order. ``takenAt`` has millisecond precision, so a snapshot survives
/// a JSON round trip unchanged. The JSON form is documented in <doc:Snapshots>;
/// ``jsonData(prettyPrinted:)`` writes it.
public struct RecorderSnapshot: Sendable, Hashable, CustomStringConvertible {
    /// The recorder's entity id: the measured entity or scope, such as `document-storage`.
    public var entityID: String
    /// When the snapshot was taken, to the millisecond.
    public var takenAt: Date
    /// Every metric's snapshot, sorted by name.
    public var metrics: [MetricSnapshot]
    /// The recorder's statistics at the same moment.
    public var statistics: RecorderStatistics

    /// Creates a snapshot; `takenAt` is truncated to the millisecond.
    public init(entityID: String, takenAt: Date, metrics: [MetricSnapshot], statistics: RecorderStatistics) {
        self.entityID = entityID
        self.takenAt = Timestamp.truncatedToMilliseconds(takenAt)
        self.metrics = metrics
        self.statistics = statistics
    }

    /// The snapshot of the metric with this name, if the recorder has one.
    public subscript(_ metricName: String) -> MetricSnapshot? {
        metrics.first { $0.name == metricName }
    }

    /// The snapshot as JSON, in the documented stable form: keys sorted,
    /// timestamps in RFC 3339 UTC with milliseconds, non-finite numbers as the
    /// strings `"NaN"`, `"+Inf"` and `"-Inf"`.
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        try MetricsJSON.encoder(prettyPrinted: prettyPrinted).encode(self)
    }

    /// A readable listing: a header line, then one line per dimension.
    public var description: String {
        var lines = ["recorder \(entityID) at \(Timestamp.format(takenAt))"]
        for metric in metrics { lines.append(metric.description) }
        return lines.joined(separator: "\n")
    }
}

extension RecorderSnapshot: Codable {
    enum CodingKeys: String, CodingKey {
        case entityID = "entity_id"
        case takenAt = "taken_at"
        case metrics, statistics
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entityID = try container.decode(String.self, forKey: .entityID)
        let text = try container.decode(String.self, forKey: .takenAt)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .takenAt, in: container,
                debugDescription: "expected an RFC 3339 UTC timestamp such as 2026-01-31T12:00:00.000Z, got \"\(text)\""
            )
        }
        takenAt = date
        metrics = try container.decode([MetricSnapshot].self, forKey: .metrics)
        statistics = try container.decode(RecorderStatistics.self, forKey: .statistics)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entityID, forKey: .entityID)
        try container.encode(Timestamp.format(takenAt), forKey: .takenAt)
        try container.encode(metrics, forKey: .metrics)
        try container.encode(statistics, forKey: .statistics)
    }
}
