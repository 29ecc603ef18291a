import Foundation
import MVXMetricsPrometheus
import MVXMetricsTestKit
import Testing

/// The conventions beyond the bare mapping: common labels on every series,
/// OpenMetrics `_created` samples, and UTF-8 names when a scraper asks.
@Suite struct ExpositionConventionsTests {
    private static func snapshot(
        startedAt: Date = Date(timeIntervalSince1970: 1_764_750_000.123), commonLabels: [String: String] = [:],
        _ metrics: [MetricSnapshot]
    ) -> RecorderSnapshot {
        RecorderSnapshot(
            entityID: "api", startedAt: startedAt, takenAt: Date(timeIntervalSince1970: 1_764_750_060),
            commonLabels: commonLabels, metrics: metrics, statistics: .init())
    }

    private static let requests = MetricSnapshot(
        name: "http.requests", help: "Requests.",
        dimensions: [MetricDimension("total", labels: ["status.code": "200"], value: .counter(7))])

    /// One observation of half a second, under a bound of one.
    private static let duration = MetricSnapshot(
        name: "save.duration", help: "Saves.",
        dimensions: [
            MetricDimension(
                "distribution", unit: .seconds,
                value: .distribution(
                    DistributionSnapshot(
                        count: 1, sum: 0.5, min: 0.5, max: 0.5, buckets: [.init(upperBound: 1, cumulativeCount: 1)],
                        quantiles: [])))
        ])

