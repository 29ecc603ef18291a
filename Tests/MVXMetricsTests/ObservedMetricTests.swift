import MVXMetrics
import Synchronization
import Testing

/// A value production code keeps for itself, which metrics only read.
private final class JobQueue: Sendable {
    let depth = Atomic<Int>(0)
    let completed = Atomic<Int>(0)
    let busy = Mutex<Duration>(.zero)

    var count: Int { depth.load(ordering: .relaxed) }
    var completedCount: Int { completed.load(ordering: .relaxed) }
}

/// A metric of its own that observes two values at once and counts events too.
private struct PoolMetric: Metric {
    let name = "test_pool.connections"
    let pool: JobQueue
    private var opened: UInt64 = 0

    init(pool: JobQueue) { self.pool = pool }

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.observesAtSnapshot()
        routes.on(SaveAttempt.self) { metric, _ in
            metric.opened += 1
            return .changed
        }
    }

    func snapshot() -> MetricSnapshot {
        MetricSnapshot(
            name: name,
            dimensions: [
                MetricDimension("opened_total", value: .counter(opened)),
                MetricDimension("idle", value: .gauge(Double(pool.depth.load(ordering: .relaxed)))),
            ])
    }
}

@Suite struct ObservedMetricTests {
    @Test func aGaugeIsReadAtEverySnapshotWithoutEvents() throws {
        let jobs = JobQueue()
        let recorder = InlineMetricsRecorder(entityID: "worker")
        try recorder.register(
            ObservedMetric.gauge("test_jobs.queue.depth", help: "Jobs waiting.") { jobs.depth.load(ordering: .relaxed) }
        )
        #expect(recorder.snapshot(metric: "test_jobs.queue.depth")?.value("value") == 0)
        jobs.depth.store(17, ordering: .relaxed)
        let snapshot = recorder.snapshot()
        #expect(snapshot["test_jobs.queue.depth"]?.value("value") == 17)
        #expect(snapshot["test_jobs.queue.depth"]?.help == "Jobs waiting.")
        #expect(snapshot.statistics == RecorderStatistics())
    }

    @Test func theArticleSnippetRegistersAsWritten() throws {
        let jobs = JobQueue()
        let recorder = InlineMetricsRecorder(entityID: "worker")
        try recorder.register(ObservedMetric.gauge("jobs.queue.depth", help: "Jobs waiting.") { jobs.count })
        try recorder.register(ObservedMetric.counter("jobs.completed") { jobs.completedCount })
        jobs.depth.store(5, ordering: .relaxed)
        jobs.completed.store(12, ordering: .relaxed)
        #expect(recorder.snapshot(metric: "jobs.queue.depth")?.value("value") == 5)
        #expect(recorder.snapshot(metric: "jobs.completed")?.count("total") == 12)
    }

    @Test func aGaugeWithoutAReadingIsUnset() throws {
        let reading = Mutex<Double?>(nil)
        let recorder = InlineMetricsRecorder(entityID: "worker")
        try recorder.register(ObservedMetric.gauge("test_jobs.temperature") { reading.withLock { $0 } })
        #expect(recorder.snapshot(metric: "test_jobs.temperature")?["value"] == .gauge(nil))
        reading.withLock { $0 = .nan }
        #expect(recorder.snapshot(metric: "test_jobs.temperature")?["value"] == .gauge(nil))
        reading.withLock { $0 = -4.5 }
        #expect(recorder.snapshot(metric: "test_jobs.temperature")?["value"] == .gauge(-4.5))
    }

    @Test func countersAreExactForWholeNumbersAndNeverNegative() throws {
        let jobs = JobQueue()
        let recorder = InlineMetricsRecorder(entityID: "worker")
        try recorder.register(ObservedMetric.counter("test_jobs.completed") { jobs.completed.load(ordering: .relaxed) })
        try recorder.register(
            ObservedMetric.counter("test_jobs.busy", dimension: "seconds") { jobs.busy.withLock { $0 } })
        jobs.completed.store(Int(Int64.max), ordering: .relaxed)
        jobs.busy.withLock { $0 = .milliseconds(1500) }
        var snapshot = recorder.snapshot()
        #expect(snapshot["test_jobs.completed"]?["total"] == .counter(UInt64(Int64.max)))
        #expect(
            snapshot["test_jobs.busy"]?.dimensions == [MetricDimension("seconds", unit: .seconds, value: .sum(1.5))])
        jobs.completed.store(-3, ordering: .relaxed)
        jobs.busy.withLock { $0 = .milliseconds(-1) }
        snapshot = recorder.snapshot()
        #expect(snapshot["test_jobs.completed"]?["total"] == .counter(0))
        #expect(snapshot["test_jobs.busy"]?["seconds"] == .sum(0))
    }

    @Test func aQueuedRecorderReadsItAtItsSnapshots() async throws {
        let jobs = JobQueue()
        let runtime = MetricsRuntime()
        try await runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "worker", overflowPolicy: .block)
        try recorder.register(ObservedMetric.gauge("test_jobs.queue.depth") { jobs.depth.load(ordering: .relaxed) })
        jobs.depth.store(3, ordering: .relaxed)
        #expect(await recorder.snapshot()["test_jobs.queue.depth"]?.value("value") == 3)
        jobs.depth.store(4, ordering: .relaxed)
        #expect(await runtime.snapshot().first?["test_jobs.queue.depth"]?.value("value") == 4)
        await runtime.shutdown()
    }

    @Test func aMetricOfItsOwnObservesAndCountsEvents() throws {
        let pool = JobQueue()
        let recorder = InlineMetricsRecorder(entityID: "pool")
        try recorder.register(PoolMetric(pool: pool))
        pool.depth.store(2, ordering: .relaxed)
        recorder.record(SaveAttempt(outcome: .success))
        let snapshot = try #require(recorder.snapshot(metric: "test_pool.connections"))
        #expect(snapshot.count("opened_total") == 1 && snapshot.value("idle") == 2)
        #expect(recorder.consumers(of: SaveAttempt.self) == ["test_pool.connections"])
    }

    @Test func aMetricThatNeitherObservesNorAcceptsEventsIsStillRefused() {
        let recorder = InlineMetricsRecorder(entityID: "deaf")
        let error = #expect(throws: MetricsError.self) { try recorder.register(DeafMetric()) }
        #expect(error?.code == .metricAcceptsNoEvents)
        #expect(error?.message.contains("routes.observesAtSnapshot()") == true)
    }
}
