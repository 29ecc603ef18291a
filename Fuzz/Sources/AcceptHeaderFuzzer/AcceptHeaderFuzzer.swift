import MVXMetricsPrometheus

/// libFuzzer's entry point: the bytes as an HTTP `Accept` header (invalid
/// UTF-8 repaired, as a server's header decoding would), checked by
/// ``AcceptNegotiation``.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAcceptHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    AcceptNegotiation.check(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}

/// What `PrometheusFormat.negotiated(accept:)` promises for any header, not
/// only well-formed ones: it returns (never crashes), gives the same answer
/// twice, answers OpenMetrics only when the header names the OpenMetrics
/// media type, and does not change its answer when a range the client
/// refuses (`q=0`) is appended.
enum AcceptNegotiation {
    static func check(_ header: String) {
        let format = PrometheusFormat.negotiated(accept: header)
        require(PrometheusFormat.negotiated(accept: header) == format, "two answers", header)
        if format == .openMetrics {
            require(header.lowercased().contains("application/openmetrics-text"), "OpenMetrics unasked", header)
        }
        for refused in [",application/openmetrics-text;q=0", ",text/plain;q=0", ",*/*;q=0"] {
            require(
                PrometheusFormat.negotiated(accept: header + refused) == format, "changed by \(refused)", header)
        }
    }

    private static func require(_ condition: Bool, _ reason: String, _ header: String) {
        guard condition else { fatalError("negotiated(accept:): \(reason) for \(header.debugDescription)") }
    }
}