    @Test func commonLabelsAreOnEverySeriesAndYieldToTheSeriesOwn() {
        let snapshot = Self.snapshot(
            commonLabels: ["service": "orders", "deployment.environment": "prod", "entity_id": "hidden", "route": "x"],
            [
                MetricSnapshot(
                    name: "http.requests", help: "Requests.",
                    dimensions: [MetricDimension("total", labels: ["route": "/a"], value: .counter(7))]),
                MetricSnapshot(
                    name: "queue.depth", help: "Depth.", dimensions: [MetricDimension("value", value: .gauge(2))]),
            ])
        let text = PrometheusExposition(includesRecorderStatistics: false).render(snapshot)
        #expect(
            text == """
                # HELP http_requests_total Requests.
                # TYPE http_requests_total counter
                http_requests_total{deployment_environment="prod",entity_id="api",route="/a",service="orders"} 7
                # HELP queue_depth Depth.
                # TYPE queue_depth gauge
                queue_depth{deployment_environment="prod",entity_id="api",route="x",service="orders"} 2

                """)
    }

    @Test func changedCommonLabelsAreLaidOutAgain() {
        let exposition = PrometheusExposition(includesRecorderStatistics: false)
        let before = exposition.render(Self.snapshot(commonLabels: ["service": "a"], [Self.requests]))
        let after = exposition.render(Self.snapshot(commonLabels: ["service": "b"], [Self.requests]))
        #expect(before.contains(#"service="a""#))
        #expect(after.contains(#"service="b""#) && !after.contains(#"service="a""#))
    }

    @Test func openMetricsCountersAndHistogramsSayWhenTheirTotalsBegan() {
        let duration = Self.duration
        let gauge = MetricSnapshot(name: "depth", help: "D.", dimensions: [MetricDimension("value", value: .gauge(1))])
        let snapshot = Self.snapshot([duration, gauge, Self.requests])
        let text = PrometheusExposition(format: .openMetrics, includesRecorderStatistics: false).render(snapshot)
        #expect(
            text == """
                # HELP depth D.
                # TYPE depth gauge
                depth{entity_id="api"} 1
                # HELP http_requests Requests.
                # TYPE http_requests counter
                http_requests_total{entity_id="api",status_code="200"} 7
                http_requests_created{entity_id="api",status_code="200"} 1764750000.123
                # HELP save_duration_seconds Saves.
                # TYPE save_duration_seconds histogram
                # UNIT save_duration_seconds seconds
                save_duration_seconds_bucket{entity_id="api",le="1"} 1
                save_duration_seconds_bucket{entity_id="api",le="+Inf"} 1
                save_duration_seconds_sum{entity_id="api"} 0.5
                save_duration_seconds_count{entity_id="api"} 1
                save_duration_seconds_created{entity_id="api"} 1764750000.123
                # EOF

                """)
        // Never in the text format, and not when turned off.
        #expect(!PrometheusExposition(format: .text).render(snapshot).contains("_created"))
        #expect(
            !PrometheusExposition(format: .openMetrics, includesCreatedSamples: false).render(snapshot)
                .contains("_created"))
    }

    @Test func createdFollowsTheRecorderStartWhenTheLayoutStaysTheSame() {
        let exposition = PrometheusExposition(format: .openMetrics, includesRecorderStatistics: false)
        let first = exposition.render(Self.snapshot(startedAt: Date(timeIntervalSince1970: 10), [Self.requests]))
        let second = exposition.render(Self.snapshot(startedAt: Date(timeIntervalSince1970: 20.5), [Self.requests]))
        let beforeEpoch = exposition.render(
            Self.snapshot(startedAt: Date(timeIntervalSince1970: -1.25), [Self.requests]))
        #expect(first.contains(#"http_requests_created{entity_id="api",status_code="200"} 10.000"#))
        #expect(second.contains(#"http_requests_created{entity_id="api",status_code="200"} 20.500"#))
        #expect(beforeEpoch.contains(#"http_requests_created{entity_id="api",status_code="200"} -1.250"#))
    }

    @Test func utf8NamesKeepTheirCharactersAndAreQuoted() {
        let snapshot = Self.snapshot(
            commonLabels: ["service.name": "orders"],
            [
                Self.requests,
                Self.duration,
                MetricSnapshot(
                    name: "plain_gauge", help: "G.", dimensions: [MetricDimension("value", value: .gauge(1))]),
            ])
        let text = PrometheusExposition(nameEscaping: .allowUTF8, includesRecorderStatistics: false).render(snapshot)
        #expect(
            text == """
                # HELP "http.requests_total" Requests.
                # TYPE "http.requests_total" counter
                {"http.requests_total",entity_id="api","service.name"="orders","status.code"="200"} 7
                # HELP plain_gauge G.
                # TYPE plain_gauge gauge
                plain_gauge{entity_id="api","service.name"="orders"} 1
                # HELP "save.duration_seconds" Saves.
                # TYPE "save.duration_seconds" histogram
                {"save.duration_seconds_bucket",entity_id="api","service.name"="orders",le="1"} 1
                {"save.duration_seconds_bucket",entity_id="api","service.name"="orders",le="+Inf"} 1
                {"save.duration_seconds_sum",entity_id="api","service.name"="orders"} 0.5
                {"save.duration_seconds_count",entity_id="api","service.name"="orders"} 1

                """)
        let openMetrics = PrometheusExposition(
            format: .openMetrics, nameEscaping: .allowUTF8, includesRecorderStatistics: false
        ).render(snapshot)
        #expect(openMetrics.contains("# TYPE \"http.requests\" counter\n"))
        #expect(openMetrics.contains("# UNIT \"save.duration_seconds\" seconds\n"))
        #expect(
            openMetrics.contains(
                #"{"http.requests_created",entity_id="api","service.name"="orders","status.code"="200"} 1764750000.123"#
            ))
    }

    @Test func utf8NamesEscapeWhatTheirQuotesCannotHold() {
        let snapshot = Self.snapshot([
            MetricSnapshot(
                name: "odd\"name\\", help: "Odd.",
                dimensions: [MetricDimension("value", labels: ["new\nline": "v", "__reserved": "r"], value: .gauge(1))])
        ])
        let text = PrometheusExposition(nameEscaping: .allowUTF8, includesRecorderStatistics: false).render(snapshot)
        #expect(text.contains(#"{"odd\"name\\",_reserved="r",entity_id="api","new\nline"="v"} 1"#))
    }
}
