import MVXMetricsCore

/// Attempts of one TCP stream operation: counts by outcome, refusals by
/// reason, and a duration distribution.
///
/// Dimensions: `total`, one `<outcome>_total` per ``TCPStreamOutcome``,
/// `refused_by_reason_total{reason=…}` per ``TCPStreamRefusalReason``, and
/// `duration` (seconds).
public struct TCPStreamAttemptsMetric<Event: TCPStreamAttemptEvent>: Metric {
    public let name: String
    public let help: String?
    public private(set) var attempts = OutcomeCounts<TCPStreamOutcome>()
    public private(set) var refusals = CaseCounts<TCPStreamRefusalReason>(
        dimension: "refused_by_reason_total", label: "reason")
    public private(set) var duration: Distribution<Duration>

    /// Creates the metric for `Event`, named `name`.
    public init(_ name: String, help: String, of eventType: Event.Type = Event.self) throws(MetricsError) {
        self.name = name
        self.help = help
        duration = try Distribution(dimension: "duration", buckets: .durations)
    }

    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self) { metric, event in
            var update = metric.attempts.record(event.outcome)
            if event.outcome == .refused, let reason = event.refusalReason {
                update.formUnion(metric.refusals.record(reason))
            }
            update.formUnion(metric.duration.record(event.duration))
            return update
        }
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(
            name: name, help: help,
            dimensions: attempts.dimensions + refusals.dimensions + duration.dimensions)
    }
}
