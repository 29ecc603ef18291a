import Foundation
import Logging
import MVXMetrics
import MVXMetricsHTTP
import MVXMetricsTestSupport
import ServiceLifecycle
import Synchronization
import Testing

/// A bounded run at full load: two producers as fast as they can in lossless
/// mode, a thread reading snapshots, a Prometheus scrape loop over HTTP and a
/// deliberately slow hook. Nothing deadlocks, every total is exact, and the
/// resident size at the end is within the stated margin of the size after
/// warm-up.
///
/// It runs for `MVX_SOAK_SECONDS` seconds, and only when that is set: it
/// takes both cores, and the resident size it checks is the whole process's,
/// so it runs alone (`.ci/run` runs it for 60 s in a step of its own).
@Suite struct SoakTests {
    static let requested = ProcessInfo.processInfo.environment["MVX_SOAK_SECONDS"].flatMap { Int($0) }
    static var seconds: Int { max(1, requested ?? 5) }

    /// Growth allowed between warm-up and the end: the larger of 32 MiB and a
    /// quarter of the size after warm-up. Queues, metrics and caches are full by
    /// then; what grows beyond that is a leak.
    static func margin(afterWarmUp bytes: Int) -> Int { max(32 << 20, bytes / 4) }

    @Test(
        .enabled(
            if: SoakTests.requested != nil,
            "the soak runs when MVX_SOAK_SECONDS is set (MVX_SOAK_SECONDS=60 swift test --filter SoakTests)"),
        .timeLimit(.minutes(30)))
    func twoProducersReadersAScrapeLoopAndASlowHookLoseNothing() async throws {
        let seconds = Self.seconds
        let runtime = MetricsRuntime(configuration: .init(name: "soak"))
        try await runtime.start()
        let hook = SlowHook(stallEvery: 4096, stall: .microseconds(500))
        let recorder = try runtime.makeRecorder(entityID: "soak", capacity: 4096, overflowPolicy: .block, hooks: [hook])
        try ScriptMetrics.register(into: recorder)

        let port = Collected<Int?>(nil)
        let server = MetricsHTTPServer(
            runtime: runtime, configuration: .init(port: 0, onServerRunning: { bound in port.update { $0 = bound } }))
        // Stopped by graceful shutdown, not by cancelling its task: cancelling
        // Hummingbird with a connection accepted but not handled stops the
        // process (RELIABILITY.md, known limits).
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: server)], logger: Logger(label: "mvx-soak")))
        let serving = Task { try await group.run() }
        let listening = await eventually(timeout: .seconds(30)) { port.value != nil }
        #expect(listening, "the metrics server did not start")
        let metricsPort = try #require(port.value)

        let start = ContinuousClock.now
        let warmUpEnds = start + .seconds(max(1, seconds / 5))
        let deadline = start + .seconds(seconds)
        let residentAfterWarmUp = Atomic<Int>(0)
        let emitted = Collected<ReferenceModelInput>(ReferenceModelInput())
        let scrapes = Atomic<Int>(0)
        let snapshots = Atomic<Int>(0)
        let problems = Collected<[String]>([])

        let producer: @Sendable (UInt8) -> Void = { producer in
            var tally = ReferenceModelInput()
            var sequence: UInt32 = 0
            while ContinuousClock.now < deadline {
                // Checking the clock costs more than an event: a thousand between checks.
                for _ in 0..<1000 {
                    let step = SoakTests.step(sequence)
                    _ = EmittedEvent(producer: producer, sequence: sequence, step: step).record(into: recorder)
                    tally.add(step)
                    sequence &+= 1
                }
            }
            emitted.update { $0.merge(tally) }
        }
        // The load runs on threads of its own: blocking a task's thread would
        // starve the server, whose handlers share the cooperative pool.
        await onThreads([
            { producer(0) },
            { producer(1) },
            {
                // Snapshot reader: every snapshot balanced and consistent; and
                // the resident size once warmed up.
                while ContinuousClock.now < deadline {
                    if residentAfterWarmUp.load(ordering: .relaxed) == 0, ContinuousClock.now >= warmUpEnds {
                        residentAfterWarmUp.store(residentBytes(), ordering: .relaxed)
                    }
                    let found = invariantViolations(in: recorder.snapshot())
                    if !found.isEmpty { problems.update { $0 += found } }
                    _ = runtime.snapshot()
                    snapshots.add(1, ordering: .relaxed)
                }
            },
            {
                // Prometheus scrape loop.
                var lastTotal = 0.0
                while ContinuousClock.now < deadline {
                    do {
                        let reply = try httpGet(port: metricsPort, path: "/metrics")
                        let total = Self.sample("reliability_save_attempts_total", in: reply.body)
                        if reply.status != 200 || total == nil || total! < lastTotal {
                            problems.update { $0.append("scrape: \(reply.status), total \(String(describing: total))") }
                        }
                        lastTotal = total ?? lastTotal
                        scrapes.add(1, ordering: .relaxed)
                    } catch {
                        problems.update { $0.append("scrape failed: \(error)") }
                    }
                }
            },
        ])
        let residentAtEnd = residentBytes()
        try await recorder.flush()

        let expected = emitted.value
        let snapshot = await recorder.snapshot()
        let statistics = snapshot.statistics
        let lost = Int(expected.events) - Int(statistics.processed)
        print(
            """
            soak: \(seconds) s, \(expected.events) events emitted by 2 producers, \(lost) lost, \
            \(statistics.dropped) dropped, \(snapshots.load(ordering: .relaxed)) snapshots, \
            \(scrapes.load(ordering: .relaxed)) scrapes, slow hook stalled \(hook.stalls) times; \
            resident \(residentAfterWarmUp.load(ordering: .relaxed) >> 20) MiB after warm-up, \
            \(residentAtEnd >> 20) MiB at the end
            """)
        #expect(problems.value.isEmpty, "\(problems.value.prefix(5))")
        #expect(expected.events > 0)
        // Scrapes share the machine's cooperative threads with every other
        // test running at the time: on two busy cores they can be few.
        #expect(scrapes.load(ordering: .relaxed) >= max(1, seconds / 10), "the scrape loop hardly ran")
        #expect(statistics.accepted == expected.events)
        #expect(statistics.processed == expected.events)
        #expect(statistics.dropped == 0)
        #expect(statistics.hookFailures == 0)
        let attempts = try #require(snapshot[ScriptMetrics.attempts])
        for outcome in ScriptOutcome.allCases {
            #expect(attempts.count("\(outcome.metricLabel)_total") == expected.outcomes[outcome, default: 0])
        }
        #expect(snapshot[ScriptMetrics.bytes]?.value("total") == Double(expected.bytes))
        #expect(snapshot[ScriptMetrics.latency]?.distribution("milliseconds")?.count == expected.latencies)
        #expect(
            snapshot[ScriptMetrics.refusals]?.dimensions.map(\.value.number).reduce(0) { $0 + ($1 ?? 0) }
                == Double(expected.refusals))
        let warm = residentAfterWarmUp.load(ordering: .relaxed)
        #expect(warm > 0, "the run ended before warm-up")
        #expect(
            residentAtEnd <= warm + Self.margin(afterWarmUp: warm),
            "resident size grew from \(warm) to \(residentAtEnd)")

        await group.triggerGracefulShutdown()
        try await serving.value
        await runtime.shutdown()
        #expect(runtime.state == .stopped)
    }

    /// The soak's events: mostly saves, some latencies and refusals from many
    /// reasons (far beyond the label cap), all valid.
    static func step(_ sequence: UInt32) -> ScriptStep {
        switch sequence % 8 {
        case 0..<5: .save(ScriptOutcome.allCases[Int(sequence % 3)], size: Int32(sequence % 4096))
        case 5, 6: .latency(Double(sequence % 2000) / 4)
        default: .refusal(UInt8(truncatingIfNeeded: sequence / 8))
        }
    }

    /// The value of the first sample of `family` in a Prometheus text exposition.
    static func sample(_ family: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(family + "{") || line.hasPrefix(family + " ") {
            return line.split(separator: " ").last.flatMap { Double($0) }
        }
        return nil
    }
}

