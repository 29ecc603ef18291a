import MVXMetrics
import MVXMetricsTestSupport
import Testing

@Suite struct MetricsRuntimeTests {
    @Test func recordersAreCreatedFoundListedAndRemoved() throws {
        let runtime = MetricsRuntime(configuration: .init(name: "registry-test"))
        try runtime.start()
        defer { runtime.shutdown() }
        let storage = try runtime.makeRecorder(entityID: "document-storage")
        let stream = try runtime.makeRecorder(entityID: "tcp-stream")
        #expect(runtime.recorderEntityIDs == ["document-storage", "tcp-stream"])
        #expect(try runtime.recorder(entityID: "tcp-stream") === stream)
        #expect(runtime.findRecorder(entityID: "document-storage") === storage)
        #expect(runtime.findRecorder(entityID: "missing") == nil)

        let duplicate = #expect(throws: MetricsError.self) { try runtime.makeRecorder(entityID: "tcp-stream") }
        #expect(duplicate?.code == .duplicateRecorder)
        let missing = #expect(throws: MetricsError.self) { try runtime.recorder(entityID: "missing") }
        #expect(missing?.code == .recorderNotFound)
        #expect(missing?.message.contains("it has document-storage, tcp-stream") == true)
        for name in ["", "line\nbreak", String(repeating: "x", count: 201)] {
            let invalid = #expect(throws: MetricsError.self) { try runtime.makeRecorder(entityID: name) }
            #expect(invalid?.code == .invalidName)
        }

        try runtime.stopRecorder(entityID: "tcp-stream")
        #expect(stream.state == .stopped)
        #expect(runtime.recorderEntityIDs == ["document-storage", "tcp-stream"])
        let removed = try runtime.removeRecorder(entityID: "tcp-stream")
        #expect(removed === stream)
        #expect(runtime.recorderEntityIDs == ["document-storage"])
        #expect(throws: MetricsError.self) { try runtime.removeRecorder(entityID: "tcp-stream") }
        // The name is free again.
        _ = try runtime.makeRecorder(entityID: "tcp-stream")
    }

    @Test func oneSnapshotCoversEveryRecorder() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        for name in ["b", "a", "c"] {
            let recorder = try runtime.makeRecorder(entityID: name)
            try recorder.register(saveAttempts())
            for _ in 0..<(name == "b" ? 2 : 1) { recorder.record(SaveAttempt(outcome: .success)) }
        }
        runtime.flush()
        let snapshots = runtime.snapshot()
        #expect(snapshots.map(\.entityID) == ["a", "b", "c"])
        #expect(snapshots.map { $0["test_storage.save.attempts"]?.count("total") } == [1, 2, 1])
    }

    /// The configuration's common labels are every recorder's, in its
    /// snapshots.
    @Test func commonLabelsAreEveryRecordersOwn() throws {
        let labels = ["service": "orders", "environment": "test"]
        let runtime = MetricsRuntime(configuration: .init(commonLabels: labels))
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "a")
        #expect(recorder.commonLabels == labels)
        #expect(runtime.snapshot().map(\.commonLabels) == [labels])
        #expect(try MetricsRuntime().makeRecorder(entityID: "plain").snapshot().commonLabels == [:])
    }

    /// README's snippet, as written there.
    @Test func theReadmesCommonLabelsSnippetLabelsEverySnapshot() throws {
        let runtime = MetricsRuntime(
            configuration: .init(commonLabels: ["service": "orders", "deployment.environment": "production"]))
        defer { runtime.shutdown() }
        _ = try runtime.makeRecorder(entityID: "orders")
        #expect(runtime.snapshot().first?.commonLabels["deployment.environment"] == "production")
    }

    @Test func shutdownIsIdempotentAndSafeFromManyThreads() throws {
        let (runtime, recorder) = try runningRecorder()
        for _ in 0..<10_000 { recorder.record(SaveAttempt(outcome: .success)) }
        runOnThreads((0..<4).map { _ in { runtime.shutdown() } })
        #expect(runtime.state == .stopped)
        #expect(recorder.statistics == RecorderStatistics(accepted: 10_000, processed: 10_000))
    }

    @Test func shutdownFromAHookDoesNotDeadlock() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        let recorder = try runtime.makeRecorder(
            entityID: "hooked", hooks: [MetricChangeHook { _ in runtime.shutdown() }])
        try recorder.register(saveAttempts())
        recorder.record(SaveAttempt(outcome: .success))
        waitUntil { runtime.state == .stopped }
        #expect(runtime.state == .stopped)
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 1)
        runtime.shutdown()
    }

    @Test func recordersCreatedBeforeStartStartWithTheRuntime() throws {
        let runtime = MetricsRuntime()
        let recorder = try runtime.makeRecorder(entityID: "early")
        try recorder.register(saveAttempts())
        recorder.record(SaveAttempt(outcome: .success))
        try runtime.start()
        #expect(recorder.state == .running)
        try recorder.flush()
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 1)
        runtime.shutdown()
    }

    @Test func usableFromPlainThreadsWithoutAnAsyncContext() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        let recorder = try runtime.makeRecorder(entityID: "threads")
        try recorder.register(saveAttempts())
        runOnThreads([
            { recorder.record(SaveAttempt(outcome: .success)) },
            { recorder.record(SaveAttempt(outcome: .failure)) },
        ])
        runtime.shutdown()
        #expect(recorder.snapshot(metric: "test_storage.save.attempts")?.count("total") == 2)
    }
}
