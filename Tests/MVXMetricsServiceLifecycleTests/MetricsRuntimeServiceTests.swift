import Foundation
import Logging
import MVXMetricsServiceLifecycle
import MVXMetricsTestKit
import ServiceLifecycle
import Synchronization
import Testing

private enum Outcome: MetricCase { case success, failure }

private struct Work: MetricEvent {
    static let eventType = "lifecycle_test.work.done"
    var outcome: Outcome
}

/// What a producer's `record` calls accepted.
private final class AcceptedCount: Sendable {
    let value = Atomic<Int>(0)
}

/// Records events as fast as it can until graceful shutdown, counting what
/// `record` accepted.
private struct Producer: Service {
    let recorder: QueuedMetricsRecorder
    let accepted: AcceptedCount
    let started: @Sendable () -> Void

    func run() async throws {
        var count = 0
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                for index in 0..<1000 {
                    if recorder.record(Work(outcome: index % 7 == 0 ? .failure : .success)) == .recorded { count += 1 }
                }
                if count >= 10_000 { started() }
                await Task.yield()
            }
        } onGracefulShutdown: {
        }
        accepted.value.store(count, ordering: .releasing)
    }
}

@Suite(.serialized) struct MetricsRuntimeServiceTests {
    /// A runtime started before the group runs, as the documentation advises:
    /// services start concurrently, and a recorder that has not started yet
    /// keeps only `capacity` events per lane.
    private func setUp(start: Bool = true) throws -> (MetricsRuntime, QueuedMetricsRecorder) {
        let runtime = MetricsRuntime(configuration: .init(defaultCapacity: 256, defaultOverflowPolicy: .block))
        if start { try runtime.start() }
        let recorder = try runtime.makeRecorder(entityID: "lifecycle")
        try recorder.register(OutcomeMetric("lifecycle_test.work", of: Work.self, outcome: \.outcome))
        return (runtime, recorder)
    }

    @Test func gracefulShutdownLosesNothing() async throws {
        let (runtime, recorder) = try setUp()
        let accepted = AcceptedCount()
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let group = ServiceGroup(
            services: [
                MetricsRuntimeService(runtime: runtime),
                Producer(recorder: recorder, accepted: accepted, started: { startedContinuation.yield() }),
            ],
            gracefulShutdownSignals: [], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let statistics = recorder.statistics
        #expect(runtime.state == .stopped)
        #expect(recorder.state == .stopped)
        #expect(statistics.accepted == UInt64(accepted.value.load(ordering: .acquiring)))
        #expect(statistics.processed == statistics.accepted)
        #expect(statistics.pending == 0)
        #expect(statistics.dropped == 0)
        #expect(recorder.snapshot(metric: "lifecycle_test.work")?.count("total") == statistics.accepted)
        #expect(statistics.accepted >= 10_000)
    }

    @Test func sigtermShutsDownGracefullyAndLosesNothing() async throws {
        let (runtime, recorder) = try setUp()
        let accepted = AcceptedCount()
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let group = ServiceGroup(
            services: [
                MetricsRuntimeService(runtime: runtime),
                Producer(recorder: recorder, accepted: accepted, started: { startedContinuation.yield() }),
            ],
            gracefulShutdownSignals: [.sigterm], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            // The group has installed its SIGTERM handler before the services ran.
            kill(getpid(), SIGTERM)
            try await tasks.waitForAll()
        }
        let statistics = recorder.statistics
        #expect(runtime.state == .stopped)
        #expect(statistics.accepted == UInt64(accepted.value.load(ordering: .acquiring)))
        #expect(statistics.processed == statistics.accepted)
        #expect(statistics.pending == 0)
        #expect(recorder.snapshot(metric: "lifecycle_test.work")?.count("total") == statistics.accepted)
    }

    @Test func cancellationAlsoShutsTheRuntimeDown() async throws {
        let (runtime, recorder) = try setUp(start: false)
        let service = MetricsRuntimeService(runtime: runtime)
        let task = Task { try await service.run() }
        while runtime.state != .running { await Task.yield() }
        for _ in 0..<100 { recorder.record(Work(outcome: .success)) }
        task.cancel()
        try await task.value
        #expect(runtime.state == .stopped)
        #expect(recorder.statistics.processed == 100)
    }
}
