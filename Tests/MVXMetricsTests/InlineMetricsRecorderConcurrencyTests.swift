import MVXMetrics
import MVXMetricsTestSupport
import Synchronization
import Testing

@Suite struct InlineMetricsRecorderConcurrencyTests {
    static func outcome(_ index: Int) -> SaveOutcome {
        index % 10 == 0 ? .failure : (index % 25 == 0 ? .tooLarge : .success)
    }

    @Test func twoWritersAndAReaderSeeExactConsistentTotals() throws {
        let recorder = InlineMetricsRecorder()
        try recorder.register(saveAttempts())
        try recorder.register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        let perThread = 100_000
        let writersDone = Atomic<Int>(0)
        let inconsistent = Atomic<Int>(0)
        let snapshotsRead = Atomic<Int>(0)

        let writer: @Sendable (Int) -> Void = { writer in
            for index in 0..<perThread {
                recorder.record(SaveAttempt(outcome: Self.outcome(index), size: ByteCount(writer + 1)))
            }
            writersDone.add(1, ordering: .releasing)
        }
        runOnThreads([
            { writer(0) },
            { writer(1) },
            {
                repeat {
                    let snapshot = recorder.snapshot()
                    guard let attempts = snapshot["test_storage.save.attempts"] else { continue }
                    let parts = ["success_total", "failure_total", "too_large_total"].compactMap { attempts.count($0) }
                    if attempts.count("total") != parts.reduce(0, +) || !snapshot.statistics.isBalanced {
                        inconsistent.add(1, ordering: .relaxed)
                    }
                    snapshotsRead.add(1, ordering: .relaxed)
                } while writersDone.load(ordering: .acquiring) < 2
            },
        ])

        // The reference model: the same events counted plainly.
        var expected: [SaveOutcome: UInt64] = [:]
        for index in 0..<perThread { expected[Self.outcome(index), default: 0] += 2 }

        let attempts = try #require(recorder.snapshot(metric: "test_storage.save.attempts"))
        #expect(attempts.count("total") == UInt64(2 * perThread))
        #expect(attempts.count("success_total") == expected[.success])
        #expect(attempts.count("failure_total") == expected[.failure])
        #expect(attempts.count("too_large_total") == expected[.tooLarge])
        #expect(
            recorder.snapshot(metric: "test_storage.save.bytes")?.count("total")
                == UInt64(perThread * 1 + perThread * 2))
        #expect(
            recorder.statistics == RecorderStatistics(accepted: UInt64(2 * perThread), processed: UInt64(2 * perThread))
        )
        #expect(inconsistent.load(ordering: .relaxed) == 0)
        #expect(snapshotsRead.load(ordering: .relaxed) > 0)
    }
}
