extension PrometheusExposition {
    /// The HTTP `Content-Type` of this exposition's output: the format, its
    /// version, and the name escaping used (`escaping=underscores` or
    /// `escaping=allow-utf-8`), as Prometheus's content negotiation asks. UTF-8
    /// names in the text format are its version 1.0.0.
    public var contentType: String {
        switch (format, nameEscaping) {
        case (.text, .underscores): "text/plain; version=0.0.4; charset=utf-8; escaping=underscores"
        case (.text, .allowUTF8): "text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8"
        case (.openMetrics, .underscores):
            "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores"
        case (.openMetrics, .allowUTF8):
            "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8"
        }
    }

    /// This exposition in the format and name escaping a scraper asks for in
    /// its HTTP `Accept` header.
    ///
    /// The format is OpenMetrics if the client prefers it (by quality value)
    /// to the text format, the text format otherwise (and when there is no
    /// header); on a tie the range listed first wins. Names keep UTF-8 only
    /// when the chosen range says `escaping=allow-utf-8`; any other escaping
    /// (`underscores`, `dots`, `values`) or none gets underscores, and the
    /// ``contentType`` says so.
    public func negotiated(accept: String?) -> PrometheusExposition {
        var exposition = self
        exposition.format = .text
        exposition.nameEscaping = .underscores
        guard let accept, !accept.isEmpty else { return exposition }
        var best: (format: PrometheusFormat, escaping: PrometheusNameEscaping, quality: Double)?
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingSpaces() }
            guard let mediaType = parts.first?.lowercased() else { continue }
            var quality = 1.0
            var escaping = PrometheusNameEscaping.underscores
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
                guard pair.count == 2 else { continue }
                switch pair[0].lowercased() {
                case "q": if let value = Double(pair[1]) { quality = value }
                case "escaping":
                    if pair[1].lowercased() == PrometheusNameEscaping.allowUTF8.rawValue { escaping = .allowUTF8 }
                default: break
                }
            }
            let format: PrometheusFormat
            switch mediaType {
            case "application/openmetrics-text": format = .openMetrics
            case "text/plain", "text/*", "*/*": format = .text
            default: continue
            }
            guard quality > 0 else { continue }
            if best == nil || quality > best!.quality { best = (format, escaping, quality) }
        }
        if let best {
            exposition.format = best.format
            exposition.nameEscaping = best.escaping
        }
        return exposition
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
