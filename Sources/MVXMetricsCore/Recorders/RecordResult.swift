/// What a recorder did with an event handed to ``MetricsRecorder/record(_:)``.
///
/// Production code usually ignores it; code that cares about back-pressure can
/// inspect it:
///
/// ```swift
/// if recorder.record(event) == .dropped { shedLoad() }
/// ```
public struct RecordResult: Sendable, Hashable, CustomStringConvertible {
    @usableFromInline let code: UInt8
    @inlinable init(_ code: UInt8) { self.code = code }

    /// The recorder took the event: it is processed, or queued for processing.
    @inlinable public static var recorded: RecordResult { RecordResult(0) }
    /// The recorder could not take the event (a full queue whose policy drops
    /// new events, or a stopped recorder). The drop is counted.
    @inlinable public static var dropped: RecordResult { RecordResult(1) }
    /// The recorder does not measure anything (``NoopMetricsRecorder``).
    @inlinable public static var discarded: RecordResult { RecordResult(2) }

    public var description: String {
        switch code {
        case 0: "recorded"
        case 1: "dropped"
        default: "discarded"
        }
    }
}
