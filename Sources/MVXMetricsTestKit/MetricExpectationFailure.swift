import MVXMetrics

/// A failed expectation of ``TestMetricsRecorder``: what was expected, what was
/// found, and the metric's dimensions for context.
public struct MetricExpectationFailure: Error, Sendable, CustomStringConvertible {
    /// What was expected and what was found.
    public let message: String
    /// The metric's snapshot when the expectation failed, if the metric exists.
    public let context: MetricSnapshot?

    init(_ message: String, context: MetricSnapshot?) {
        self.message = message
        self.context = context
    }

    public var description: String {
        guard let context else { return message }
        return message + "\n" + context.description
    }
}
