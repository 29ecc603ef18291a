import Dispatch
import MVXMetricsTestSupport
import Testing

@testable import MVXMetrics

/// The lanes a processing pass visits, as the sweep leaves them.
private func activeLanes(_ recorder: QueuedMetricsRecorder) -> Int {
    recorder.registry.withLock { $0.activeLanes.count }
}

@Suite struct ReadyLanesTests {
    /// Lanes that stay idle leave the passes; each one's next event schedules
    /// it again, round after round, and every event is processed.
    @Test func aLaneSweptOutOfThePassesIsScheduledAgainByItsNextEvent() throws {
        let (runtime, recorder) = try runningRecorder(capacity: 64, policy: .block)
        defer { runtime.shutdown() }
        let producers = 8
        let rounds = 3
        let go = (0..<producers).map { _ in DispatchSemaphore(value: 0) }
        let done = DispatchSemaphore(value: 0)
        let failures = LockedCounts()
        let bodies: [@Sendable () -> Void] = (0..<producers).map { index in
            {
                for _ in 0..<rounds {
                    go[index].wait()
                    for _ in 0..<5 { recorder.record(SaveAttempt(outcome: .success)) }
                    done.signal()
                }
            }
        }
        let controller: @Sendable () -> Void = {
            for round in 0..<rounds {
                for gate in go { gate.signal() }
                for _ in 0..<producers { done.wait() }
                // Every lane left the passes: the producers are alive, idle.
                let swept = waitUntil {
                    try? recorder.flush()
                    return activeLanes(recorder) == 0
                }
                if !swept || recorder.statistics.processed != UInt64((round + 1) * producers * 5) {
                    failures.add([.failure: 1])
                }
            }
        }
        runOnThreads(bodies + [controller])
        #expect(failures.value.isEmpty)
        #expect(recorder.statistics == RecorderStatistics(accepted: 120, processed: 120))
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("success_total") == 120)
    }

    /// Producers record in bursts with pauses around the sweep's period, so
    /// lanes are swept and scheduled again while events arrive: nothing is
    /// lost or left pending. The producers stay alive until the count is
    /// checked (a thread's exit schedules its lanes too), and the lanes hold
    /// every event a producer records, so a lane never scheduled again shows
    /// as unprocessed events rather than as a producer blocked for good.
    @Test func burstsAcrossSweepsAreAllProcessed() throws {
        let (runtime, recorder) = try runningRecorder(capacity: 4096, policy: .dropNew)
        defer { runtime.shutdown() }
        // Pauses of up to 3 ms, across the sweep's 1 ms period.
        let (recorded, processedWhileAlive) = recordBurstsAndFlushWhileAlive(
            into: recorder, outcome: .failure, producers: 4, bursts: 150, seed: 0, maximumPause: .milliseconds(3))
        #expect(processedWhileAlive == recorded)
        try recorder.flush()
        #expect(recorder.statistics == RecorderStatistics(accepted: recorded, processed: recorded))
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("failure_total") == recorded)
    }
}
