import MVXMetricsTestSupport
import Synchronization
import Testing

@testable import MVXMetrics

/// Every lane of `recorder`, of every thread.
private func lanes(_ recorder: QueuedMetricsRecorder) -> [AnyLane] {
    recorder.registry.withLock { registry in registry.table.routes.flatMap { route in route.lanes.withLock { $0 } } }
}

/// How many of `count` events `record` accepts.
private func accepted(_ count: Int, _ record: () -> RecordResult) -> Int {
    (0..<count).reduce(0) { total, _ in total + (record() == .recorded ? 1 : 0) }
}

/// A value whose instances are counted, so a test sees every moved event
/// destroyed exactly once.
private final class Tracked: Sendable {
    static let live = Atomic<Int>(0)
    let value: Int

    init(_ value: Int) {
        self.value = value
        Self.live.add(1, ordering: .relaxed)
    }

    deinit { Self.live.subtract(1, ordering: .relaxed) }
}

/// An event that holds a reference, so moving it between rings must move it
/// as its type, not as bytes that are then destroyed twice.
private struct TrackedEvent: MetricEvent {
    static let eventType = "test_lanes.tracked"
    let tracked: Tracked
}

/// An event without references: its lane grows with `realloc`.
private struct ValueEvent: MetricEvent {
    static let eventType = "test_lanes.value"
    let value: Int
}

/// Folds the values of each event type into a hash that any reordering,
/// loss or repetition changes.
private struct SequenceMetric: Metric {
    let name = "test_lanes.sequence"
    var trackedHash = LastValue<Int>(dimension: "tracked_hash")
    var valueHash = LastValue<Int>(dimension: "value_hash")
    var trackedState = 0
    var valueState = 0

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(TrackedEvent.self) { metric, event in
            metric.trackedState = (metric.trackedState &* 31 &+ event.tracked.value) % 1_000_000_007
            return metric.trackedHash.set(metric.trackedState)
        }
        routes.on(ValueEvent.self) { metric, event in
            metric.valueState = (metric.valueState &* 31 &+ event.value) % 1_000_000_007
            return metric.valueHash.set(metric.valueState)
        }
    }

    func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, dimensions: trackedHash.dimensions + valueHash.dimensions)
    }

    /// The hash of `values` in this order.
    static func hash(of values: Range<Int>) -> Int {
        values.reduce(0) { ($0 &* 31 &+ $1) % 1_000_000_007 }
    }
}

// Serialized: two tests count the live `Tracked` values, which are global.
@Suite(.serialized) struct LaneGrowthTests {
    /// A lane starts at 256 slots and doubles while it fills, up to the
    /// recorder's capacity and no further.
    @Test func aLaneGrowsUnderLoadUpToTheCapacity() throws {
        let (runtime, recorder) = try unstartedRecorder(capacity: 1024, policy: .dropNew)
        defer { runtime.shutdown() }
        #expect(accepted(256) { recorder.record(SaveAttempt(outcome: .success)) } == 256)
        #expect(lanes(recorder).map(\.ringSize) == [256])
        #expect(accepted(2000) { recorder.record(SaveAttempt(outcome: .success)) } == 1024 - 256)
        #expect(lanes(recorder).map(\.ringSize) == [1024])
        #expect(lanes(recorder).first?.allowance.slotsInUse == 1024)
        #expect(recorder.statistics.dropped == 2000 - (1024 - 256))
    }

    /// A lane's first ring holds 256 events, fewer of large ones: at most
    /// 8 KiB of them, and never more than the capacity.
    @Test func theFirstRingIsSizedByTheEventsStride() {
        #expect(LaneAllowance.initialSlots(limit: 8192, stride: 1) == 256)
        #expect(LaneAllowance.initialSlots(limit: 8192, stride: 32) == 256)
        #expect(LaneAllowance.initialSlots(limit: 8192, stride: 33) == 128)
        #expect(LaneAllowance.initialSlots(limit: 8192, stride: 200) == 32)
        #expect(LaneAllowance.initialSlots(limit: 8192, stride: 4096) == 16)
        #expect(LaneAllowance.initialSlots(limit: 8, stride: 1) == 8)
    }

    /// A thread's lanes in one recorder share its capacity: what one event
    /// type's lane took, another's cannot grow into.
    @Test func aThreadsLanesShareTheCapacity() throws {
        let (runtime, recorder) = try unstartedRecorder(capacity: 1024, policy: .dropNew)
        defer { runtime.shutdown() }
        try recorder.register(EventCountMetric("test_storage.reads", of: ReadAttempt.self))
        _ = recorder.record(ReadAttempt(outcome: .success))
        // 256 + 256 slots taken; the save lane grows to 512 (768 in all), and
        // not to 1024, which would make 1280.
        #expect(accepted(2000) { recorder.record(SaveAttempt(outcome: .success)) } == 512)
        // The read lane may still grow to 512: 1024 in all.
        #expect(accepted(2000) { recorder.record(ReadAttempt(outcome: .success)) } == 511)
        #expect(lanes(recorder).map(\.ringSize).sorted() == [512, 512])
        #expect(lanes(recorder).first?.allowance.slotsInUse == 1024)
    }

