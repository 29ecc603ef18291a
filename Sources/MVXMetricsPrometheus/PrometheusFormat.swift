/// The exposition formats the renderer writes.
///
/// Which one a scrape gets, and its `Content-Type`, come from
/// ``PrometheusExposition/negotiated(accept:)`` and
/// ``PrometheusExposition/contentType``.
public enum PrometheusFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The Prometheus text format: version 0.0.4, or 1.0.0 with UTF-8 names.
    case text
    /// OpenMetrics 1.0.
    case openMetrics

    public var description: String { rawValue }
}
