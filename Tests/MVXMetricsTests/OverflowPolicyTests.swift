import MVXMetrics
import MVXMetricsTestSupport
import Synchronization
import Testing

@Suite struct OverflowPolicyTests {
    @Test func dropNewRefusesWhatDoesNotFit() throws {
        let (runtime, recorder) = try unstartedRecorder(capacity: 4, policy: .dropNew)
        let results = (0..<10).map { recorder.record(SaveAttempt(outcome: $0 < 2 ? .failure : .success)) }
        #expect(results == Array(repeating: .recorded, count: 4) + Array(repeating: .dropped, count: 6))
        #expect(
            recorder.statistics
                == RecorderStatistics(
                    accepted: 10, dropped: 6, pending: 4, droppedByEventType: ["test_storage.save.attempt": 6]))
        try runtime.start()
        try recorder.flush()
        let attempts = try #require(recorder.snapshot(metric: "test_storage.save.attempts"))
        #expect(attempts.count("failure_total") == 2)
        #expect(attempts.count("success_total") == 2)
        runtime.shutdown()
    }

    @Test func dropOldestKeepsTheNewest() throws {
        let (runtime, recorder) = try unstartedRecorder(capacity: 4, policy: .dropOldest)
        let results = (0..<10).map { recorder.record(SaveAttempt(outcome: $0 < 6 ? .failure : .success)) }
        #expect(results.allSatisfy { $0 == .recorded })
        #expect(
            recorder.statistics
                == RecorderStatistics(
                    accepted: 10, dropped: 6, pending: 4, droppedByEventType: ["test_storage.save.attempt": 6]))
        try runtime.start()
        try recorder.flush()
        let attempts = try #require(recorder.snapshot(metric: "test_storage.save.attempts"))
        #expect(attempts.count("success_total") == 4)
        #expect(attempts.count("failure_total") == 0)
        #expect(recorder.statistics.isBalanced)
        runtime.shutdown()
    }

    @Test func blockWaitsForRoomAndLosesNothing() throws {
        let gate = Gate()
        let (runtime, recorder) = try runningRecorder(
            capacity: 4, policy: .block, hooks: [MetricChangeHook { _ in gate.pass() }])
        defer { runtime.shutdown() }
        recorder.record(SaveAttempt(outcome: .success))
        gate.awaitArrival()  // the processing thread is held: nothing drains
        let returned = Atomic<Int>(0)
        runOnThreads([
            {
                for _ in 0..<100 {
                    recorder.record(SaveAttempt(outcome: .failure))
                    returned.add(1, ordering: .relaxed)
                }
            },
            {
                // Four fit; the fifth waits for room.
                waitUntil { recorder.statistics.pending == 4 }
                #expect(returned.load(ordering: .relaxed) == 4)
                gate.open()
            },
        ])
        try recorder.flush()
        #expect(recorder.statistics == RecorderStatistics(accepted: 101, processed: 101))
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("failure_total") == 100)
    }

    @Test func blockBeforeStartDropsInsteadOfWaitingForEver() throws {
        let (runtime, recorder) = try unstartedRecorder(capacity: 2, policy: .block)
        let results = (0..<3).map { _ in recorder.record(SaveAttempt(outcome: .success)) }
        #expect(results == [.recorded, .recorded, .dropped])
        runtime.shutdown()
        #expect(
            recorder.statistics
                == RecorderStatistics(
                    accepted: 3, processed: 2, dropped: 1, droppedByEventType: ["test_storage.save.attempt": 1]))
    }

    @Test func recordOrThrowReportsAFullQueue() throws {
        let (runtime, recorder) = try unstartedRecorder(capacity: 2, policy: .block)
        try recorder.recordOrThrow(SaveAttempt(outcome: .success))
        try recorder.recordOrThrow(SaveAttempt(outcome: .success))
        let error = #expect(throws: MetricsError.self) { try recorder.recordOrThrow(SaveAttempt(outcome: .success)) }
        #expect(error?.code == .queueFull)
        #expect(error?.message.contains("test_storage.save.attempt") == true)
        #expect(recorder.statistics.dropped == 1)
        runtime.shutdown()
        #expect(recorder.statistics.processed == 2)
    }

    @Test func eventTypesNoMetricAcceptsAreCountedAsIgnored() throws {
        let (runtime, recorder) = try runningRecorder()
        recorder.record(NeverRoutedEvent())
        try recorder.recordOrThrow(NeverRoutedEvent())
        try recorder.flush()
        #expect(recorder.statistics == RecorderStatistics(accepted: 2, processed: 2, ignored: 2))
        runtime.shutdown()
        #expect(recorder.record(NeverRoutedEvent()) == .dropped)
        #expect(recorder.statistics.dropped == 1)
        #expect(recorder.statistics.isBalanced)
    }

    /// A metric's handler records events of its own type into its own
    /// recorder: on the processing thread, into the processing thread's lane
    /// of that route, which it is draining. When that lane fills up it can
    /// neither grow nor evict (its lock is held by the pass), so whatever the
    /// policy the new events are dropped and counted, instead of the thread
    /// waiting for ever on its own lock.
    @Test(.timeLimit(.minutes(1)), arguments: [QueuedMetricsRecorder.OverflowPolicy.dropNew, .dropOldest, .block])
    func aHandlerRecordingIntoTheLaneBeingDrainedDropsInsteadOfDeadlocking(
        policy: QueuedMetricsRecorder.OverflowPolicy
    ) throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "echo", capacity: 1_024, overflowPolicy: policy)
        let target = RecorderBox()
        target.set(recorder)
        try recorder.register(EchoingMetric(target: target))
        recorder.record(Echo(depth: 0))
        // Pass 1 drains this thread's event: its handler queues 16 echoes in
        // the processing thread's lane (its ring: 256 slots). Pass 2 drains
        // those 16 while each records 16 more into the same lane: 240 fit
        // beside the 16 being processed, and the other 16 are dropped, since
        // the ring cannot grow while the pass holds it. Pass 3 drains the 240.
        for _ in 0..<3 { try recorder.flush() }
        let statistics = recorder.statistics
        #expect(recorder.snapshot(metric: "test.echoes")?.count("total") == 257)
        #expect(
            statistics
                == RecorderStatistics(
                    accepted: 273, processed: 257, dropped: 16, droppedByEventType: [Echo.eventType: 16]))
        target.set(nil)
    }

    @Test func capacityIsRoundedUpAndDefaultsComeFromTheRuntime() throws {
        let runtime = MetricsRuntime(configuration: .init(defaultCapacity: 100, defaultOverflowPolicy: .dropOldest))
        defer { runtime.shutdown() }
        let defaults = try runtime.makeRecorder(entityID: "defaults")
        #expect(defaults.capacity == 128)
        #expect(defaults.overflowPolicy == .dropOldest)
        let explicit = try runtime.makeRecorder(entityID: "explicit", capacity: 3, overflowPolicy: .block)
        #expect(explicit.capacity == 4)
        #expect(explicit.overflowPolicy == .block)
        for capacity in [0, -1, MetricsRuntime.maximumCapacity + 1] {
            let error = #expect(throws: MetricsError.self) {
                try runtime.makeRecorder(entityID: "bad\(capacity)", capacity: capacity)
            }
            #expect(error?.code == .invalidConfiguration)
        }
    }
}

/// An event that `EchoingMetric` answers with more of its kind.
private struct Echo: MetricEvent {
    static let eventType = "test.echo"
    var depth: Int
}

/// Counts echoes, and records 16 echoes one level deeper into its target for
/// each echo of depth below 2, from its handler.
private struct EchoingMetric: Metric {
    let name = "test.echoes"
    let target: RecorderBox
    var seen = EventCount()

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Echo.self) { metric, event in
            if event.depth < 2, let recorder = metric.target.recorder {
                for _ in 0..<16 { recorder.record(Echo(depth: event.depth + 1)) }
            }
            return metric.seen.increment()
        }
    }

    func snapshot() -> MetricSnapshot { MetricSnapshot(name: name, dimensions: seen.dimensions) }
}

/// A recorder a metric reaches from its handler, set after registration.
private final class RecorderBox: Sendable {
    private let lock = NSLockLike()
    nonisolated(unsafe) private var stored: QueuedMetricsRecorder?

    var recorder: QueuedMetricsRecorder? { lock.run { stored } }
    func set(_ recorder: QueuedMetricsRecorder?) { lock.run { stored = recorder } }
}
