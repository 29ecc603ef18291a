import MVXMetricsCore

/// An outcome enumeration like a component's own.
enum SaveOutcome: MetricCase {
    case success, failure, tooLarge
}
