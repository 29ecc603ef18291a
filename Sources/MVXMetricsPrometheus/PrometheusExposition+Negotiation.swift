extension PrometheusExposition {
    /// The HTTP `Content-Type` of this exposition's output: the format, its
    /// version, and the name escaping used (`escaping=underscores` or
    /// `escaping=allow-utf-8`), as Prometheus's content negotiation asks. UTF-8
    /// names in the text format are its version 1.0.0.
    public var contentType: String {
        switch (format.kind, nameEscaping.kind) {
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
        for range in HTTPHeaderList(accept).elements {
            let escaping: PrometheusNameEscaping =
                range.parameters.contains {
                    $0.name == "escaping" && $0.value.lowercased() == PrometheusNameEscaping.allowUTF8.description
                } ? .allowUTF8 : .underscores
            let format: PrometheusFormat
            switch range.value {
            case "application/openmetrics-text": format = .openMetrics
            case "text/plain", "text/*", "*/*": format = .text
            default: continue
            }
            guard range.quality > 0 else { continue }
            if best == nil || range.quality > best!.quality { best = (format, escaping, range.quality) }
        }
        if let best {
            exposition.format = best.format
            exposition.nameEscaping = best.escaping
        }
        return exposition
    }
}
