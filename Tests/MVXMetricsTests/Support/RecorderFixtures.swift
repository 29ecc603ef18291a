import MVXMetrics
import Testing

/// A recorder from a runtime that was never started: events queue and stay
/// pending, which makes full queues deterministic.
func unstartedRecorder(
    capacity: Int, policy: QueuedMetricsRecorder.OverflowPolicy, hooks: [any RecorderHook] = []
) throws -> (MetricsRuntime, QueuedMetricsRecorder) {
    let runtime = MetricsRuntime()
    let recorder = try runtime.makeRecorder(
        entityID: "queued", capacity: capacity, overflowPolicy: policy, hooks: hooks)
    try recorder.register(saveAttempts())
    return (runtime, recorder)
}

/// A started runtime and one of its recorders with the save-attempts metric.
func runningRecorder(
    capacity: Int = 1024, policy: QueuedMetricsRecorder.OverflowPolicy = .block, hooks: [any RecorderHook] = []
) throws -> (MetricsRuntime, QueuedMetricsRecorder) {
    let runtime = MetricsRuntime()
    try runtime.start()
    let recorder = try runtime.makeRecorder(
        entityID: "queued", capacity: capacity, overflowPolicy: policy, hooks: hooks)
    try recorder.register(saveAttempts())
    return (runtime, recorder)
}

/// Counts the hook calls it receives.
final class CountingHook: RecorderHook, @unchecked Sendable {
    // @unchecked: every field is guarded by `lock`.
    private let lock = NSLockLike()
    private var changesSeen: [String] = []
    private var lifecycle: [String] = []

    func metricChanged(_ change: MetricChange) throws {
        lock.run { changesSeen.append("\(change.metricName) \(change.event.eventType)") }
    }

    func recorderStarted(entityID: String) throws { lock.run { lifecycle.append("started \(entityID)") } }
    func recorderStopped(entityID: String) throws { lock.run { lifecycle.append("stopped \(entityID)") } }

    var changes: [String] { lock.run { changesSeen } }
    var lifecycleEvents: [String] { lock.run { lifecycle } }
}

/// A hook that always throws.
struct FailingHook: RecorderHook {
    struct Failure: Error {}
    func metricChanged(_ change: MetricChange) throws { throw Failure() }
    func recorderStarted(entityID: String) throws { throw Failure() }
    func recorderStopped(entityID: String) throws { throw Failure() }
}

/// Registers the same metrics on a queued and an inline recorder, records
/// `events` into both, and expects the same metrics: batches of events apply
/// as one event at a time does.
func expectQueuedMatchesInline<Event: MetricEvent>(
    _ events: [Event], register: (any RegisteringMetricsRecorder) throws -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let runtime = MetricsRuntime()
    try runtime.start()
    defer { runtime.shutdown() }
    let queued = try runtime.makeRecorder(entityID: "inline", capacity: 32, overflowPolicy: .block)
    let inline = InlineMetricsRecorder(entityID: "inline")
    try register(queued)
    try register(inline)
    for event in events {
        queued.record(event)
        inline.record(event)
    }
    try queued.flush()
    #expect(queued.snapshot().metrics == inline.snapshot().metrics, sourceLocation: sourceLocation)
    #expect(queued.statistics.ignored == inline.statistics.ignored, sourceLocation: sourceLocation)
}
