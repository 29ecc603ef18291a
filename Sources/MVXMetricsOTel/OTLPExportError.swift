/// Why one export did not reach the collector whole. The exporter logs and
/// counts each (``OTLPMetricsExporter/Statistics``) and goes on: with
/// cumulative temporality the next export carries every total, with delta
/// temporality it carries everything since the last export that got through.
public enum OTLPExportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The collector answered with an HTTP status other than 200, with the
    /// start of its response body (the reason, if it gave one).
    case rejected(status: Int, body: String)
    /// No answer within ``OTLPMetricsExporter/Configuration/timeout``.
    case timedOut
    /// The connection failed: refused, reset, or the name did not resolve.
    case transport(String)

    public var description: String {
        switch self {
        case .rejected(let status, let body): "the collector answered \(status)\(body.isEmpty ? "" : ": \(body)")"
        case .timedOut: "the collector did not answer in time"
        case .transport(let reason): "the request failed: \(reason)"
        }
    }
}
