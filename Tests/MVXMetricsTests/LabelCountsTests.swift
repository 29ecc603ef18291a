import MVXMetrics
import MVXMetricsTestSupport
import Testing

@Suite struct LabelCountsTests {
    @Test func valuesBeyondTheCapGoToTheOverflowSeries() throws {
        var counts = try LabelCounts(dimension: "hits_total", label: "route", cap: 2)
        #expect(
            counts.dimensions == [MetricDimension("hits_total", labels: ["route": "_overflow"], value: .counter(0))])
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
                MetricDimension("hits_total", labels: ["route": "/a"], value: .counter(2)),
                MetricDimension("hits_total", labels: ["route": "/b"], value: .counter(2)),
                MetricDimension("hits_total", labels: ["route": "_overflow"], value: .counter(2)),
            ])
    }

    /// Snapshots reuse the series' layout from one to the next: values that
    /// appear between snapshots (in any order, before and after the ones
    /// laid out) are merged in, and counts are always the current ones. A
    /// copy that goes its own way gets its own series, and so does the
    /// original.
    @Test func snapshotsBetweenNewValuesStaySortedAndExact() throws {
        var counts = try LabelCounts(dimension: "hits_total", label: "route", cap: 1_000)
        var expected: [String: UInt64] = [:]
        var generator = SplitMix64(seed: 7)
        func check(_ counts: LabelCounts, _ expected: [String: UInt64]) {
            let series = expected.keys.sorted().map {
                MetricDimension("hits_total", labels: ["route": $0], value: .counter(expected[$0]!))
            }
            let overflow = MetricDimension("hits_total", labels: ["route": "_overflow"], value: .counter(0))
            #expect(counts.dimensions == series + [overflow])
        }
        for round in 0..<20 {
            for _ in 0..<(round % 3 == 0 ? 0 : 25) {
                let value = "/r/\(UInt8.random(in: 0...200, using: &generator))"
                counts.increment(value)
                expected[value, default: 0] += 1
            }
            check(counts, expected)
        }
        var copy = counts
        copy.increment("/copy")
        counts.increment("/original")
        counts.increment("/original")
        var copyExpected = expected
        copyExpected["/copy"] = 1
        expected["/original"] = 2
        check(copy, copyExpected)
        check(counts, expected)
        check(copy, copyExpected)
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
        #expect(
            counts.dimensions == [MetricDimension("hits_total", labels: ["route": "_overflow"], value: .counter(1))])
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
