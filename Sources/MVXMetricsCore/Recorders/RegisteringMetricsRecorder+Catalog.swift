extension RegisteringMetricsRecorder {
    /// What this recorder measures: its metrics, their dimensions, units,
    /// labels and every enumerated label value (``MetricCatalog``), read from
    /// a snapshot. Registering every metric is enough: no event needs to have
    /// been recorded.
    public func catalog() -> MetricCatalog {
        MetricCatalog(snapshot())
    }
}
