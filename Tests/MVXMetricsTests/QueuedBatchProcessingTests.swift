import MVXMetrics
import Synchronization
import Testing

/// The processing thread applies a queued batch metric by metric (one call per
/// run of the ring), unless one metric has two handlers for the event type:
/// then event by event. Both must leave the metrics and the statistics exactly
/// as the inline recorder, which applies each event as a batch of one, does
/// for the same events.
@Suite struct QueuedBatchProcessingTests {
    /// Events that exercise every kind of update: changes, a value of zero
    /// (the sum is unchanged), a negative size and a non-finite duration
    /// (rejected values).
    static func events() -> [SaveAttempt] {
        (0..<5_000).map { index in
            let size: ByteCount = index % 7 == 0 ? 0 : (index % 11 == 0 ? -5 : ByteCount(index % 300))
            let outcome: SaveOutcome = index % 5 == 0 ? .failure : (index % 13 == 0 ? .tooLarge : .success)
            return SaveAttempt(outcome: outcome, size: size, duration: .milliseconds(index % 40))
        }
    }

    static func registerReadyMade(_ register: (any Metric) throws -> Void) throws {
        try register(OutcomeMetric("test_storage.save.attempts", of: SaveAttempt.self, outcome: \.outcome))
        try register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        try register(
            DistributionMetric(
                "test_storage.save.duration", of: SaveAttempt.self, buckets: .durations, value: \.duration))
        try register(EventCountMetric("test_storage.save.events", of: SaveAttempt.self))
        try register(
            CaseCountMetric(
                "test_storage.save.by_outcome", of: SaveAttempt.self, label: "outcome",
                value: { $0.outcome == .tooLarge ? nil : $0.outcome }))
        try register(LastValueMetric("test_storage.save.last_size", of: SaveAttempt.self, value: \.size))
    }

    /// The queued recorder's snapshot after `events`, and the inline recorder's.
    static func compare(extra: (any Metric)? = nil) throws -> (queued: RecorderSnapshot, inline: RecorderSnapshot) {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        // A small capacity makes the processing thread see many batches, some
        // wrapping around the end of the ring.
        let queued = try runtime.makeRecorder(entityID: "queued", capacity: 64, overflowPolicy: .block)
        let inline = InlineMetricsRecorder(entityID: "queued")
        try registerReadyMade { try queued.register($0) }
        try registerReadyMade { try inline.register($0) }
        if let extra {
            try queued.register(extra)
            try inline.register(extra)
        }
        for event in events() {
            queued.record(event)
            inline.record(event)
        }
        try queued.flush()
        return (queued.snapshot(), inline.snapshot())
    }

    @Test func readyMadeMetricsAppliedBatchByBatchMatchTheInlineRecorder() throws {
        let (queued, inline) = try Self.compare()
        #expect(queued.metrics == inline.metrics)
        let statistics = queued.statistics
        #expect(statistics.processed == 5_000)
        #expect(statistics.rejectedValues == inline.statistics.rejectedValues)
        #expect(statistics.rejectedValues > 0)
        #expect(statistics.ignored == inline.statistics.ignored)
        #expect(statistics.handlerFailures == 0)
        #expect(statistics.isBalanced)
    }

