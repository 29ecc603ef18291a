/// A metric accepted an event and changed: what a ``RecorderHook`` is told.
public struct MetricChange: Sendable, CustomStringConvertible {
    /// The entity id of the recorder that owns the metric.
    public let entityID: String
    /// The name of the metric that changed.
    public let metricName: String
    /// The event the metric accepted.
    public let event: any MetricEvent

    /// Creates a change record.
    public init(entityID: String, metricName: String, event: any MetricEvent) {
        self.entityID = entityID
        self.metricName = metricName
        self.event = event
    }

    public var description: String { "\(entityID): \(metricName) changed on \(event.eventType)" }
}
