import MVXMetricsPrometheus
import MVXMetricsTestKit
import Testing

/// A reused exposition renders from the layout it cached: these check that it
/// writes exactly what a fresh one writes, and notices every layout change.
@Suite struct LayoutCacheTests {
    struct Hit: MetricEvent {
        static let eventType = "cache.test.hit"
        var route: String
    }

    private func snapshot(entity: String = "storage", _ metrics: [MetricSnapshot]) -> RecorderSnapshot {
        RecorderSnapshot(
            entityID: entity, takenAt: .init(timeIntervalSince1970: 0), metrics: metrics, statistics: .init())
    }

    private func counter(_ name: String, _ count: UInt64, labels: [String: String] = [:]) -> MetricSnapshot {
        MetricSnapshot(name: name, dimensions: [MetricDimension("total", labels: labels, value: .counter(count))])
    }

    /// Renders `snapshots` with a fresh exposition, which has nothing cached.
    private func fresh(
        _ format: PrometheusFormat, _ snapshots: [RecorderSnapshot], statistics: Bool = true
    ) -> String {
        PrometheusExposition(format: format, includesRecorderStatistics: statistics).render(snapshots)
    }

    @Test(arguments: PrometheusFormat.all)
    func aReusedExpositionWritesWhatAFreshOneWrites(format: PrometheusFormat) throws {
        let exposition = PrometheusExposition(format: format)
        let snapshots = [try Fixtures.documentStorage(), try Fixtures.tcpStream(), try Fixtures.hostile()]
        let first = exposition.render(snapshots)
        #expect(first == fresh(format, snapshots))
        // The second render is the cached layout's.
        #expect(exposition.render(snapshots) == first)
        #expect(exposition.render(snapshots.reversed()) == first)
    }

