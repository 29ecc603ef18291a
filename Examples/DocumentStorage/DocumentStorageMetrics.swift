import MVXMetricsCore

/// The document storage's metrics, for registering in one go.
public enum DocumentStorageMetrics {
    /// Attempts by outcome, saved bytes and save duration.
    public static func all() throws(MetricsError) -> [any Metric] {
        [DocumentSaveAttemptsMetric(), DocumentSavedBytesMetric(), try DocumentSaveDurationMetric()]
    }
}
