import MVXMetrics

/// A metric whose handler calls `pass` for each event of `Event`, so a test
/// can hold the processing thread inside it (and with it the recorder's lock
/// and the lane being drained) until the test lets it go.
struct GatedMetric<Event: MetricEvent>: Metric {
    let name: String
    let pass: @Sendable () -> Void
    var seen = EventCount()

    init(_ name: String, of type: Event.Type, pass: @escaping @Sendable () -> Void) {
        self.name = name
        self.pass = pass
    }

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self) { metric, _ in
            metric.pass()
            return metric.seen.increment()
        }
    }

    func snapshot() -> MetricSnapshot { MetricSnapshot(name: name, dimensions: seen.dimensions) }
}
