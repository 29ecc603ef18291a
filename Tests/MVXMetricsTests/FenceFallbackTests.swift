import Dispatch
import MVXMetricsTestSupport
import Testing

@testable import MVXMetrics

/// The engine with the fences a system without `membarrier` uses: a full
/// fence on both sides. Every protocol that pairs the two halves (waking a
/// sleeping processing thread, sweeping idle lanes, stopping while producers
/// record) must lose nothing with them either.
///
/// On x86 a missing fence shows only rarely, so these tests catch a fallback
/// that does not work at all (or a protocol that depends on `membarrier`
/// itself), not every weakening of it.
@Suite struct FenceFallbackTests {
    private func fallbackRecorder(capacity: Int = 4096) throws -> (MetricsRuntime, QueuedMetricsRecorder) {
        let runtime = MetricsRuntime(configuration: .init(name: "fallback"), expeditedFences: false)
        try runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "fallback", capacity: capacity, overflowPolicy: .dropNew)
        try recorder.register(saveAttempts())
        return (runtime, recorder)
    }

    /// Bursts with pauses across the 1 ms linger and sweep periods, so the
    /// processing thread falls asleep and its lanes are swept between them:
    /// every event is processed while the producers are still alive.
    @Test func burstsAcrossSleepsAndSweepsAreAllProcessed() throws {
        let (runtime, recorder) = try fallbackRecorder()
        defer { runtime.shutdown() }
        #expect(recorder.loop.expedited == false)
        // Pauses of up to 4 ms, past the linger, so the thread goes to sleep.
        let (recorded, processedWhileAlive) = recordBurstsAndFlushWhileAlive(
            into: recorder, outcome: .success, producers: 3, bursts: 60, seed: 77, maximumPause: .milliseconds(4))
        #expect(processedWhileAlive == recorded)
        #expect(recorder.statistics == RecorderStatistics(accepted: recorded, processed: recorded))
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("success_total") == recorded)
    }

    /// Stopping while producers record: every event accepted before the stop
    /// is processed, every later one refused and counted, none left pending.
    @Test func stoppingWhileProducersRecordLosesNothing() throws {
        for round in 0..<5 {
            let (runtime, recorder) = try fallbackRecorder(capacity: 1 << 16)
            defer { runtime.shutdown() }
            let started = DispatchSemaphore(value: 0)
            let accepted = LockedCounts()
            let producers: [@Sendable () -> Void] = (0..<2).map { _ in
                {
                    var count: UInt64 = 0
                    started.signal()
                    while recorder.record(SaveAttempt(outcome: .failure)) == .recorded { count += 1 }
                    accepted.add([.failure: count])
                }
            }
            let stopper: @Sendable () -> Void = {
                for _ in 0..<2 { started.wait() }
                try? recorder.stop()
            }
            runOnThreads(producers + [stopper])
            let statistics = recorder.statistics
            let total = accepted.value[.failure] ?? 0
            #expect(statistics.pending == 0, "round \(round)")
            #expect(statistics.processed == total, "round \(round)")
            // Each producer stops at its first event not accepted: refused
            // by the stop, or dropped by a full lane before it.
            #expect(statistics.dropped == 2, "round \(round)")
            #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("failure_total") == total)
        }
    }
}
