import MVXMetrics
import MVXMetricsExportSupport

/// Turns changed dimensions into StatsD lines: counters as deltas, gauges as
/// values, distributions as one timing per new observation.
struct StatsDLineFormatter {
    let configuration: StatsDExporter.Configuration
    var tracker = DeltaTracker()
    /// Observations not sent because a series had more new ones in one export
    /// than `maximumTimingsPerSeries`.
    var timingsDropped: UInt64 = 0

    init(configuration: StatsDExporter.Configuration) {
        self.configuration = configuration
    }

    /// The lines for every dimension of `snapshot` that changed; with
    /// DogStatsD tags, `commonLabels` are tags of each.
    mutating func lines(
        for snapshot: MetricSnapshot, entityID: String, commonLabels: [String: String] = [:]
    ) -> [String] {
        var lines: [String] = []
        for dimension in snapshot.dimensions {
            let series = SeriesKey(entityID: entityID, metric: snapshot.name, dimension: dimension)
            let (name, tags) = nameAndTags(
                metric: snapshot.name, naming: snapshot.naming, dimension: dimension, entityID: entityID,
                commonLabels: commonLabels)
            switch dimension.value {
            case .counter(let value):
                let delta = tracker.counterDelta(series, value)
                if delta > 0 { lines.append(name + ":\(delta)|c" + tags) }
            case .sum(let value):
                let delta = tracker.sumDelta(series, value)
                if delta > 0 { lines.append(name + ":" + Self.number(delta) + "|c" + tags) }
            case .gauge(let value):
                // An unset gauge sends nothing until it is set.
                guard let value, value.isFinite, tracker.gaugeChanged(series, value) else { continue }
                // A leading sign makes a StatsD gauge a delta: set 0 first, then subtract.
                if value < 0 { lines.append(name + ":0|g" + tags) }
                lines.append(name + ":" + Self.number(value) + "|g" + tags)
            case .distribution(let distribution):
                let seconds = dimension.unit == .seconds
                let type = seconds ? "|ms" : (configuration.tagStyle == .dogStatsD ? "|h" : "|ms")
                var budget = configuration.maximumTimingsPerSeries
                for (value, count) in tracker.newObservations(series, distribution) {
                    let line = name + ":" + Self.number(seconds ? value * 1000 : value) + type + tags
                    let sent = min(UInt64(budget), count)
                    for _ in 0..<sent { lines.append(line) }
                    budget -= Int(sent)
                    timingsDropped &+= count - sent
                }
            }
        }
        return lines
    }

    /// The StatsD name of a dimension, and its DogStatsD tags (or ""). A
    /// dimension named alone (`MetricSnapshot.Naming.dimension`) stands in
    /// for the metric's name. A tag of the dimension's wins over the entity
    /// id's, and both over a common label's.
    func nameAndTags(
        metric: String, naming: MetricSnapshot.Naming, dimension: MetricDimension, entityID: String,
        commonLabels: [String: String] = [:]
    ) -> (String, String) {
        var name = configuration.prefix.map { Self.sanitized($0, keepingDots: true) + "." } ?? ""
        let ownName = naming == .dimension
        let metric = ownName ? dimension.name : metric
        let neutral = ownName || ["total", "value", "distribution"].contains(dimension.name)
        switch configuration.tagStyle {
        case .none:
            name += Self.sanitized(entityID, keepingDots: false) + "." + Self.sanitized(metric, keepingDots: true)
            if !neutral { name += "." + dimension.name }
            for (label, value) in dimension.labels.sorted(by: { $0.key < $1.key }) {
                name +=
                    "." + Self.sanitized(label, keepingDots: false) + "." + Self.sanitized(value, keepingDots: false)
            }
            return (name, "")
        case .dogStatsD:
            name += Self.sanitized(metric, keepingDots: true)
            if !neutral { name += "." + dimension.name }
            var tags = commonLabels
            tags["entity_id"] = entityID
            for (label, value) in dimension.labels { tags[label] = value }
            let rendered = tags.sorted { $0.key < $1.key }.map {
                Self.sanitizedTag($0.key) + ":" + Self.sanitizedTag($0.value)
            }
            return (name, "|#" + rendered.joined(separator: ","))
        }
    }

    /// Letters, digits, `_`, `-` (and `.` where a name may have parts); anything
    /// else, which the line format would misread, becomes `_`.
    static func sanitized(_ text: String, keepingDots: Bool) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let ok =
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_" || scalar == "-" || (keepingDots && scalar == ".")
            result.unicodeScalars.append(ok ? scalar : "_")
        }
        return result.isEmpty ? "_" : result
    }

    /// A tag name or value without the characters that separate tags.
    static func sanitizedTag(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let separator =
                scalar == ":" || scalar == "," || scalar == "|" || scalar == "#" || scalar == "@"
                || scalar == "\n" || scalar == " "
            result.unicodeScalars.append(separator ? "_" : scalar)
        }
        return result
    }

    /// Whole numbers without a fraction, others in the shortest form.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), value.magnitude < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
