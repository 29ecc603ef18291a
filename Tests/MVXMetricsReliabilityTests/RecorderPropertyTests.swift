import MVXMetrics
import MVXMetricsTestSupport
import PropertyBased
import Synchronization
import Testing

/// The recorders under test: the inline one, and the queued one under each
/// overflow policy with a queue small enough that the policy is exercised.
enum RecorderKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inline, dropNew, dropOldest, block

    var testDescription: String { rawValue }

    var policy: QueuedMetricsRecorder.OverflowPolicy? {
        switch self {
        case .inline: nil
        case .dropNew: .dropNew
        case .dropOldest: .dropOldest
        case .block: .block
        }
    }
}

/// Random scripts of events, emitted from one to three threads at once: the
/// final snapshot equals a plain reference model applied to the events the
/// recorder kept, and every snapshot read while they run is balanced and
/// internally consistent.
@Suite(.onAThreadOfItsOwn) struct RecorderPropertyTests {
    /// One step: mostly saves, some latencies (a few not finite), some refusals
    /// with eight reasons against a cap of four.
    static var step: Generator<ScriptStep, some SendableSequenceType> {
        zip(
            Gen.int(in: 0...19), Gen<Int32>.value(in: -50...5000), Gen.double(in: 0...2500), Gen<UInt8>.value(in: 0...7)
        ).map { drawn -> ScriptStep in
            let (kind, size, milliseconds, reason) = drawn
            return switch kind {
            case 0..<10: ScriptStep.save(ScriptOutcome.allCases[Int(reason) % 3], size: size)
            case 10..<15: ScriptStep.latency(milliseconds)
            case 15: ScriptStep.latency([Double.nan, .infinity, -.infinity][Int(reason) % 3])
            default: ScriptStep.refusal(reason)
            }
        }
    }

    /// One script per producing thread.
    static var scripts: Generator<[[ScriptStep]], some SendableSequenceType> {
        step.array(of: 0...400).array(of: 1...3)
    }

    static let runtime: MetricsRuntime = {
        let runtime = MetricsRuntime(configuration: .init(name: "reliability-properties"))
        try! runtime.start()
        return runtime
    }()
    static let serial = Atomic<Int>(0)

    @Test(arguments: RecorderKind.allCases)
    func theFinalSnapshotEqualsTheReferenceModel(kind: RecorderKind) async throws {
        let totals = Collected<(runs: Int, emitted: Int, applied: Int, dropped: UInt64)>((0, 0, 0, 0))
        // Queues from tiny (the policy applies all the time) to roomy (rarely).
        await propertyCheck(count: 40, input: Self.scripts, Gen.element(of: [4, 64, 1024]).compactMap { $0 }) {
            scripts, capacity in
            let statistics = try await onThread { try Self.check(kind: kind, scripts: scripts, capacity: capacity) }
            totals.update {
                $0.runs += 1
                $0.emitted += scripts.map(\.count).reduce(0, +)
                $0.applied += Int(statistics.processed)
                $0.dropped += statistics.dropped
            }
        }
        let seen = totals.value
        print(
            "properties, \(kind) recorder: \(seen.runs) random runs, \(seen.emitted) events emitted, "
                + "\(seen.applied) applied, \(seen.dropped) dropped by the policy, every snapshot matching the model")
    }

