import MVXMetricsPrometheus

/// libFuzzer's entry point: the bytes as an HTTP `Accept` header (invalid
/// UTF-8 repaired, as a server's header decoding would), checked by
/// ``AcceptNegotiation``.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAcceptHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    AcceptNegotiation.check(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}

/// What `PrometheusExposition.negotiated(accept:)` promises for any header,
/// not only well-formed ones: it returns (never crashes), gives the same
/// answer twice, answers OpenMetrics only when the header names the
/// OpenMetrics media type and UTF-8 names only when it names
/// `escaping=allow-utf-8`, and does not change its answer when a range the
/// client refuses (`q=0`) is appended.
enum AcceptNegotiation {
    static func check(_ header: String) {
        let exposition = PrometheusExposition()
        let answer = exposition.negotiated(accept: header).contentType
        require(exposition.negotiated(accept: header).contentType == answer, "two answers", header)
        let asked = header.lowercased()
        if answer.hasPrefix("application/openmetrics-text") {
            require(asked.contains("application/openmetrics-text"), "OpenMetrics unasked", header)
        }
        if answer.hasSuffix("escaping=allow-utf-8") {
            require(asked.contains("allow-utf-8"), "UTF-8 names unasked", header)
        }
        for refused in [
            ",application/openmetrics-text;q=0", ",text/plain;q=0", ",*/*;q=0",
            ",application/openmetrics-text;escaping=allow-utf-8;q=0",
        ] {
            require(
                exposition.negotiated(accept: header + refused).contentType == answer, "changed by \(refused)", header)
        }
    }

    private static func require(_ condition: Bool, _ reason: String, _ header: String) {
        guard condition else { fatalError("negotiated(accept:): \(reason) for \(header.debugDescription)") }
    }
}
