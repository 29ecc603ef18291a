/// A recorder's account of the events it was handed.
///
/// For every recorder, at every moment a snapshot can observe:
///
///     accepted = processed + dropped + pending
///
/// ``accepted`` counts every event handed to ``MetricsRecorder/record(_:)``.
/// Each is then either *processed* (delivered to every metric that accepts its
/// type), *dropped* (refused by a full queue or a stopped recorder, or evicted
/// by the drop-oldest policy), or still *pending* in a queue. ``ignored``
/// counts processed events that no metric changed or applied. The inline recorder never
/// drops and never has pending events.
public struct RecorderStatistics: Sendable, Hashable, Codable {
    /// Events handed to `record`.
    public var accepted: UInt64 = 0
    /// Events delivered to the metrics that accept their type.
    public var processed: UInt64 = 0
    /// Processed events that no metric changed or applied (no metric accepts
    /// the type, or every accepting metric found it did not apply); a gauge
    /// set to the value it holds is applied (``MetricUpdate/applied``).
    public var ignored: UInt64 = 0
    /// Metric updates that refused a value (negative, not finite, or invalid).
    public var rejectedValues: UInt64 = 0
    /// Metric handlers that threw.
    public var handlerFailures: UInt64 = 0
    /// Hooks that threw.
    public var hookFailures: UInt64 = 0
    /// Events lost to an overflow policy or refused by a recorder that was not accepting.
    public var dropped: UInt64 = 0
    /// Accepted events waiting in a queue.
    public var pending: UInt64 = 0
    /// ``dropped`` split by event type; event types no metric accepts are left out.
    public var droppedByEventType: [String: UInt64] = [:]

    /// Creates statistics, all zero unless given.
    public init(
        accepted: UInt64 = 0, processed: UInt64 = 0, ignored: UInt64 = 0,
        rejectedValues: UInt64 = 0, handlerFailures: UInt64 = 0, hookFailures: UInt64 = 0,
        dropped: UInt64 = 0, pending: UInt64 = 0, droppedByEventType: [String: UInt64] = [:]
    ) {
        self.accepted = accepted
        self.processed = processed
        self.ignored = ignored
        self.rejectedValues = rejectedValues
        self.handlerFailures = handlerFailures
        self.hookFailures = hookFailures
        self.dropped = dropped
        self.pending = pending
        self.droppedByEventType = droppedByEventType
    }

    /// Whether `accepted == processed + dropped + pending`.
    public var isBalanced: Bool { accepted == processed &+ dropped &+ pending }

    /// The statistics as a metric snapshot, so exporters can publish them like
    /// any other metric.
    public func metricSnapshot(name: String = "mvx.recorder") -> MetricSnapshot {
        MetricSnapshot(
            name: name,
            help: "The recorder's own accounting of the events it was handed.",
            dimensions: [
                MetricDimension("events_accepted_total", value: .counter(accepted)),
                MetricDimension("events_processed_total", value: .counter(processed)),
                MetricDimension("events_ignored_total", value: .counter(ignored)),
                MetricDimension("events_dropped_total", value: .counter(dropped)),
                MetricDimension("events_pending", value: .gauge(Double(pending))),
                MetricDimension("values_rejected_total", value: .counter(rejectedValues)),
                MetricDimension("handler_failures_total", value: .counter(handlerFailures)),
                MetricDimension("hook_failures_total", value: .counter(hookFailures)),
            ]
        )
    }

    enum CodingKeys: String, CodingKey {
        case accepted, processed, ignored, dropped, pending
        case rejectedValues = "rejected_values"
        case droppedByEventType = "dropped_by_event_type"
        case handlerFailures = "handler_failures"
        case hookFailures = "hook_failures"
    }
}