    /// A hundred event types on each of four threads: each thread's lanes
    /// grow within the capacity together, beyond the slots every lane starts
    /// with, however many events the threads queue.
    @Test func manyEventTypesOnManyThreadsStayWithinEachThreadsCapacity() throws {
        let runtime = MetricsRuntime()
        defer { runtime.shutdown() }
        let capacity = 8192
        let recorder = try runtime.makeRecorder(entityID: "lanes", capacity: capacity, overflowPolicy: .dropNew)
        let types = 100
        let events = 2000
        for value in 0..<types {
            try withNumberedEvent(NumberEnd.self, bits: 7, value: value) { try registerCounter(of: $0, in: recorder) }
        }
        let threads = 4
        runOnThreads(
            (0..<threads).map { _ in
                {
                    for value in 0..<types {
                        withNumberedEvent(NumberEnd.self, bits: 7, value: value) {
                            recordEmpty($0, times: events, in: recorder)
                        }
                    }
                }
            })
        let all = lanes(recorder)
        #expect(all.count == threads * types)
        let byThread = Dictionary(grouping: all) { ObjectIdentifier($0.allowance) }
        #expect(byThread.count == threads)
        for (_, lanes) in byThread {
            let slots = lanes.map(\.ringSize).reduce(0, +)
            let initial = LaneAllowance.initialSlots(limit: capacity, stride: 1)
            #expect(slots <= capacity + initial * types)
            #expect(slots == lanes.first?.allowance.slotsInUse)
            #expect(lanes.allSatisfy { $0.ringSize >= initial })
            // Nothing drains an unstarted recorder: a lane stopped growing
            // only when it could not, full.
            #expect(lanes.allSatisfy { $0.pending == min(events, $0.ringSize) })
        }
        let statistics = recorder.statistics
        #expect(statistics.pending == UInt64(all.map(\.pending).reduce(0, +)))
        #expect(statistics.accepted == UInt64(threads * types * events))
        #expect(statistics.pending + statistics.dropped == statistics.accepted)
    }

    /// Growing moves the pending events into the new ring, also when they
    /// wrap around the old ring's end, while the processing thread is busy
    /// elsewhere: every event arrives once, in order, and each moved
    /// reference is released once.
    @Test func growingKeepsEveryPendingEventInOrder() throws {
        let gate = Gate()
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "lanes", capacity: 4096, overflowPolicy: .dropNew)
        try recorder.register(SequenceMetric())
        try recorder.register(GatedMetric("test_lanes.gated", of: ReadAttempt.self) { gate.pass() })
        let before = Tracked.live.load(ordering: .relaxed)
        for value in 0..<40 {
            recorder.record(TrackedEvent(tracked: Tracked(value)))
            recorder.record(ValueEvent(value: value))
        }
        try recorder.flush()
        // The processing thread waits in another lane's handler, so these
        // lanes fill: their events start at position 40 of a 256-slot ring.
        recorder.record(ReadAttempt(outcome: .success))
        gate.awaitArrival()
        let total = 1064
        var taken = 0
        for value in 40..<total {
            if recorder.record(TrackedEvent(tracked: Tracked(value))) == .recorded { taken += 1 }
            if recorder.record(ValueEvent(value: value)) == .recorded { taken += 1 }
        }
        #expect(taken == 2 * (total - 40))
        gate.open()
        try recorder.flush()
        #expect(lanes(recorder).map(\.ringSize).sorted() == [256, 1024, 1024])
        #expect(recorder.statistics.processed == UInt64(2 * total + 1))
        let sequence = recorder.snapshot(metric: "test_lanes.sequence")
        #expect(sequence?.value("tracked_hash") == Double(SequenceMetric.hash(of: 0..<total)))
        #expect(sequence?.value("value_hash") == Double(SequenceMetric.hash(of: 0..<total)))
        #expect(Tracked.live.load(ordering: .relaxed) == before)
    }

    /// Once a lane that grew under a burst goes idle, its next event gives
    /// the grown ring back to the thread's allowance.
    @Test func aGrownLaneShrinksAtItsFirstEventAfterItWasIdle() throws {
        let (runtime, recorder) = try unstartedRecorder(capacity: 1024, policy: .dropNew)
        defer { runtime.shutdown() }
        #expect(accepted(1000) { recorder.record(SaveAttempt(outcome: .success)) } == 1000)
        #expect(lanes(recorder).map(\.ringSize) == [1024])
        try runtime.start()
        let swept = waitUntil {
            try? recorder.flush()
            return lanes(recorder).allSatisfy { !$0.scheduled.load(ordering: .acquiring) }
        }
        #expect(swept)
        #expect(lanes(recorder).map(\.ringSize) == [1024])
        recorder.record(SaveAttempt(outcome: .success))
        #expect(lanes(recorder).map(\.ringSize) == [256])
        #expect(lanes(recorder).first?.allowance.slotsInUse == 256)
        try recorder.flush()
        #expect(recorder.statistics.processed == 1001)
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("success_total") == 1001)
    }

    /// The drop-oldest policy evicts only once the lane cannot grow, and
    /// evicts from the grown ring, across its end: the newest events stay,
    /// in order, and every evicted reference is released.
    @Test func dropOldestEvictsFromTheGrownRing() throws {
        let runtime = MetricsRuntime()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "lanes", capacity: 512, overflowPolicy: .dropOldest)
        try recorder.register(SequenceMetric())
        let before = Tracked.live.load(ordering: .relaxed)
        for value in 0..<800 { recorder.record(TrackedEvent(tracked: Tracked(value))) }
        #expect(lanes(recorder).map(\.ringSize) == [512])
        #expect(recorder.statistics.dropped == 288)
        #expect(Tracked.live.load(ordering: .relaxed) == before + 512)
        try runtime.start()
        try recorder.flush()
        #expect(recorder.statistics.processed == 512)
        #expect(
            recorder.snapshot(metric: "test_lanes.sequence")?.value("tracked_hash")
                == Double(SequenceMetric.hash(of: 288..<800)))
        #expect(Tracked.live.load(ordering: .relaxed) == before)
    }
}