    /// A distribution applied batch by batch (its counters held in spans,
    /// the sketch growing mid-batch to new extremes of either sign) ends
    /// exactly as one fed the same values one `record` at a time; rejected
    /// values and ignored events are counted exactly, in batches of every
    /// length, not only multiples of the eight updates combined at a time.
    @Test func aDistributionAppliedInBatchesMatchesOneRecordedValueByValue() throws {
        struct Reading: MetricEvent {
            static let eventType = "test.reading"
            var value: Double
        }
        var values: [Double] = []
        for index in 0..<6_000 {
            let magnitude = Double(sign: .plus, exponent: index % 120 - 60, significand: 1 + Double(index % 7) / 8)
            switch index % 53 {
            case 0: values.append(.nan)
            case 1: values.append(-.infinity)
            case 2: values.append(0)
            case 3: values.append(.leastNonzeroMagnitude)
            default: values.append(index % 3 == 0 ? -magnitude : magnitude)
            }
        }
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "queued", capacity: 64, overflowPolicy: .block)
        try recorder.register(
            DistributionMetric(
                "test.readings", of: Reading.self,
                buckets: try HistogramBuckets([-1e6, -1, 0, 1e-9, 0.001, 1, 1.000_1, 1e3, 1e12]),
                quantiles: [0.01, 0.25, 0.5, 0.75, 0.99], value: \.value))
        var direct = try Distribution<Double>(
            buckets: try HistogramBuckets([-1e6, -1, 0, 1e-9, 0.001, 1, 1.000_1, 1e3, 1e12]),
            quantiles: [0.01, 0.25, 0.5, 0.75, 0.99])
        for value in values {
            recorder.record(Reading(value: value))
            direct.record(value)
        }
        try recorder.flush()
        let snapshot = recorder.snapshot()
        #expect(snapshot["test.readings"]?.distribution("distribution") == direct.snapshot)
        let rejected = UInt64(values.filter { !$0.isFinite }.count)
        #expect(snapshot.statistics.rejectedValues == rejected)
        #expect(snapshot.statistics.ignored == rejected)
        #expect(snapshot.statistics.processed == UInt64(values.count))
    }

    @Test func aThrowingPerEventHandlerIsIsolatedInABatchAsInline() throws {
        // ThrowingMetric's per-event handler throws for failures; in a batch
        // each throw is counted and the batch goes on.
        let (queued, inline) = try Self.compare(extra: ThrowingMetric())
        #expect(queued.metrics == inline.metrics)
        #expect(queued.statistics.rejectedValues == inline.statistics.rejectedValues)
        #expect(queued.statistics.ignored == inline.statistics.ignored)
        #expect(queued.statistics.handlerFailures == inline.statistics.handlerFailures)
        #expect(queued.statistics.handlerFailures > 0)
    }

    @Test func eventsNoMetricAppliesAreCountedAsIgnoredInABatch() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "queued", capacity: 16, overflowPolicy: .block)
        // Failures do not apply; successes of zero bytes apply without a change.
        try recorder.register(
            EventMetric("test_storage.save.success_bytes", of: SaveAttempt.self, aggregate: Sum<ByteCount>()) {
                sum, event in event.outcome == .success ? sum.add(event.size) : .unchanged
            })
        for index in 0..<100 {
            recorder.record(SaveAttempt(outcome: index % 4 == 0 ? .failure : .success, size: index % 3 == 0 ? 0 : 1))
        }
        try recorder.flush()
        let snapshot = recorder.snapshot()
        let nonzeroSuccesses = (0..<100).filter { $0 % 4 != 0 && $0 % 3 != 0 }.count
        #expect(snapshot["test_storage.save.success_bytes"]?.count("total") == UInt64(nonzeroSuccesses))
        #expect(snapshot.statistics.ignored == 25)
        #expect(snapshot.statistics.processed == 100)
    }

    @Test(arguments: [false, true])
    func repeatedGaugeValuesAreAppliedNotIgnored(withHook: Bool) throws {
        // With a hook the processing thread applies events one at a time and
        // tells the hook of changes; without one it applies whole batches.
        let hook = CountingHook()
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(
            entityID: "queued", capacity: 64, overflowPolicy: .block, hooks: withHook ? [hook] : [])
        try recorder.register(LastValueMetric("test_storage.save.last_size", of: SaveAttempt.self, value: \.size))
        for index in 0..<50 { recorder.record(SaveAttempt(outcome: .success, size: index < 20 ? 7 : 9)) }
        recorder.record(NeverRoutedEvent())
        try recorder.flush()
        let snapshot = recorder.snapshot()
        #expect(snapshot["test_storage.save.last_size"]?.value("value") == 9)
        #expect(snapshot.statistics.processed == 51)
        #expect(snapshot.statistics.ignored == 1)
        if withHook { #expect(hook.changes.count == 2) }
    }

    @Test func largeBatchesProcessedInChunksWhileAProducerWaitsForRoomAreExact() throws {
        // Lanes much larger than a chunk: the processing thread hands slots
        // back chunk by chunk while the producer, blocked on a full lane under
        // the block policy, refills them. Nothing may be lost or counted twice.
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "queued", capacity: 8192, overflowPolicy: .block)
        try recorder.register(OutcomeMetric("test_storage.save.attempts", of: SaveAttempt.self, outcome: \.outcome))
        try recorder.register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        let count = 300_000
        var expectedBytes: UInt64 = 0
        for index in 0..<count {
            let size = ByteCount(1 + index % 97)
            expectedBytes += UInt64(size.bytes)
            recorder.record(SaveAttempt(outcome: index % 3 == 0 ? .failure : .success, size: size))
        }
        try recorder.flush()
        let snapshot = recorder.snapshot()
        #expect(snapshot["test_storage.save.attempts"]?.count("total") == UInt64(count))
        #expect(snapshot["test_storage.save.attempts"]?.count("failure_total") == UInt64(count / 3))
        #expect(snapshot["test_storage.save.bytes"]?.count("total") == expectedBytes)
        #expect(snapshot.statistics == RecorderStatistics(accepted: UInt64(count), processed: UInt64(count)))
    }

    @Test func aBatchHandlerSeesEveryRunAndItsFailuresAndRejectionsAreCounted() throws {
        let (queued, inline) = try Self.compare(extra: BatchCheckingMetric())
        let events = Self.events()
        let applied = UInt64(events.filter { $0.outcome != .tooLarge && $0.size != 0 }.count)
        #expect(queued["test_storage.batches"]?.count("applied") == applied)
        #expect(inline["test_storage.batches"]?.count("applied") == applied)
        let failures = UInt64(events.filter { $0.outcome == .tooLarge }.count)
        #expect(queued.statistics.handlerFailures == failures)
        #expect(inline.statistics.handlerFailures == failures)
        #expect(queued.statistics.rejectedValues == inline.statistics.rejectedValues)
        #expect(queued.statistics.ignored == inline.statistics.ignored)
        // The queued recorder handed the metric runs of several events (a
        // capacity of 64 and a blocked producer); the inline one single events.
        let queuedRuns = queued["test_storage.batches"]?.count("runs") ?? 0
        #expect(queuedRuns > 0 && queuedRuns < 5_000)
        #expect(inline["test_storage.batches"]?.count("runs") == 5_000)
        #expect(queued.statistics.isBalanced)
    }

    @Test func aMetricWithTwoHandlersForOneTypeSeesItsEventsInOrder() throws {
        // Each handler folds the event into one running value; applying all
        // events to the first handler and then to the second would give a
        // different value.
        let (queued, inline) = try Self.compare(extra: OrderSensitiveMetric())
        #expect(queued["test_storage.order"]?.value("value") == inline["test_storage.order"]?.value("value"))
        #expect(queued.metrics == inline.metrics)
    }
}

