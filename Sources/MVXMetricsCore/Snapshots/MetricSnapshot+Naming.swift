extension MetricSnapshot {
    /// How exporters name a metric's dimensions.
    ///
    /// Most metrics are one measured thing whose dimensions are its facets, so
    /// an exporter names each after both: `document_storage.save.attempts`
    /// and `duration` become `document_storage_save_attempts_duration_seconds`
    /// in Prometheus. A metric that gathers instruments defined elsewhere,
    /// such as the swift-metrics bridge's (one dimension per swift-metrics
    /// label), names them after the dimension alone, so they keep the names
    /// their library gave them and existing dashboards find them:
    /// `http_server_request_duration_seconds`, not
    /// `swift_metrics_timers_http_server_request_duration_seconds`.
    public enum Naming: String, Sendable, Hashable, Codable {
        /// The metric's name, then the dimension's (left out when it is
        /// `total`, `value` or `distribution`).
        case metricAndDimension
        /// The dimension's name alone; the metric's name only groups them.
        case dimension
    }
}
