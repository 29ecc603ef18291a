import MVXMetricsPrometheus
import MVXMetricsTestKit
import Testing

/// The defects the reliability suite's renderer fuzz pass found, each pinned
/// by the exact output that fixes it.
@Suite struct FuzzFindingsTests {
    private func render(_ metric: MetricSnapshot, _ format: PrometheusFormat) -> String {
        let snapshot = RecorderSnapshot(
            entityID: "e", takenAt: .init(timeIntervalSince1970: 0), metrics: [metric], statistics: .init())
        return PrometheusExposition(format: format, includesRecorderStatistics: false).render(snapshot)
    }

    @Test func labelNamesThatSanitizeAlikeAreToldApartNeverRepeated() {
        let metric = MetricSnapshot(
            name: "a", help: "A.",
            dimensions: [
                MetricDimension("value", labels: ["é": "1", "ü": "2", "_": "3", "__x": "4"], value: .gauge(1))
            ])
        // In byte order of the originals: `_` and `é` both become `_` (the
        // second gets `_2`, not the reserved `__2`), `ü` the next free `_3`.
        #expect(
            render(metric, .text) == """
                # HELP a A.
                # TYPE a gauge
                a{_="3",_2="1",_3="2",_x="4",entity_id="e"} 1

                """)
        #expect(
            PrometheusNaming.distinctLabelNames(["b", "a", "a "]).map(\.sanitized) == ["a", "a_", "b"])
        #expect(PrometheusNaming.distinctLabelNames(["le"], reserved: ["le"]).map(\.sanitized) == ["le_2"])
        #expect(PrometheusNaming.sanitizedLabelName("___x") == "_x")
        #expect(PrometheusNaming.sanitizedLabelName("__") == "_")
    }

    @Test func aHistogramsLabelNamedLeIsRenamed() {
        let distribution = DistributionSnapshot(
            count: 1, sum: 2, min: 2, max: 2, buckets: [.init(upperBound: 5, cumulativeCount: 1)], quantiles: [])
        let metric = MetricSnapshot(
            name: "h", help: "H.",
            dimensions: [MetricDimension("distribution", labels: ["le": "x"], value: .distribution(distribution))])
        #expect(
            render(metric, .text) == """
                # HELP h H.
                # TYPE h histogram
                h_bucket{entity_id="e",le_2="x",le="5"} 1
                h_bucket{entity_id="e",le_2="x",le="+Inf"} 1
                h_sum{entity_id="e",le_2="x"} 2
                h_count{entity_id="e",le_2="x"} 1

                """)
    }

    /// Found by the exposition fuzzer (Fuzz/): an entity label `le` repeated
    /// every bucket's `le`.
    @Test func anEntityLabelNamedLeIsRenamed() {
        let distribution = DistributionSnapshot(
            count: 1, sum: 2, min: 2, max: 2, buckets: [.init(upperBound: 5, cumulativeCount: 1)], quantiles: [])
        let snapshot = RecorderSnapshot(
            entityID: "e", takenAt: .init(timeIntervalSince1970: 0),
            metrics: [
                MetricSnapshot(
                    name: "h", help: "H.",
                    dimensions: [
                        MetricDimension("distribution", value: .distribution(distribution)),
                        MetricDimension("g", labels: ["le": "x"], value: .gauge(1)),
                    ])
            ], statistics: .init())
        #expect(
            PrometheusExposition(format: .text, entityLabel: "le", includesRecorderStatistics: false).render(snapshot)
                == """
                # HELP h H.
                # TYPE h histogram
                h_bucket{le_2="e",le="5"} 1
                h_bucket{le_2="e",le="+Inf"} 1
                h_sum{le_2="e"} 2
                h_count{le_2="e"} 1
                # HELP h_g H.
                # TYPE h_g gauge
                h_g{le="x",le_2="e"} 1

                """)
    }

    /// Found by the exposition fuzzer (Fuzz/): a counter named `_total` lost
    /// its whole name to the `_total` set aside, an empty OpenMetrics family.
    @Test func aCounterNamedTotalKeepsItsName() {
        let metric = MetricSnapshot(
            name: " total", help: "T.", dimensions: [MetricDimension("total", value: .counter(1))])
        #expect(
            render(metric, .openMetrics) == """
                # HELP _total T.
                # TYPE _total counter
                _total_total{entity_id="e"} 1
                _total_created{entity_id="e"} 0.000
                # EOF

                """)
        #expect(render(metric, .text).hasPrefix("# HELP _total_total T.\n# TYPE _total_total counter\n"))
        #expect(PrometheusNaming.baseName(metric: "a.total", dimension: "total", unit: nil, isCounter: true) == "a")
    }

    @Test func openMetricsLeavesOutSumAndCountOfHistogramsWithNegativeValues() {
        let negative = DistributionSnapshot(
            count: 2, sum: -1, min: -3, max: 2, buckets: [.init(upperBound: 0, cumulativeCount: 1)], quantiles: [])
        let negativeBucket = DistributionSnapshot(
            count: 1, sum: 2, min: 2, max: 2, buckets: [.init(upperBound: -1, cumulativeCount: 0)], quantiles: [])
        for distribution in [negative, negativeBucket] {
            let metric = MetricSnapshot(
                name: "h", help: "H.", dimensions: [MetricDimension("distribution", value: .distribution(distribution))]
            )
            let openMetrics = render(metric, .openMetrics)
            #expect(!openMetrics.contains("h_sum") && !openMetrics.contains("h_count"), "\(openMetrics)")
            #expect(openMetrics.contains("h_bucket{entity_id=\"e\",le=\"+Inf\"} \(distribution.count)"))
            // The text format has no such rule: it keeps both.
            #expect(
                render(metric, .text).contains(
                    "h_sum{entity_id=\"e\"} \(PrometheusExposition.formatted(distribution.sum))"))
        }
    }

    @Test func blankHelpIsReplacedByTheOrigin() {
        for help in ["", " ", "\t"] {
            #expect(
                render(
                    MetricSnapshot(name: "a.b", help: help, dimensions: [MetricDimension("value", value: .gauge(1))]),
                    .text
                )
                .hasPrefix("# HELP a_b a.b value\n"))
        }
        // Blank names too: the family's sanitized name is the help of last resort.
        #expect(
            render(MetricSnapshot(name: " ", help: nil, dimensions: [MetricDimension(" ", value: .gauge(1))]), .text)
                .hasPrefix("# HELP ___ ___\n"))
    }
}
