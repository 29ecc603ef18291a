import MVXMetrics

enum SaveOutcome: MetricCase {
    case success, failure, tooLarge
}

struct SaveAttempt: MetricEvent {
    static let eventType = "test_storage.save.attempt"
    var outcome: SaveOutcome
    var size: ByteCount = 0
    var duration: Duration = .zero
}

struct ReadAttempt: MetricEvent {
    static let eventType = "test_storage.read.attempt"
    var outcome: SaveOutcome
}

struct Temperature: MetricEvent {
    static let eventType = "test_sensor.temperature"
    var celsius: Double
}

struct RouteHit: MetricEvent {
    static let eventType = "test_http.route.hit"
    var route: String
}

/// A second Swift type that claims `SaveAttempt`'s event type string.
struct ImpostorSaveAttempt: MetricEvent {
    static let eventType = "test_storage.save.attempt"
}

struct NeverRoutedEvent: MetricEvent {
    static let eventType = "test_storage.never.routed"
}

struct BadlyNamedEvent: MetricEvent {
    static let eventType = "Test Storage/Save"
}

/// A metric whose handler throws for failures, to test isolation.
struct ThrowingMetric: Metric {
    struct Boom: Error {}
    let name = "test_storage.throwing"
    var seen = EventCount()

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(SaveAttempt.self) { metric, event in
            if event.outcome == .failure { throw Boom() }
            return metric.seen.increment()
        }
    }

    func snapshot() -> MetricSnapshot { MetricSnapshot(name: name, dimensions: seen.dimensions) }
}

/// A metric that declares no events.
struct DeafMetric: Metric {
    let name = "test_storage.deaf"
    func routes(_ routes: inout MetricRoutes<Self>) {}
    func snapshot() -> MetricSnapshot { MetricSnapshot(name: name, dimensions: []) }
}

/// A metric whose snapshot can be configured to break the rules.
struct ConfigurableMetric: Metric {
    var name = "test_storage.configurable"
    var snapshotName: String?
    var dimensions: [MetricDimension] = [MetricDimension("total", value: .counter(0))]

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(SaveAttempt.self) { _, _ in .unchanged }
    }

    func snapshot() -> MetricSnapshot { MetricSnapshot(name: snapshotName ?? name, dimensions: dimensions) }
}

func saveAttempts() -> OutcomeMetric<SaveAttempt, SaveOutcome> {
    OutcomeMetric("test_storage.save.attempts", of: SaveAttempt.self, outcome: \.outcome)
}
