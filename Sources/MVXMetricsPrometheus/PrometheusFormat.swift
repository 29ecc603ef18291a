/// The exposition formats the renderer writes.
///
/// Which one a scrape gets, and its `Content-Type`, come from
/// ``PrometheusExposition/negotiated(accept:)`` and
/// ``PrometheusExposition/contentType``.
///
/// A struct with static values rather than an enum, so a later version can
/// add a format (the protobuf exposition, say) without breaking a `switch` in
/// your code.
public struct PrometheusFormat: Sendable, Hashable, CustomStringConvertible {
    enum Kind: UInt8, Sendable, Hashable {
        case text, openMetrics
    }

    let kind: Kind

    /// The Prometheus text format: version 0.0.4, or 1.0.0 with UTF-8 names.
    public static var text: PrometheusFormat { PrometheusFormat(kind: .text) }
    /// OpenMetrics 1.0.
    public static var openMetrics: PrometheusFormat { PrometheusFormat(kind: .openMetrics) }

    /// Every format the renderer writes, in the order above.
    public static var all: [PrometheusFormat] { [.text, .openMetrics] }

    /// `text` or `openMetrics`.
    public var description: String {
        switch kind {
        case .text: "text"
        case .openMetrics: "openMetrics"
        }
    }
}