extension QueuedBatchProcessingTests {
    @Test func eventsHoldingReferencesAreDestroyedOnceEachAfterTheirBatch() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "queued", capacity: 64, overflowPolicy: .block)
        try recorder.register(EventCountMetric("test_storage.payloads", of: PayloadEvent.self))
        for _ in 0..<1_000 { recorder.record(PayloadEvent(payload: Payload())) }
        try recorder.flush()
        #expect(recorder.snapshot()["test_storage.payloads"]?.count("total") == 1_000)
        #expect(Payload.live.load(ordering: .relaxed) == 0)
    }
}

/// An object that counts its live instances.
private final class Payload: Sendable {
    static let live = Atomic<Int>(0)
    init() { Self.live.add(1, ordering: .relaxed) }
    deinit { Self.live.subtract(1, ordering: .relaxed) }
}

/// An event that holds a reference, so its slot must be destroyed.
private struct PayloadEvent: MetricEvent {
    static let eventType = "test_storage.payload"
    let payload: Payload
}

/// A metric with a batch handler: it counts the events it applies and the
/// runs it is given, rejects empty saves, and reports a failure for each
/// save that was too large.
private struct BatchCheckingMetric: Metric {
    struct TooLarge: Error {}
    let name = "test_storage.batches"
    var applied = EventCount(dimension: "applied")
    var runs = EventCount(dimension: "runs")

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(SaveAttempt.self) { metric, events, updates, failed in
            _ = metric.runs.increment()
            for index in events.indices {
                switch events[index] {
                case let event where event.outcome == .tooLarge: failed(TooLarge())
                case let event where event.size == 0: updates[index] = .rejected
                default: updates[index] = metric.applied.increment()
                }
            }
        }
    }

    func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, dimensions: applied.dimensions + runs.dimensions)
    }
}

/// A metric whose two handlers for one event type do not commute.
private struct OrderSensitiveMetric: Metric {
    let name = "test_storage.order"
    var value = LastValue<Int>(dimension: "value")
    var state = 0

    func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(SaveAttempt.self) { metric, event in
            metric.state = (metric.state &* 31 &+ Int(event.size.bytes)) % 1_000_003
            return .changed
        }
        routes.on(SaveAttempt.self) { metric, _ in
            metric.state = (metric.state &* 7 &+ 1) % 1_000_003
            return metric.value.set(metric.state)
        }
    }

    func snapshot() -> MetricSnapshot { MetricSnapshot(name: name, dimensions: value.dimensions) }
}
