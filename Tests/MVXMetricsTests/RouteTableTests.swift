import MVXMetrics
import Testing

/// A binary number spelled in types, so a test can make hundreds of distinct
/// event types at run time.
private protocol TypeNumber { static var digits: String { get } }
private enum NumberEnd: TypeNumber { static var digits: String { "" } }
private enum Digit0<Rest: TypeNumber>: TypeNumber { static var digits: String { "0" + Rest.digits } }
private enum Digit1<Rest: TypeNumber>: TypeNumber { static var digits: String { "1" + Rest.digits } }

private protocol EmptyEvent: MetricEvent { init() }

private struct NumberedEvent<Number: TypeNumber>: EmptyEvent {
    static var eventType: String { "test_routes.t" + Number.digits }
}

/// Calls `body` with the event type numbered `value`, spelled in `bits` digits.
private func withNumberedEvent<Number: TypeNumber>(
    _ number: Number.Type, bits: Int, value: Int, _ body: (any EmptyEvent.Type) throws -> Void
) rethrows {
    guard bits > 0 else { return try body(NumberedEvent<Number>.self) }
    if value & 1 == 0 {
        try withNumberedEvent(Digit0<Number>.self, bits: bits - 1, value: value >> 1, body)
    } else {
        try withNumberedEvent(Digit1<Number>.self, bits: bits - 1, value: value >> 1, body)
    }
}

private func register<Event: MetricEvent>(_ type: Event.Type, in recorder: QueuedMetricsRecorder) throws {
    try recorder.register(
        EventCountMetric("test_routes.c" + Event.eventType.dropFirst("test_routes.t".count), of: type))
}

private func record<Event: EmptyEvent>(_ type: Event.Type, times: Int, in recorder: QueuedMetricsRecorder) {
    for _ in 0..<times { recorder.record(Event()) }
}

@Suite struct RouteTableTests {
    /// Many event types, registered while the hash table grows through
    /// several sizes, each reach only their own metric.
    @Test func everyEventTypeOfHundredsReachesItsOwnMetric() throws {
        let runtime = MetricsRuntime()
        try runtime.start()
        defer { runtime.shutdown() }
        let recorder = try runtime.makeRecorder(entityID: "routes")
        let types = 300
        for value in 0..<types {
            try withNumberedEvent(NumberEnd.self, bits: 9, value: value) { try register($0, in: recorder) }
        }
        for value in 0..<types {
            withNumberedEvent(NumberEnd.self, bits: 9, value: value) { record($0, times: value % 7 + 1, in: recorder) }
        }
        try recorder.flush()
        let snapshot = recorder.snapshot()
        #expect(snapshot.metrics.count == types)
        #expect(recorder.routing.count == types)
        for value in 0..<types {
            withNumberedEvent(NumberEnd.self, bits: 9, value: value) { type in
                let name = "test_routes.c" + type.eventType.dropFirst("test_routes.t".count)
                #expect(snapshot[name]?.count("total") == UInt64(value % 7 + 1), "\(name)")
            }
        }
        #expect(snapshot.statistics.ignored == 0)
    }

    /// The names are listed sorted whatever the order metrics came in, and
    /// many metrics on one event type all see every event.
    @Test func metricsRegisteredOutOfOrderAreListedSortedAndAllApplied() throws {
        let (runtime, recorder) = try runningRecorder()
        defer { runtime.shutdown() }
        let order = [7, 3, 9, 1, 8, 2, 6, 0, 5, 4] + (10..<100).reversed()
        for index in order {
            try recorder.register(
                EventCountMetric("test_routes.n" + String(String(index + 1000).dropFirst()), of: ReadAttempt.self))
        }
        for _ in 0..<5 { recorder.record(ReadAttempt(outcome: .success)) }
        try recorder.flush()
        let expected =
            ["test_storage.save.attempts"] + (0..<100).map { "test_routes.n" + String(String($0 + 1000).dropFirst()) }
        #expect(recorder.metricNames == expected.sorted())
        let snapshot = recorder.snapshot()
        #expect(snapshot.metrics.map(\.name) == expected.sorted())
        #expect(snapshot.metrics.filter { $0.name.hasPrefix("test_routes.") }.allSatisfy { $0.count("total") == 5 })
        // A late, out-of-order registration keeps the list sorted.
        try recorder.register(EventCountMetric("test_routes.a", of: ReadAttempt.self))
        #expect(recorder.metricNames == (expected + ["test_routes.a"]).sorted())
    }
}
