/// How names outside Prometheus's legacy character set (`[a-zA-Z0-9_:]`)
/// are written: the `escaping` parameter of a scrape's content negotiation.
///
/// A scraper that can read UTF-8 names (Prometheus 3) asks for
/// ``allowUTF8`` in its `Accept` header; one that says nothing gets
/// ``underscores``, which every Prometheus reads. Either way the response's
/// `Content-Type` says which was used (``PrometheusExposition/contentType``).
///
/// A struct with static values rather than an enum: Prometheus defines more
/// schemes (`dots`, `values`), which a later version may add.
public struct PrometheusNameEscaping: Sendable, Hashable, CustomStringConvertible {
    enum Kind: UInt8, Sendable, Hashable {
        case underscores, allowUTF8
    }

    let kind: Kind

    /// Every character outside the legacy set becomes `_`, as
    /// ``PrometheusNaming`` describes: `document_storage_save_attempts_total`.
    public static var underscores: PrometheusNameEscaping { PrometheusNameEscaping(kind: .underscores) }
    /// Names keep their characters (`document_storage.save.attempts_total`,
    /// a label `status.code`), quoted where the legacy syntax cannot hold them:
    /// `{"document_storage.save.attempts_total",entity_id="api"} 3`. The
    /// suffixes (`_total`, `_seconds`, `_bucket`) are the same as with
    /// ``underscores``.
    public static var allowUTF8: PrometheusNameEscaping { PrometheusNameEscaping(kind: .allowUTF8) }

    /// The scheme's name in a `Content-Type`: `underscores` or `allow-utf-8`.
    public var description: String {
        switch kind {
        case .underscores: "underscores"
        case .allowUTF8: "allow-utf-8"
        }
    }
}
