import MVXMetrics
import Testing

@Suite struct QueuedSmokeTests {
    @Test func lossless() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        let recorder = try runtime.createRecorder(named: "smoke", capacity: 1024, overflowPolicy: .block)
        try recorder.register(saveAttempts())
        let perThread = 500_000
        runOnThreads([
            { for i in 0..<perThread { recorder.record(SaveAttempt(outcome: i % 10 == 0 ? .failure : .success)) } },
            { for i in 0..<perThread { recorder.record(SaveAttempt(outcome: i % 10 == 0 ? .failure : .success)) } },
        ])
        try recorder.stop()
        let s = recorder.snapshot()
        print(s.statistics)
        #expect(s["test_storage.save.attempts"]?.count("total") == UInt64(2 * perThread))
        #expect(s["test_storage.save.attempts"]?.count("failure_total") == UInt64(2 * perThread / 10))
        runtime.shutdown()
    }
}
