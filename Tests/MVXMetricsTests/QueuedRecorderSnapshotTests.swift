import Dispatch
import MVXMetrics
import Testing

/// Holds the processing thread inside a metric's handler, and with it the
/// recorder's lock, until the test lets it go.
private final class HandlerGate: Sendable {
    let entered: AsyncStream<Void>
    private let enteredContinuation: AsyncStream<Void>.Continuation
    private let release = DispatchSemaphore(value: 0)

    init() {
        (entered, enteredContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    /// Called on the processing thread, which may block: it is not a task's.
    func pass() {
        enteredContinuation.yield()
        release.wait()
    }

    func open() { release.signal() }
}

@Suite struct QueuedRecorderSnapshotTests {
    /// While a processing pass holds the recorder's lock, more `async`
    /// snapshots wait than the cooperative pool has threads, and the test's
    /// own task still runs: they yield rather than block. Blocking versions
    /// would take every thread of the pool, and the test would hang.
    @Test(.timeLimit(.minutes(1))) func asyncSnapshotsYieldWhileAPassHoldsTheLock() async throws {
        let gate = HandlerGate()
        let runtime = MetricsRuntime()
        try await runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "gated")
        try recorder.register(GatedMetric("test_storage.gated", of: SaveAttempt.self) { gate.pass() })
        recorder.record(SaveAttempt(outcome: .success))
        var entered = gate.entered.makeAsyncIterator()
        _ = await entered.next()

        // More than the cooperative pool has threads on any machine CI runs on.
        let waiting = 64
        let snapshots = (0..<waiting).map { index in
            Task { index.isMultiple(of: 2) ? [await recorder.snapshot()] : await runtime.snapshot() }
        }
        // Reached only if the waiting snapshots left a thread for this task.
        await Task.yield()
        gate.open()
        for task in snapshots {
            let taken = await task.value
            #expect(taken.count == 1)
            #expect(taken.first?.statistics.processed == 1)
            #expect(taken.first?["test_storage.gated"]?.count("total") == 1)
        }
        await runtime.shutdown()
    }
}
