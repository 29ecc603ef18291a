import Dispatch
import MVXMetrics
import MVXMetricsTestSupport

/// Runs `producers` threads that each record `bursts` bursts of 1 to 20
/// events of `outcome` into `recorder`, pausing up to `maximumPause` between
/// bursts (the workload's shape, not a synchronisation), and flushes while
/// they are all still alive. Returns the number of events recorded and the
/// number processed by that flush.
///
/// Keeping the threads alive matters: a thread's exit schedules its lanes,
/// which would hide a lane the engine forgot to schedule.
func recordBurstsAndFlushWhileAlive(
    into recorder: QueuedMetricsRecorder, outcome: SaveOutcome, producers: Int, bursts: Int, seed: UInt64,
    maximumPause: Duration
) -> (recorded: UInt64, processedWhileAlive: UInt64) {
    var recorded: UInt64 = 0
    for index in 0..<producers {
        var random = SplitMix64(seed: seed &+ UInt64(index))
        for _ in 0..<bursts {
            recorded += 1 + random.next() % 20
            _ = random.next()
        }
    }
    let pauseMicroseconds = UInt64(maximumPause / .microseconds(1))
    let done = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let bodies: [@Sendable () -> Void] = (0..<producers).map { index in
        {
            var random = SplitMix64(seed: seed &+ UInt64(index))
            for _ in 0..<bursts {
                for _ in 0..<(1 + Int(random.next() % 20)) { recorder.record(SaveAttempt(outcome: outcome)) }
                let pause = ContinuousClock.now + .microseconds(Int64(random.next() % pauseMicroseconds))
                while ContinuousClock.now < pause {}
            }
            done.signal()
            release.wait()
        }
    }
    let processed = LockedCounts()
    let controller: @Sendable () -> Void = {
        for _ in 0..<producers { done.wait() }
        try? recorder.flush()
        processed.add([outcome: recorder.statistics.processed])
        for _ in 0..<producers { release.signal() }
    }
    runOnThreads(bodies + [controller])
    return (recorded, processed.value[outcome] ?? 0)
}
