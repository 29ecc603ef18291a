/// A structured fact that production code emits: something that happened.
///
/// An event is not a counter and not a measurement. It describes what happened
/// and carries the compact payload that metrics may need (an outcome, a size, a
/// duration). Metrics decide how the fact changes quantitative state.
///
/// Events are small value types defined next to the component that emits them:
///
/// ```swift
/// struct DocumentSaveAttempt: MetricEvent {
///     static let eventType = "document_storage.save.attempt"
///     var outcome: DocumentSaveOutcome
///     var contentSize: ByteCount
///     var duration: Duration
/// }
/// ```
///
/// The ``eventType`` names the *fact* (`document_storage.save.attempt`), never a
/// metric (`document_storage.save.attempts`). It must follow the naming rules in
/// ``MetricNaming``; a recorder checks it when a metric that accepts the event
/// type is registered.
///
/// Keep events small and free of references where you can: recorders move them
/// by value, and the queued recorder stores them without boxing.
public protocol MetricEvent: Sendable {
    /// The stable type of the fact, such as `document_storage.save.attempt`.
    static var eventType: String { get }
}

extension MetricEvent {
    /// The stable type of this event's fact; the same as `Self.eventType`.
    @inlinable
    public var eventType: String { Self.eventType }
}
