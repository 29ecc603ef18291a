import MVXMetrics
import Testing

@Suite struct LabelCountsTests {
    @Test func valuesBeyondTheCapGoToTheOverflowSeries() throws {
        var counts = try LabelCounts(dimension: "hits_total", label: "route", cap: 2)
        #expect(counts.dimensions == [Dimension("hits_total", labels: ["route": "_overflow"], value: .counter(0))])
        counts.increment("/b")
        counts.increment("/a")
        counts.increment("/a")
        counts.increment("/c")
        counts.increment("/d")
        counts.increment("/b")
        #expect(counts.distinctValues == 2)
        #expect(counts.overflowCount == 2)
        #expect(
            counts.dimensions == [
                Dimension("hits_total", labels: ["route": "/a"], value: .counter(2)),
                Dimension("hits_total", labels: ["route": "/b"], value: .counter(2)),
                Dimension("hits_total", labels: ["route": "_overflow"], value: .counter(2)),
            ])
    }

    @Test func memoryStaysBoundedUnderManyDistinctValues() throws {
        var counts = try LabelCounts(dimension: "hits_total", label: "route", cap: 100)
        for index in 0..<200_000 { counts.increment("/users/\(index)") }
        #expect(counts.distinctValues == 100)
        #expect(counts.overflowCount == 199_900)
        #expect(counts.dimensions.count == 101)
        let total = counts.dimensions.reduce(UInt64(0)) { sum, dimension in
            guard case .counter(let count) = dimension.value else { return sum }
            return sum + count
        }
        #expect(total == 200_000)
    }

    @Test func longValuesAreCutAtACharacterBoundary() throws {
        var counts = try LabelCounts(dimension: "hits_total", label: "route", cap: 10)
        let long = String(repeating: "é", count: 100)  // 200 UTF-8 bytes
        counts.increment(long)
        counts.increment(long + "more")
        let kept = try #require(counts.dimensions.first?.labels["route"])
        #expect(kept.utf8.count == 128)
        #expect(kept == String(repeating: "é", count: 64))
        #expect(counts.count(of: long) == 2)
    }

    @Test func aValueSpelledLikeTheOverflowJoinsIt() throws {
        var counts = try LabelCounts(dimension: "hits_total", label: "route", cap: 10)
        counts.increment("_overflow")
        #expect(counts.distinctValues == 0)
        #expect(counts.dimensions == [Dimension("hits_total", labels: ["route": "_overflow"], value: .counter(1))])
    }

    @Test func labelCountMetricAppliesOnlyWhenAValueIsGiven() throws {
        let recorder = InlineMetricsRecorder()
        try recorder.register(
            LabelCountMetric("test_http.routes", of: RouteHit.self, label: "route", cap: 1) {
                $0.route.isEmpty ? nil : $0.route
            })
        recorder.record(RouteHit(route: "/a"))
        recorder.record(RouteHit(route: ""))
        recorder.record(RouteHit(route: "/b"))
        let snapshot = try #require(recorder.snapshot(metric: "test_http.routes"))
        #expect(snapshot.count("total", labels: ["route": "/a"]) == 1)
        #expect(snapshot.count("total", labels: ["route": "_overflow"]) == 1)
        #expect(recorder.statistics.ignored == 1)
    }
}
