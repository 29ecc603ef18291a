import MVXMetrics
import Testing

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
            try withNumberedEvent(NumberEnd.self, bits: 9, value: value) { try registerCounter(of: $0, in: recorder) }
        }
        for value in 0..<types {
            withNumberedEvent(NumberEnd.self, bits: 9, value: value) {
                recordEmpty($0, times: value % 7 + 1, in: recorder)
            }
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
