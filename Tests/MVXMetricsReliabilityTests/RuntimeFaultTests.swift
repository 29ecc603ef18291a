import Foundation
import MVXMetrics
import MVXMetricsTestSupport
import Synchronization
import Testing

/// Faults inside the process: hooks that throw or stall, a metric whose
/// handler throws, shutdown under full load, a recorder removed while
/// producers emit. Each asserts what keeps working, what is counted, and that
/// nothing `record` accepted is lost.
@Suite struct RuntimeFaultTests {
    /// Emits the soak's events until `record` refuses one or `limit` is reached;
    /// returns how many were accepted.
    static func emitUntilRefused(into recorder: QueuedMetricsRecorder, producer: UInt8, limit: Int = 5_000_000) -> Int {
        var accepted = 0
        for sequence in 0..<UInt32(limit) {
            let event = EmittedEvent(producer: producer, sequence: sequence, step: SoakTests.step(sequence))
            guard event.record(into: recorder) == .recorded else { break }
            accepted += 1
        }
        return accepted
    }

    @Test(.timeLimit(.minutes(2)))
    func shutdownUnderFullLoadLosesNothingAccepted() async throws {
        try await onThread {
            let runtime = MetricsRuntime()
            try runtime.start()
            let recorders = try (0..<2).map { index in
                let recorder = try runtime.makeRecorder(
                    entityID: "load-\(index)", capacity: 256, overflowPolicy: .block)
                try ScriptMetrics.register(into: recorder)
                return recorder
            }
            let accepted = Collected<[String: Int]>([:])
            let started = Atomic<Int>(0)
            runOnThreads(
                recorders.map { recorder in
                    {
                        started.add(1, ordering: .relaxed)
                        let count = Self.emitUntilRefused(into: recorder, producer: 0)
                        accepted.update { $0[recorder.entityID, default: 0] += count }
                    }
                } + [
                    {
                        // Shut down once both producers have had events processed.
                        while started.load(ordering: .relaxed) < 2
                            || recorders.contains(where: { $0.statistics.processed < 10_000 })
                        {
                            sched_yield()
                        }
                        runtime.shutdown()
                    }
                ])
            #expect(runtime.state == .stopped)
            for recorder in recorders {
                let statistics = recorder.statistics
                let count = UInt64(accepted.value[recorder.entityID] ?? 0)
                #expect(recorder.state == .stopped)
                // Every event `record` accepted was processed; the one it refused
                // (the producer's last call) is counted as dropped.
                #expect(statistics.processed == count, "\(recorder.entityID): \(statistics)")
                #expect(statistics.pending == 0)
                #expect(statistics.dropped == 1)
                #expect(statistics.isBalanced)
                #expect(Self.eventsShown(by: recorder.snapshot()) == count)
            }
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: [QueuedMetricsRecorder.OverflowPolicy.dropNew, .block])
    func aRecorderRemovedWhileProducersEmitLosesNothingAccepted(
        policy: QueuedMetricsRecorder.OverflowPolicy
    ) async throws {
        try await onThread {
            let runtime = MetricsRuntime()
            try runtime.start()
            defer { runtime.shutdown() }
            let removed = try runtime.makeRecorder(entityID: "removed", capacity: 64, overflowPolicy: policy)
            let staying = try runtime.makeRecorder(entityID: "staying", capacity: 64, overflowPolicy: policy)
            try ScriptMetrics.register(into: removed)
            try ScriptMetrics.register(into: staying)
            let accepted = Atomic<Int>(0)
            let removedRecorder = Collected<QueuedMetricsRecorder?>(nil)
            runOnThreads([
                {
                    // Keeps emitting after its recorder is gone; `record` refuses from then on.
                    var count = 0
                    for sequence in 0..<UInt32(3_000_000) {
                        let event = EmittedEvent(producer: 0, sequence: sequence, step: SoakTests.step(sequence))
                        if event.record(into: removed) == .recorded { count += 1 }
                        if sequence % 1024 == 0, removedRecorder.read({ $0 != nil }), count > 0 { break }
                    }
                    accepted.store(count, ordering: .relaxed)
                },
                {
                    while removed.statistics.processed < 5_000 { sched_yield() }
                    let recorder = try! runtime.removeRecorder(entityID: "removed")
                    removedRecorder.update { $0 = recorder }
                },
            ])
            #expect(removedRecorder.value === removed)
            #expect(runtime.recorderEntityIDs == ["staying"])
            #expect(removed.state == .stopped)
            let statistics = removed.statistics
            // Removal stops the recorder after processing what it accepted: every
            // event `record` accepted was processed, whatever the policy.
            #expect(statistics.processed == UInt64(accepted.load(ordering: .relaxed)), "\(statistics)")
            #expect(statistics.pending == 0)
            #expect(statistics.dropped > 0, "the producer's calls after the removal are counted")
            #expect(statistics.isBalanced, "\(statistics)")
            #expect(Self.eventsShown(by: removed.snapshot()) == statistics.processed)
            // The runtime goes on serving the other recorder.
            #expect(
                EmittedEvent(producer: 0, sequence: 0, step: .save(.success, size: 5)).record(into: staying)
                    == .recorded)
            try staying.flush()
            #expect(staying.snapshot()[ScriptMetrics.bytes]?.value("total") == 5)
        }
    }

