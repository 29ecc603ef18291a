/// The exposition formats the renderer writes.
public enum PrometheusFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The Prometheus text format, version 0.0.4.
    case text
    /// OpenMetrics 1.0.
    case openMetrics

    /// The HTTP `Content-Type` of a response in this format.
    public var contentType: String {
        switch self {
        case .text: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// Chooses the format a client asks for in an HTTP `Accept` header:
    /// OpenMetrics if the client prefers it (by quality value) to the text
    /// format, the text format otherwise (and when there is no header).
    public static func negotiated(accept: String?) -> PrometheusFormat {
        guard let accept, !accept.isEmpty else { return .text }
        var best: (format: PrometheusFormat, quality: Double)?
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingSpaces() }
            guard let mediaType = parts.first?.lowercased() else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
                if pair.count == 2, pair[0].lowercased() == "q", let value = Double(pair[1]) { quality = value }
            }
            let format: PrometheusFormat
            switch mediaType {
            case "application/openmetrics-text": format = .openMetrics
            case "text/plain", "text/*", "*/*": format = .text
            default: continue
            }
            guard quality > 0 else { continue }
            // On a tie the earlier range wins, as clients list their preference first.
            if best == nil || quality > best!.quality { best = (format, quality) }
        }
        return best?.format ?? .text
    }

    public var description: String { rawValue }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
