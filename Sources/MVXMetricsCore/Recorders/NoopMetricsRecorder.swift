/// A recorder that measures nothing: the default for components whose users
/// did not ask for metrics, so instrumentation is free to leave in.
public struct NoopMetricsRecorder: MetricsRecorder {
    /// Creates a no-op recorder.
    @inlinable
    public init() {}

    /// Discards `event`.
    @inlinable
    @discardableResult
    public func record<Event: MetricEvent>(_ event: Event) -> RecordResult { .discarded }
}

extension MetricsRecorder where Self == NoopMetricsRecorder {
    /// A recorder that measures nothing.
    public static var noop: NoopMetricsRecorder { NoopMetricsRecorder() }
}
