#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Every metric of one recorder at one moment, with the recorder's own statistics.
///
/// Metrics are sorted by name, so two snapshots of the same recorder list them in
/// the same order. ``startedAt`` and ``takenAt`` have millisecond precision, so a snapshot survives
/// a JSON round trip unchanged. The JSON form is documented in the Snapshots article;
/// ``jsonData(prettyPrinted:)`` writes it.
public struct RecorderSnapshot: Sendable, Hashable, CustomStringConvertible {
    /// The recorder's entity id: the measured entity or scope, such as `document-storage`.
    public var entityID: String
    /// When the recorder began counting, to the millisecond: every counter,
    /// sum and distribution in the snapshot covers the time from here to
    /// ``takenAt``. Exporters give it as the start of cumulative series
    /// (OTLP's `start_time_unix_nano`).
    public var startedAt: Date
    /// When the snapshot was taken, to the millisecond.
    public var takenAt: Date
    /// The labels every series of the recorder carries in every exporter
    /// (`MetricsRuntime.Configuration.commonLabels`); `"common_labels"` in
    /// JSON, left out when there are none.
    public var commonLabels: [String: String]
    /// Every metric's snapshot, sorted by name.
    public var metrics: [MetricSnapshot]
    /// The recorder's statistics at the same moment.
    public var statistics: RecorderStatistics

    /// Creates a snapshot; the dates are truncated to the millisecond. A
    /// snapshot with no `startedAt` (one made by hand, with no recorder
    /// behind it) starts when it was taken.
    public init(
        entityID: String, startedAt: Date? = nil, takenAt: Date, commonLabels: [String: String] = [:],
        metrics: [MetricSnapshot], statistics: RecorderStatistics
    ) {
        self.entityID = entityID
        self.commonLabels = commonLabels
        self.takenAt = Timestamp.truncatedToMilliseconds(takenAt)
        self.startedAt = startedAt.map(Timestamp.truncatedToMilliseconds) ?? self.takenAt
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
        var header = "recorder \(entityID) at \(Timestamp.format(takenAt))"
        if !commonLabels.isEmpty {
            header +=
                " {" + commonLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                + "}"
        }
        var lines = [header]
        for metric in metrics { lines.append(metric.description) }
        return lines.joined(separator: "\n")
    }
}

extension RecorderSnapshot: Codable {
    enum CodingKeys: String, CodingKey {
        case entityID = "entity_id"
        case startedAt = "started_at"
        case takenAt = "taken_at"
        case commonLabels = "common_labels"
        case metrics, statistics
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entityID = try container.decode(String.self, forKey: .entityID)
        takenAt = try Self.decodeDate(.takenAt, in: container)
        // Written by every encoder since it exists; a snapshot without it
        // starts when it was taken, as one made by hand does.
        startedAt = try container.contains(.startedAt) ? Self.decodeDate(.startedAt, in: container) : takenAt
        commonLabels = try container.decodeIfPresent([String: String].self, forKey: .commonLabels) ?? [:]
        metrics = try container.decode([MetricSnapshot].self, forKey: .metrics)
        statistics = try container.decode(RecorderStatistics.self, forKey: .statistics)
    }

    private static func decodeDate(_ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>) throws -> Date {
        let text = try container.decode(String.self, forKey: key)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "expected an RFC 3339 UTC timestamp such as 2026-01-31T12:00:00.000Z, got \"\(text)\""
            )
        }
        return date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entityID, forKey: .entityID)
        try container.encode(Timestamp.format(startedAt), forKey: .startedAt)
        try container.encode(Timestamp.format(takenAt), forKey: .takenAt)
        if !commonLabels.isEmpty { try container.encode(commonLabels, forKey: .commonLabels) }
        try container.encode(metrics, forKey: .metrics)
        try container.encode(statistics, forKey: .statistics)
    }
}
