/// The narrow contract production code depends on: hand over an event and go on.
///
/// A component takes a recorder and emits facts; it knows nothing of metrics,
/// queues, threads or exporters:
///
/// ```swift
/// final class DocumentStorage {
///     private let metrics: any MetricsRecorder
///
///     init(metrics: any MetricsRecorder = .noop) { self.metrics = metrics }
///
///     func saveDocument(_ document: Document) throws {
///         // …
///         metrics.record(DocumentSaveAttempt(outcome: .success, contentSize: 1840, duration: elapsed))
///     }
/// }
/// ```
///
/// The library provides `InlineMetricsRecorder` (processes on the caller's
/// thread: deterministic, for tests and tools), ``NoopMetricsRecorder`` (makes
/// instrumentation free to leave in), and `QueuedMetricsRecorder`, which a
/// `MetricsRuntime` creates for production.
///
/// ## Implementing a recorder
///
/// You probably want one of the recorders above instead. A custom recorder
/// (one that forwards events to another process, say) must be safe to call
/// from any thread, must not block for long, and should report what it did
/// with each event through ``RecordResult``.
public protocol MetricsRecorder: Sendable {
    /// Hands `event` to the recorder. Safe from any thread, sync or async code.
    @discardableResult
    func record<Event: MetricEvent>(_ event: Event) -> RecordResult
}