    /// Runs one set of scripts and checks it; returns the final statistics.
    @discardableResult
    static func check(kind: RecorderKind, scripts: [[ScriptStep]], capacity: Int) throws -> RecorderStatistics {
        let witness = WitnessLog()
        let recorder: any RegisteringMetricsRecorder
        var queued: QueuedMetricsRecorder?
        if let policy = kind.policy {
            let name = "properties-\(serial.add(1, ordering: .relaxed).newValue)"
            queued = try runtime.makeRecorder(entityID: name, capacity: capacity, overflowPolicy: policy)
            recorder = queued!
        } else {
            recorder = InlineMetricsRecorder(entityID: "inline")
        }
        try ScriptMetrics.register(into: recorder)
        // Drop-oldest discards events the producer cannot name; a witness metric
        // sees each event that reaches the metrics, and the model applies to those.
        if kind == .dropOldest { try recorder.register(WitnessMetric(log: witness)) }

        let emitted = scripts.enumerated().map { producer, script in
            script.enumerated().map { EmittedEvent(producer: UInt8(producer), sequence: UInt32($0), step: $1) }
        }
        let kept = Collected<[EmittedEvent]>([])
        let violations = Collected<[String]>([])
        let lastProcessed = Atomic<UInt64>(0)
        runProducers(
            emitted.map { events in
                {
                    var mine: [EmittedEvent] = []
                    for event in events where event.record(into: recorder) == .recorded { mine.append(event) }
                    kept.update { $0 += mine }
                }
            },
            observing: {
                let snapshot = recorder.snapshot()
                var found = invariantViolations(in: snapshot)
                if snapshot.statistics.processed < lastProcessed.load(ordering: .relaxed) {
                    found.append("processed went back to \(snapshot.statistics.processed)")
                }
                lastProcessed.store(snapshot.statistics.processed, ordering: .relaxed)
                if !found.isEmpty { violations.update { $0 += found } }
            })
        try queued?.flush()

        let all = emitted.flatMap { $0 }
        let snapshot = recorder.snapshot()
        let statistics = snapshot.statistics
        #expect(violations.value.isEmpty, "\(violations.value.prefix(5))")
        #expect(statistics.accepted == UInt64(all.count))
        #expect(statistics.pending == 0)
        #expect(statistics.isBalanced, "\(statistics)")

        var applied = kept.value
        if kind == .dropOldest {
            applied = witness.events(among: all)
            #expect(witness.count == applied.count, "the witness saw events nobody emitted")
            #expect(witness.isInOrderPerProducerAndType, "a lane reordered its events")
        } else if kind != .dropNew {
            #expect(applied.count == all.count, "\(kind) lost events")
        }
        #expect(statistics.processed == UInt64(applied.count))
        #expect(statistics.dropped == UInt64(all.count - applied.count))
        let mismatches = ReferenceModel(applied).mismatches(in: snapshot)
        #expect(mismatches.isEmpty, "\(mismatches)")

        // After stop nothing more is applied, and refusals are counted.
        if let queued {
            try queued.stop()
            #expect(ScriptSave(producer: 0, sequence: 0, outcome: .success, size: 1).record(into: queued) == .dropped)
            let after = queued.snapshot()
            #expect(after.statistics.accepted == statistics.accepted + 1)
            #expect(after.statistics.dropped == statistics.dropped + 1)
            #expect(after.metrics == snapshot.metrics)
            _ = try runtime.removeRecorder(entityID: queued.entityID)
        }
        return statistics
    }
}

extension MetricEvent {
    fileprivate func record(into recorder: some MetricsRecorder) -> RecordResult { recorder.record(self) }
}

/// The events a witness metric saw, in the order it saw them.
final class WitnessLog: Sendable {
    private let seen = Collected<[(producer: UInt8, sequence: UInt32, type: String)]>([])

    func append(_ event: some ScriptEvent) {
        seen.update { $0.append((event.producer, event.sequence, Swift.type(of: event).eventType)) }
    }

    var count: Int { seen.read { $0.count } }

    /// The emitted events the witness saw.
    func events(among emitted: [EmittedEvent]) -> [EmittedEvent] {
        let byKey = Dictionary(uniqueKeysWithValues: emitted.map { ("\($0.producer)/\($0.sequence)", $0) })
        return seen.read { $0.compactMap { byKey["\($0.producer)/\($0.sequence)"] } }
    }

    /// Whether each producer's events of one type were seen in the order it emitted them.
    var isInOrderPerProducerAndType: Bool {
        seen.read { seen in
            var last: [String: UInt32] = [:]
            for event in seen {
                let key = "\(event.producer)/\(event.type)"
                if let previous = last[key], previous >= event.sequence { return false }
                last[key] = event.sequence
            }
            return true
        }
    }
}

/// A metric that only notes which scripted events reached it.
struct WitnessMetric: Metric {
    let name = "reliability.witness"
    let log: WitnessLog

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(ScriptSave.self) { metric, event in
            metric.log.append(event)
            return .unchanged
        }
        routes.on(ScriptLatency.self) { metric, event in
            metric.log.append(event)
            return .unchanged
        }
        routes.on(ScriptRefusal.self) { metric, event in
            metric.log.append(event)
            return .unchanged
        }
    }

    func snapshot() -> MetricSnapshot { MetricSnapshot(name: name, dimensions: []) }
}
