/// How names outside Prometheus's legacy character set (`[a-zA-Z0-9_:]`)
/// are written: the `escaping` parameter of a scrape's content negotiation.
///
/// A scraper that can read UTF-8 names (Prometheus 3) asks for
/// ``allowUTF8`` in its `Accept` header; one that says nothing gets
/// ``underscores``, which every Prometheus reads. Either way the response's
/// `Content-Type` says which was used (``PrometheusExposition/contentType``).
public enum PrometheusNameEscaping: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Every character outside the legacy set becomes `_`, as
    /// ``PrometheusNaming`` describes: `document_storage_save_attempts_total`.
    case underscores
    /// Names keep their characters (`document_storage.save.attempts_total`,
    /// a label `status.code`), quoted where the legacy syntax cannot hold them:
    /// `{"document_storage.save.attempts_total",entity_id="api"} 3`. The
    /// suffixes (`_total`, `_seconds`, `_bucket`) are the same as with
    /// ``underscores``.
    case allowUTF8 = "allow-utf-8"

    public var description: String { rawValue }
}
