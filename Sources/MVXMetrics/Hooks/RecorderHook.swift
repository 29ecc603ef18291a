/// An observer of a recorder: told after a metric accepted an event, and when
/// the recorder starts and stops.
///
/// Hooks are the growth point for exporters, observers, probes and threshold
/// checks. They run behind the recording boundary: a queued recorder calls them
/// on its runtime's processing thread, after the metric's lock is released;
/// the inline recorder calls ``metricChanged(_:)`` on the recording thread.
/// Start and stop notifications run on the thread that starts or stops the
/// recorder.
///
/// A hook that throws is isolated: the recorder counts the failure in
/// ``RecorderStatistics/hookFailures``, logs it, and goes on with the other
/// hooks and every metric. Keep hooks short, or hand work to a queue of your
/// own: a slow hook delays the processing of later events (never their
/// recording). A hook must not flush, stop or snapshot-wait on its own
/// recorder's runtime from ``metricChanged(_:)``.
///
/// ```swift
/// struct ThresholdAlarm: RecorderHook {
///     func metricChanged(_ change: MetricChange) throws {
///         guard change.metricName == "tcp_stream.read.attempts" else { return }
///         // …
///     }
/// }
/// ```
public protocol RecorderHook: Sendable {
    /// A metric accepted an event and changed.
    func metricChanged(_ change: MetricChange) throws

    /// The recorder with `entityID` started.
    func recorderStarted(entityID: String) throws

    /// The recorder with `entityID` stopped, after processing every event it accepted.
    func recorderStopped(entityID: String) throws
}

extension RecorderHook {
    /// Does nothing.
    public func metricChanged(_ change: MetricChange) throws {}
    /// Does nothing.
    public func recorderStarted(entityID: String) throws {}
    /// Does nothing.
    public func recorderStopped(entityID: String) throws {}
}