    /// How many events the scripted metrics counted (the soak's events all apply).
    static func eventsShown(by snapshot: RecorderSnapshot) -> UInt64 {
        let saves = snapshot[ScriptMetrics.attempts]?.count("total") ?? 0
        let latencies = snapshot[ScriptMetrics.latency]?.distribution("milliseconds")?.count ?? 0
        let refusals =
            snapshot[ScriptMetrics.refusals]?.dimensions.compactMap { dimension -> UInt64? in
                if case .counter(let count) = dimension.value { return count }
                return nil
            }.reduce(0, +) ?? 0
        return saves + latencies + refusals
    }

    @Test(.timeLimit(.minutes(2)))
    func aStalledHookDelaysProcessingButNeverRecordingOrSnapshots() async throws {
        try await onThread {
            let runtime = MetricsRuntime()
            try runtime.start()
            defer { runtime.shutdown() }
            let gate = StallingHook()
            let recorder = try runtime.makeRecorder(
                entityID: "stalled", capacity: 16, overflowPolicy: .dropNew, hooks: [gate, ThrowingHook()])
            try ScriptMetrics.register(into: recorder)

            #expect(
                EmittedEvent(producer: 0, sequence: 0, step: .save(.success, size: 1)).record(into: recorder)
                    == .recorded)
            gate.waitUntilStalled()
            // The processing thread is stuck in the hook: recording still returns at
            // once (dropping beyond the queue's room), and snapshots are still read.
            var results: [RecordResult] = []
            for sequence in 1...100 as ClosedRange<UInt32> {
                results.append(
                    EmittedEvent(producer: 0, sequence: sequence, step: .save(.failure, size: 2)).record(into: recorder)
                )
            }
            let during = recorder.snapshot()
            #expect(during.statistics.isBalanced)
            #expect(during.statistics.processed == 1)
            #expect(results.filter { $0 == .recorded }.count == 16)
            #expect(during.statistics.dropped == 84)

            gate.release()
            try recorder.flush()
            let after = recorder.snapshot()
            #expect(after.statistics.processed == 17)
            #expect(after[ScriptMetrics.attempts]?.count("failure_total") == 16)
            // The throwing hook failed on every change (two metrics changed per
            // save) and was counted; the stalling hook and the metrics went on.
            #expect(after.statistics.hookFailures == 34)
            #expect(after.statistics.isBalanced)
        }
    }

    @Test func aThrowingMetricHandlerIsCountedAndTheOtherMetricsGoOn() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "faulty")
        try ScriptMetrics.register(into: recorder)
        try recorder.register(FaultyMetric())
        for sequence in 0..<10 as Range<UInt32> {
            recorder.record(ScriptSave(producer: 0, sequence: sequence, outcome: .success, size: 10))
        }
        try recorder.flush()
        let snapshot = recorder.snapshot()
        #expect(snapshot.statistics.handlerFailures == 5)
        #expect(snapshot.statistics.processed == 10)
        #expect(snapshot[ScriptMetrics.bytes]?.value("total") == 100)
        #expect(snapshot["reliability.faulty"]?.count("total") == 5)
    }
}

/// A hook that blocks the processing thread on its first change until released.
final class StallingHook: RecorderHook {
    private let first = Atomic<Bool>(true)
    private let stalled = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)

    func metricChanged(_ change: MetricChange) throws {
        guard first.exchange(false, ordering: .relaxed) else { return }
        stalled.signal()
        gate.wait()
    }

    func waitUntilStalled() { stalled.wait() }

    func release() { gate.signal() }
}

/// A hook that always throws.
struct ThrowingHook: RecorderHook {
    struct Failure: Error {}

    func metricChanged(_ change: MetricChange) throws { throw Failure() }
}

/// A metric whose handler throws on every other save.
struct FaultyMetric: Metric {
    struct Failure: Error {}

    let name = "reliability.faulty"
    var counted = EventCount(dimension: "total")

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(ScriptSave.self) { metric, event in
            guard event.sequence % 2 == 0 else { throw Failure() }
            return metric.counted.increment()
        }
    }

    func snapshot() -> MetricSnapshot { MetricSnapshot(name: name, dimensions: counted.dimensions) }
}
