import MVXMetrics

/// How a snapshot's dimensions are named in OTLP, following OpenTelemetry's
/// conventions rather than Prometheus's: names keep their dots, the unit
/// goes in the metric's `unit` field (UCUM) instead of a suffix, and
/// counters carry no `_total`.
enum OTLPNaming {
    /// MetricDimension names that add nothing to a metric's name.
    static let neutralDimensionNames: Set<String> = ["total", "value", "distribution"]

    /// `document_storage.save.attempts` for its `total`,
    /// `document_storage.save.duration` for a `seconds` distribution in
    /// seconds, `document_storage.save.bytes.largest` otherwise.
    ///
    /// A dimension named alone (`MetricSnapshot.Naming.dimension`) is the
    /// metric's name by itself: `http_server_request_duration`.
    static func name(
        metric: String, dimension: String, naming: MetricSnapshot.Naming, unit: MetricUnit?, isCounter: Bool
    ) -> String {
        if naming == .dimension { return dimension }
        var dimension = dimension
        if isCounter, dimension.hasSuffix("_total"), dimension.utf8.count > 6 { dimension.removeLast(6) }
        if neutralDimensionNames.contains(dimension) || dimension == unit?.name { return metric }
        return metric + "." + dimension
    }

    /// The UCUM code of a unit: `s` for seconds, `By` for bytes, `1` for a
    /// ratio; any other unit as it was named.
    static func unit(_ unit: MetricUnit?) -> String {
        switch unit?.name {
        case nil: ""
        case "seconds": "s"
        case "milliseconds": "ms"
        case "microseconds": "us"
        case "nanoseconds": "ns"
        case "bytes": "By"
        case "ratio": "1"
        case let name?: name
        }
    }
}