    @Test func newValuesInTheSameLayoutAreWritten() {
        let exposition = PrometheusExposition(includesRecorderStatistics: false)
        let histogram = { (count: UInt64, sum: Double) in
            MetricSnapshot(
                name: "d", help: "D.",
                dimensions: [
                    MetricDimension(
                        "distribution", unit: .seconds,
                        value: .distribution(
                            DistributionSnapshot(
                                count: count, sum: sum, min: 0, max: 1,
                                buckets: [.init(upperBound: 0.5, cumulativeCount: count / 2)], quantiles: [])))
                ])
        }
        let gauge = { (value: Double) in
            MetricSnapshot(name: "g", help: "G.", dimensions: [MetricDimension("value", value: .gauge(value))])
        }
        _ = exposition.render(snapshot([counter("c", 1), histogram(2, 0.25), gauge(1)]))
        let text = exposition.render(snapshot([counter("c", UInt64.max), histogram(10, 3.5), gauge(-0.125)]))
        #expect(
            text == """
                # HELP c_total c total
                # TYPE c_total counter
                c_total{entity_id="storage"} 18446744073709551615
                # HELP d_seconds D.
                # TYPE d_seconds histogram
                d_seconds_bucket{entity_id="storage",le="0.5"} 5
                d_seconds_bucket{entity_id="storage",le="+Inf"} 10
                d_seconds_sum{entity_id="storage"} 3.5
                d_seconds_count{entity_id="storage"} 10
                # HELP g G.
                # TYPE g gauge
                g{entity_id="storage"} -0.125

                """)
    }

    @Test func aNewlyRegisteredMetricIsPickedUp() throws {
        let recorder = InlineMetricsRecorder(entityID: "live")
        try recorder.register(EventCountMetric("b.hits", of: Hit.self))
        let exposition = PrometheusExposition(includesRecorderStatistics: false)
        recorder.record(Hit(route: "/"))
        #expect(
            exposition.render(recorder.snapshot()) == """
                # HELP b_hits_total b.hits total
                # TYPE b_hits_total counter
                b_hits_total{entity_id="live"} 1

                """)
        try recorder.register(EventCountMetric("a.hits", help: "Hits since registration.", of: Hit.self))
        recorder.record(Hit(route: "/"))
        let snapshot = recorder.snapshot()
        #expect(
            exposition.render(snapshot) == """
                # HELP a_hits_total Hits since registration.
                # TYPE a_hits_total counter
                a_hits_total{entity_id="live"} 1
                # HELP b_hits_total b.hits total
                # TYPE b_hits_total counter
                b_hits_total{entity_id="live"} 2

                """)
        #expect(exposition.render(snapshot) == fresh(.text, [snapshot], statistics: false))
    }

    @Test func aNewLabelValueIsPickedUp() throws {
        let recorder = InlineMetricsRecorder(entityID: "live")
        try recorder.register(LabelCountMetric("routes", of: Hit.self, label: "route", cap: 10, value: \.route))
        let exposition = PrometheusExposition(includesRecorderStatistics: false)
        recorder.record(Hit(route: "/b"))
        _ = exposition.render(recorder.snapshot())
        recorder.record(Hit(route: "/a"))
        recorder.record(Hit(route: "/b"))
        #expect(
            exposition.render(recorder.snapshot()) == """
                # HELP routes_total routes total
                # TYPE routes_total counter
                routes_total{entity_id="live",route="/a"} 1
                routes_total{entity_id="live",route="/b"} 2
                routes_total{entity_id="live",route="_overflow"} 0

                """)
    }

    @Test func everyPartOfTheLayoutIsChecked() {
        let exposition = PrometheusExposition(includesRecorderStatistics: false)
        let base = snapshot([counter("x", 1, labels: ["k": "v"])])
        var changes: [RecorderSnapshot] = []
        for change in 0..<8 {
            var changed = base
            switch change {
            case 0: changed.entityID = "other"
            case 1: changed.metrics[0].name = "y"
            case 2: changed.metrics[0].help = "Help."
            case 3: changed.metrics[0].dimensions[0].name = "hits_total"
            case 4: changed.metrics[0].dimensions[0].unit = .bytes
            case 5: changed.metrics[0].dimensions[0].labels = ["k": "w"]
            case 6: changed.metrics[0].dimensions[0].partOf = .init(of: "all", label: "outcome", value: "x")
            default: changed.metrics[0].dimensions[0].value = .gauge(1)
            }
            changes.append(changed)
        }
        for changed in changes {
            _ = exposition.render(base)
            #expect(exposition.render(changed) == fresh(.text, [changed], statistics: false))
            #expect(exposition.render(base) == fresh(.text, [base], statistics: false))
        }
        // Another recorder, and a counter that becomes a sum, which keeps the layout.
        let twoRecorders = [base, snapshot(entity: "second", [counter("x", 2, labels: ["k": "v"])])]
        #expect(exposition.render(twoRecorders) == fresh(.text, twoRecorders, statistics: false))
        var sum = base
        sum.metrics[0].dimensions[0].value = .sum(2.5)
        #expect(exposition.render(sum).contains(#"x_total{entity_id="storage",k="v"} 2.5"#))
    }

    @Test func copiesWithOtherSettingsRenderTheirOwnLayout() throws {
        let snapshots = [try Fixtures.documentStorage()]
        var exposition = PrometheusExposition(format: .text)
        let text = exposition.render(snapshots)
        exposition.format = .openMetrics
        #expect(exposition.render(snapshots) == fresh(.openMetrics, snapshots))
        exposition.entityLabel = "instance"
        #expect(
            exposition.render(snapshots)
                == PrometheusExposition(format: .openMetrics, entityLabel: "instance").render(snapshots))
        exposition.includesRecorderStatistics = false
        #expect(!exposition.render(snapshots).contains("mvx_recorder"))
        exposition = PrometheusExposition(format: .text)
        #expect(exposition.render(snapshots) == text)
    }

    @Test func nothingToRenderIsEmpty() {
        #expect(PrometheusExposition(format: .text, includesRecorderStatistics: false).render([]) == "")
        #expect(PrometheusExposition(format: .openMetrics, includesRecorderStatistics: false).render([]) == "# EOF\n")
        #expect(PrometheusExposition(format: .text).render([]) == "")
    }

    @Test func concurrentRendersOfChangingLayoutsAreExact() async throws {
        let exposition = PrometheusExposition()
        let layouts: [[RecorderSnapshot]] = [
            [try Fixtures.documentStorage()], [try Fixtures.tcpStream()],
            [try Fixtures.documentStorage(), try Fixtures.hostile()],
        ]
        let expected = layouts.map { fresh(.text, $0) }
        let results = await withTaskGroup(of: (Int, String).self) { group in
            for round in 0..<120 {
                // Neighbouring tasks render different layouts, so the cache
                // is replaced while other tasks read it.
                let index = round % layouts.count
                group.addTask { (index, exposition.render(layouts[index])) }
            }
            var results: [(Int, String)] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(results.count == 120)
        for (index, text) in results { #expect(text == expected[index]) }
    }
}