/// What producers emitted, tallied as they go (too many events to keep).
struct ReferenceModelInput: Sendable {
    var events: UInt64 = 0
    var outcomes: [ScriptOutcome: UInt64] = [:]
    var bytes: UInt64 = 0
    var latencies: UInt64 = 0
    var refusals: UInt64 = 0

    mutating func add(_ step: ScriptStep) {
        events += 1
        switch step {
        case .save(let outcome, let size):
            outcomes[outcome, default: 0] += 1
            bytes += UInt64(size)
        case .latency: latencies += 1
        case .refusal: refusals += 1
        }
    }

    mutating func merge(_ other: ReferenceModelInput) {
        events += other.events
        outcomes.merge(other.outcomes, uniquingKeysWith: +)
        bytes += other.bytes
        latencies += other.latencies
        refusals += other.refusals
    }
}

/// A hook that stalls the processing thread now and then, as a hook doing I/O would.
final class SlowHook: RecorderHook {
    private let stallEvery: Int
    private let stall: Duration
    private let changes = Atomic<Int>(0)
    private let stallCount = Atomic<Int>(0)

    init(stallEvery: Int, stall: Duration) {
        self.stallEvery = stallEvery
        self.stall = stall
    }

    var stalls: Int { stallCount.load(ordering: .relaxed) }

    func metricChanged(_ change: MetricChange) throws {
        guard changes.add(1, ordering: .relaxed).newValue % stallEvery == 0 else { return }
        stallCount.add(1, ordering: .relaxed)
        Thread.sleep(forTimeInterval: Double(stall.components.attoseconds) / 1e18 + Double(stall.components.seconds))
    }
}
