/// An event that describes one timed operation: its outcome and how long it
/// took, so a recorder's `time(_:clock:_:)` can make it from the operation
/// itself.
///
/// ```swift
/// struct DocumentLoadAttempt: TimedMetricEvent {
///     static let eventType = "document_storage.load.attempt"
///     static let success = DocumentLoadOutcome.success
///     var outcome: DocumentLoadOutcome
///     var duration: Duration
///
///     static func outcome(of error: any Error) -> DocumentLoadOutcome {
///         (error as? StorageError) == .notFound ? .notFound : .failure
///     }
/// }
///
/// let document = try metrics.time(DocumentLoadAttempt.self) { try storage.load(name) }
/// ```
///
/// An event with more payload than an outcome and a duration (a size, a
/// reason) uses the form that takes a closure,
/// `time(success:failure:clock:event:_:)`.
public protocol TimedMetricEvent: MetricEvent {
    /// The outcomes of the operation.
    associatedtype Outcome: MetricCase

    /// The outcome of an operation that returned.
    static var success: Outcome { get }

    /// The outcome of an operation that threw `error`.
    static func outcome(of error: any Error) -> Outcome

    /// The event of an operation that ended with `outcome` after `duration`.
    init(outcome: Outcome, duration: Duration)
}
