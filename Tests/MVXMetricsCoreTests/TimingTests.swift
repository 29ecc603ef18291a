import MVXMetricsCore
import MVXMetricsTestSupport
import Synchronization
import Testing

private enum LoadOutcome: MetricCase {
    case success, notFound, failure
}

private enum LoadError: Error, Equatable {
    case missing, broken
}

private struct LoadAttempt: TimedMetricEvent {
    static let eventType = "document_storage.load.attempt"
    static let success = LoadOutcome.success
    var outcome: LoadOutcome
    var duration: Duration

    static func outcome(of error: any Error) -> LoadOutcome {
        (error as? LoadError) == .missing ? .notFound : .failure
    }
}

private struct WriteAttempt: MetricEvent {
    static let eventType = "timing_tests.write.attempt"
    var outcome: LoadOutcome
    var bytes: ByteCount
    var duration: Duration
}

/// Keeps what it is handed, the way a recorder under test would.
private final class Capturing: MetricsRecorder {
    let events = Mutex<[any MetricEvent]>([])

    func record<Event: MetricEvent>(_ event: Event) -> RecordResult {
        events.withLock { $0.append(event) }
        return .recorded
    }

    func recorded<Event: MetricEvent>(_ type: Event.Type) -> [Event] {
        events.withLock { $0.compactMap { $0 as? Event } }
    }
}

/// The storage of the Events article's snippets.
private struct Storage {
    var files: [String: [UInt8]]

    func load(_ name: String) throws(LoadError) -> [UInt8] {
        guard let content = files[name] else { throw .missing }
        return content
    }

    func write(_ content: [UInt8], to name: String) throws(LoadError) -> Int { content.count }
}

private actor Store {
    var loads = 0
    func load(using metrics: some MetricsRecorder, clock: StepClock) async throws(LoadError) -> Int {
        // The body runs on the actor: it touches the actor's state, and awaits.
        try await metrics.time(LoadAttempt.self, clock: clock) { () async throws(LoadError) -> Int in
            await Task.yield()
            loads += 1
            guard loads < 2 else { throw .broken }
            return loads
        }
    }
}

@Suite("Timing helpers")
struct TimingTests {
    @Test func aReturningBodyRecordsSuccessWithTheClocksDuration() {
        let metrics = Capturing()
        let clock = StepClock(step: .milliseconds(12))
        // A body that cannot throw needs no `try`.
        let value = metrics.time(LoadAttempt.self, clock: clock) { 42 }
        #expect(value == 42)
        let events = metrics.recorded(LoadAttempt.self)
        #expect(events.map(\.outcome) == [.success])
        #expect(events.map(\.duration) == [.milliseconds(12)])
    }

    @Test func aThrowingBodyRecordsTheMappedOutcomeAndRethrowsTheSameError() {
        let metrics = Capturing()
        let clock = StepClock(step: .seconds(2))
        #expect(throws: LoadError.missing) {
            try metrics.time(LoadAttempt.self, clock: clock) { () throws(LoadError) -> Int in throw .missing }
        }
        #expect(throws: LoadError.broken) {
            try metrics.time(LoadAttempt.self, clock: clock) { () throws(LoadError) -> Int in throw .broken }
        }
        #expect(metrics.recorded(LoadAttempt.self).map(\.outcome) == [.notFound, .failure])
        #expect(metrics.recorded(LoadAttempt.self).map(\.duration) == [.seconds(2), .seconds(2)])
    }

    @Test func theErrorKeepsItsTypedThrowsType() {
        let metrics = Capturing()
        do {
            _ = try metrics.time(LoadAttempt.self, clock: StepClock(step: .seconds(1))) {
                () throws(LoadError) -> Int in throw .broken
            }
            Issue.record("the body's error was not rethrown")
        } catch {
            // `error` is a `LoadError` here, not `any Error`.
            let typed: LoadError = error
            #expect(typed == .broken)
        }
    }

    @Test func theClosureFormCarriesMorePayload() throws {
        let metrics = Capturing()
        let content: [UInt8] = [1, 2, 3]
        let written = try metrics.time(
            success: LoadOutcome.success, failure: { (_: LoadError) in .failure },
            clock: StepClock(step: .microseconds(5)),
            event: { WriteAttempt(outcome: $0, bytes: ByteCount(content.count), duration: $1) }
        ) { () throws(LoadError) -> Int in
            content.count
        }
        #expect(written == 3)
        let events = metrics.recorded(WriteAttempt.self)
        #expect(events.map(\.outcome) == [.success])
        #expect(events.map(\.bytes) == [3])
        #expect(events.map(\.duration) == [.microseconds(5)])
    }

    @Test func theAsyncFormsRecordAndRethrow() async {
        let metrics = Capturing()
        let clock = StepClock(step: .milliseconds(3))
        let value = await metrics.time(LoadAttempt.self, clock: clock) { () async -> Int in
            await Task.yield()
            return 7
        }
        #expect(value == 7)
        await #expect(throws: LoadError.missing) {
            try await metrics.time(
                success: LoadOutcome.success,
                failure: { (error: LoadError) in error == .missing ? .notFound : .failure },
                clock: clock, event: { WriteAttempt(outcome: $0, bytes: 0, duration: $1) }
            ) { () async throws(LoadError) -> Int in
                await Task.yield()
                throw .missing
            }
        }
        #expect(metrics.recorded(LoadAttempt.self).map(\.outcome) == [.success])
        #expect(metrics.recorded(LoadAttempt.self).map(\.duration) == [.milliseconds(3)])
        #expect(metrics.recorded(WriteAttempt.self).map(\.outcome) == [.notFound])
    }

    @Test func anActorTimesItsOwnWorkWithoutLeavingIt() async throws {
        let metrics = Capturing()
        let store = Store()
        let clock = StepClock(step: .milliseconds(1))
        #expect(try await store.load(using: metrics, clock: clock) == 1)
        await #expect(throws: LoadError.broken) { try await store.load(using: metrics, clock: clock) }
        #expect(metrics.recorded(LoadAttempt.self).map(\.outcome) == [.success, .failure])
    }

    @Test func theDefaultClockIsTheContinuousClock() {
        let metrics = Capturing()
        let outer = ContinuousClock()
        let start = outer.now
        metrics.time(LoadAttempt.self) {
            var total = 0
            for index in 0..<10_000 { total &+= index }
            return total
        }
        let around = start.duration(to: outer.now)
        let measured = metrics.recorded(LoadAttempt.self).map(\.duration)
        #expect(measured.count == 1)
        #expect(measured.allSatisfy { $0 > .zero && $0 <= around })
    }

    @Test func theEventsArticleSnippetsRunAsWritten() throws {
        let metrics = Capturing()
        let storage = Storage(files: ["notes.txt": [1, 2]])
        let name = "notes.txt"
        let content: [UInt8] = [1, 2, 3]

        let document = try metrics.time(LoadAttempt.self) { try storage.load(name) }
        let written = try metrics.time(
            success: LoadOutcome.success, failure: { _ in .failure },
            event: { WriteAttempt(outcome: $0, bytes: ByteCount(content.count), duration: $1) }
        ) {
            try storage.write(content, to: name)
        }

        #expect(document == [1, 2])
        #expect(written == 3)
        #expect(metrics.recorded(LoadAttempt.self).map(\.outcome) == [.success])
        #expect(metrics.recorded(WriteAttempt.self).map(\.bytes) == [3])
        #expect(throws: LoadError.missing) { try metrics.time(LoadAttempt.self) { try storage.load("absent") } }
        #expect(metrics.recorded(LoadAttempt.self).map(\.outcome) == [.success, .notFound])
    }
}
