import MVXMetricsPrometheus
import MVXMetricsTestKit
import Synchronization
import Testing

@Suite struct PrometheusExpositionTests {
    private func snapshot(entity: String = "storage", _ metrics: [MetricSnapshot]) -> RecorderSnapshot {
        RecorderSnapshot(
            entityID: entity, takenAt: .init(timeIntervalSince1970: 0), metrics: metrics, statistics: .init())
    }

    private let smallSnapshot = RecorderSnapshot(
        entityID: "storage", takenAt: .init(timeIntervalSince1970: 0),
        metrics: [
            MetricSnapshot(
                name: "document_storage.save.attempts", help: "Save attempts.",
                dimensions: [
                    MetricDimension("total", value: .counter(3)),
                    MetricDimension("refused_total", labels: ["reason": "tls"], value: .counter(1)),
                ]),
            MetricSnapshot(
                name: "document_storage.save.duration", help: nil,
                dimensions: [
                    MetricDimension(
                        "distribution", unit: .seconds,
                        value: .distribution(
                            DistributionSnapshot(
                                count: 3, sum: 0.75, min: 0.05, max: 0.5,
                                buckets: [
                                    .init(upperBound: 0.1, cumulativeCount: 1),
                                    .init(upperBound: 1, cumulativeCount: 3),
                                ],
                                quantiles: [])))
                ]),
            MetricSnapshot(
                name: "queue.depth", help: "Depth.", dimensions: [MetricDimension("value", value: .gauge(2.5))]),
            MetricSnapshot(
                name: "busy.time", help: "Busy.",
                dimensions: [MetricDimension("total", unit: .seconds, value: .sum(1.25))]),
        ],
        statistics: .init())

    @Test func textFormatIsExact() {
        let text = PrometheusExposition(format: .text, includesRecorderStatistics: false).render(smallSnapshot)
        #expect(
            text == """
                # HELP busy_time_seconds_total Busy.
                # TYPE busy_time_seconds_total counter
                busy_time_seconds_total{entity_id="storage"} 1.25
                # HELP document_storage_save_attempts_refused_total Save attempts.
                # TYPE document_storage_save_attempts_refused_total counter
                document_storage_save_attempts_refused_total{entity_id="storage",reason="tls"} 1
                # HELP document_storage_save_attempts_total Save attempts.
                # TYPE document_storage_save_attempts_total counter
                document_storage_save_attempts_total{entity_id="storage"} 3
                # HELP document_storage_save_duration_seconds document_storage.save.duration distribution
                # TYPE document_storage_save_duration_seconds histogram
                document_storage_save_duration_seconds_bucket{entity_id="storage",le="0.1"} 1
                document_storage_save_duration_seconds_bucket{entity_id="storage",le="1"} 3
                document_storage_save_duration_seconds_bucket{entity_id="storage",le="+Inf"} 3
                document_storage_save_duration_seconds_sum{entity_id="storage"} 0.75
                document_storage_save_duration_seconds_count{entity_id="storage"} 3
                # HELP queue_depth Depth.
                # TYPE queue_depth gauge
                queue_depth{entity_id="storage"} 2.5

                """)
    }

    @Test func openMetricsFormatIsExact() {
        let text = PrometheusExposition(format: .openMetrics, includesRecorderStatistics: false).render(smallSnapshot)
        #expect(
            text == """
                # HELP busy_time_seconds Busy.
                # TYPE busy_time_seconds counter
                # UNIT busy_time_seconds seconds
                busy_time_seconds_total{entity_id="storage"} 1.25
                busy_time_seconds_created{entity_id="storage"} 0.000
                # HELP document_storage_save_attempts_refused Save attempts.
                # TYPE document_storage_save_attempts_refused counter
                document_storage_save_attempts_refused_total{entity_id="storage",reason="tls"} 1
                document_storage_save_attempts_refused_created{entity_id="storage",reason="tls"} 0.000
                # HELP document_storage_save_attempts Save attempts.
                # TYPE document_storage_save_attempts counter
                document_storage_save_attempts_total{entity_id="storage"} 3
                document_storage_save_attempts_created{entity_id="storage"} 0.000
                # HELP document_storage_save_duration_seconds document_storage.save.duration distribution
                # TYPE document_storage_save_duration_seconds histogram
                # UNIT document_storage_save_duration_seconds seconds
                document_storage_save_duration_seconds_bucket{entity_id="storage",le="0.1"} 1
                document_storage_save_duration_seconds_bucket{entity_id="storage",le="1"} 3
                document_storage_save_duration_seconds_bucket{entity_id="storage",le="+Inf"} 3
                document_storage_save_duration_seconds_sum{entity_id="storage"} 0.75
                document_storage_save_duration_seconds_count{entity_id="storage"} 3
                document_storage_save_duration_seconds_created{entity_id="storage"} 0.000
                # HELP queue_depth Depth.
                # TYPE queue_depth gauge
                queue_depth{entity_id="storage"} 2.5
                # EOF

                """)
    }

    /// An outcome metric is one family labelled `outcome`, without its
    /// whole beside the parts (that would double every `sum()`); a case
    /// counter of the same metric keeps its own family.
    @Test(arguments: PrometheusFormat.all)
    func partsAreOneLabelledFamilyAndTheWholeIsLeftOut(format: PrometheusFormat) throws {
        enum Outcome: MetricCase { case success, failure, tooLarge }
        var attempts = OutcomeCounts<Outcome>()
        attempts.record(.success)
        attempts.record(.success)
        attempts.record(.tooLarge)
        var refusals = CaseCounts<Outcome>(dimension: "failure_total", label: "reason")
        refusals.record(.tooLarge)
        let attemptsSnapshot = snapshot([
            MetricSnapshot(
                name: "orders.place.attempts", help: "Attempts.", dimensions: attempts.dimensions + refusals.dimensions)
        ])
        let text = PrometheusExposition(
            format: format, includesRecorderStatistics: false, includesCreatedSamples: false
        )
        .render(attemptsSnapshot)
        let family = format == .text ? "orders_place_attempts_total" : "orders_place_attempts"
        let refusalFamily = format == .text ? "orders_place_attempts_failure_total" : "orders_place_attempts_failure"
        #expect(
            text == """
                # HELP \(refusalFamily) Attempts.
                # TYPE \(refusalFamily) counter
                orders_place_attempts_failure_total{entity_id="storage",reason="failure"} 0
                orders_place_attempts_failure_total{entity_id="storage",reason="success"} 0
                orders_place_attempts_failure_total{entity_id="storage",reason="too_large"} 1
                # HELP \(family) Attempts.
                # TYPE \(family) counter
                orders_place_attempts_total{entity_id="storage",outcome="failure"} 0
                orders_place_attempts_total{entity_id="storage",outcome="success"} 2
                orders_place_attempts_total{entity_id="storage",outcome="too_large"} 1

                """ + (format == .openMetrics ? "# EOF\n" : ""))
        // The snapshot keeps the whole and the part names.
        #expect(attemptsSnapshot.metrics[0].value("total") == 3)
        #expect(attemptsSnapshot.metrics[0].value("too_large_total") == 1)
    }

    /// A part's label named like the entity label, or `le` in a histogram,
    /// is numbered as any dimension label would be.
    @Test func aPartsLabelFollowsTheLabelRules() {
        let distribution = DistributionSnapshot(
            count: 1, sum: 0.5, min: 0.5, max: 0.5, buckets: [.init(upperBound: 1, cumulativeCount: 1)],
            quantiles: [])
        let text = PrometheusExposition(includesRecorderStatistics: false).render(
            snapshot([
                MetricSnapshot(
                    name: "x", help: nil,
                    dimensions: [
                        MetricDimension(
                            "fast", unit: .seconds, value: .distribution(distribution),
                            partOf: .init(of: "duration", label: "le", value: "fast")),
                        MetricDimension(
                            "a_total", value: .counter(1), partOf: .init(of: "total", label: "entity_id", value: "a")),
                    ])
            ]))
        #expect(text.contains(#"x_duration_seconds_bucket{entity_id="storage",le_2="fast",le="1"} 1"#))
        #expect(text.contains(#"x_total{entity_id="a"} 1"#))
    }

    /// `name[]` selection: a family is kept when the set names it by family
    /// or sample name, in either format; the layout cache keeps selections
    /// apart.
    @Test func selectedFamiliesAreRenderedAndNoOthers() {
        var exposition = PrometheusExposition(format: .text, includesRecorderStatistics: false)
        let all = exposition.render(smallSnapshot)
        exposition.selectedFamilies = [
            "busy_time_seconds", "document_storage_save_duration_seconds_count", "queue_depth_total", "nothing",
        ]
        #expect(
            exposition.render(smallSnapshot) == """
                # HELP busy_time_seconds_total Busy.
                # TYPE busy_time_seconds_total counter
                busy_time_seconds_total{entity_id="storage"} 1.25
                # HELP document_storage_save_duration_seconds document_storage.save.duration distribution
                # TYPE document_storage_save_duration_seconds histogram
                document_storage_save_duration_seconds_bucket{entity_id="storage",le="0.1"} 1
                document_storage_save_duration_seconds_bucket{entity_id="storage",le="1"} 3
                document_storage_save_duration_seconds_bucket{entity_id="storage",le="+Inf"} 3
                document_storage_save_duration_seconds_sum{entity_id="storage"} 0.75
                document_storage_save_duration_seconds_count{entity_id="storage"} 3

                """)
        exposition.selectedFamilies = ["queue_depth"]
        #expect(
            exposition.render(smallSnapshot)
                == "# HELP queue_depth Depth.\n# TYPE queue_depth gauge\nqueue_depth{entity_id=\"storage\"} 2.5\n")
        exposition.selectedFamilies = []
        #expect(exposition.render(smallSnapshot) == "")
        exposition.format = .openMetrics
        #expect(exposition.render(smallSnapshot) == "# EOF\n")
        exposition.selectedFamilies = ["document_storage_save_attempts_refused_total"]
        #expect(
            exposition.render(smallSnapshot) == """
                # HELP document_storage_save_attempts_refused Save attempts.
                # TYPE document_storage_save_attempts_refused counter
                document_storage_save_attempts_refused_total{entity_id="storage",reason="tls"} 1
                document_storage_save_attempts_refused_created{entity_id="storage",reason="tls"} 0.000
                # EOF

                """)
        exposition.format = .text
        exposition.selectedFamilies = nil
        #expect(exposition.render(smallSnapshot) == all)
    }

    @Test func labelValuesAndHelpAreEscaped() {
        let snapshot = snapshot(
            entity: #"a "b" \c"#,
            [
                MetricSnapshot(
                    name: "x.y", help: "Line one\nback\\slash \"quoted\"",
                    dimensions: [MetricDimension("total", labels: ["v": "q\"b\\n\nü"], value: .counter(1))])
            ])
        let text = PrometheusExposition(format: .text, includesRecorderStatistics: false).render(snapshot)
        #expect(text.contains(#"# HELP x_y_total Line one\nback\\slash "quoted""#))
        #expect(text.contains(#"x_y_total{entity_id="a \"b\" \\c",v="q\"b\\n\nü"} 1"#))
        let openMetrics = PrometheusExposition(format: .openMetrics, includesRecorderStatistics: false).render(snapshot)
        #expect(openMetrics.contains(#"# HELP x_y Line one\nback\\slash \"quoted\""#))
    }

    @Test func invalidNamesAreSanitizedDeterministically() {
        #expect(PrometheusNaming.sanitizedMetricName("9weird-name:é") == "_9weird_name__")
        #expect(PrometheusNaming.sanitizedLabelName("__reserved") == "_reserved")
        #expect(PrometheusNaming.sanitizedLabelName("0bad-label") == "_0bad_label")
        #expect(
            PrometheusNaming.baseName(metric: "a.b", dimension: "success_total", unit: nil, isCounter: true)
                == "a_b_success")
        #expect(
            PrometheusNaming.baseName(metric: "a.bytes", dimension: "total", unit: "bytes", isCounter: true)
                == "a_bytes")
        #expect(
            PrometheusNaming.baseName(metric: "a.size", dimension: "total", unit: "bytes", isCounter: true)
                == "a_size_bytes")
        #expect(
            PrometheusNaming.baseName(metric: "a.b", dimension: "value", unit: "celsius", isCounter: false)
                == "a_b_celsius")
    }

    @Test func collidingFamiliesAreNumberedNotMerged() {
        // `a.b` + `c_total` and `a.b_c` + `total` both map to `a_b_c_total`;
        // a gauge `a.b_c` would clash with the counter's OpenMetrics family.
        let snapshot = snapshot([
            MetricSnapshot(name: "a.b", dimensions: [MetricDimension("c_total", value: .counter(1))]),
            MetricSnapshot(name: "a.b_c", dimensions: [MetricDimension("total", value: .counter(2))]),
            MetricSnapshot(name: "a.b_c.g", dimensions: [MetricDimension("value", value: .gauge(3))]),
            MetricSnapshot(name: "a.b_c_total", dimensions: [MetricDimension("value", value: .gauge(4))]),
        ])
        let text = PrometheusExposition(includesRecorderStatistics: false).render(snapshot)
        #expect(text.contains(#"a_b_c_total{entity_id="storage"} 1"#))
        #expect(text.contains(#"a_b_c_2_total{entity_id="storage"} 2"#))
        #expect(text.contains(#"a_b_c_g{entity_id="storage"} 3"#))
        #expect(text.contains(#"a_b_c_total_2{entity_id="storage"} 4"#))
    }

    @Test func dimensionsNamedAloneBecomeFamiliesOfTheirOwnName() {
        // The shape of the swift-metrics bridge: a metric that only groups
        // instruments, each a dimension named after its instrument.
        let timer = DistributionSnapshot(
            count: 2, sum: 0.3, min: 0.1, max: 0.2, buckets: [.init(upperBound: 0.5, cumulativeCount: 2)],
            quantiles: [])
        let snapshot = snapshot(
            entity: "http",
            [
                MetricSnapshot(
                    name: "swift_metrics.counters", help: "Counters.",
                    dimensions: [
                        MetricDimension("hb_requests", labels: ["http_route": "/a"], value: .counter(3)),
                        MetricDimension("value", value: .counter(1)),
                    ], naming: .dimension),
                MetricSnapshot(
                    name: "swift_metrics.timers", help: "Timers.",
                    dimensions: [
                        MetricDimension(
                            "http_server_request_duration", labels: ["http_route": "/a"], unit: .seconds,
                            value: .distribution(timer))
                    ], naming: .dimension),
                // A qualified family of the same name is numbered, not merged.
                MetricSnapshot(name: "hb.requests", dimensions: [MetricDimension("total", value: .counter(7))]),
            ])
        let text = PrometheusExposition(format: .text, includesRecorderStatistics: false).render(snapshot)
        #expect(
            text == """
                # HELP hb_requests_2_total hb.requests total
                # TYPE hb_requests_2_total counter
                hb_requests_2_total{entity_id="http"} 7
                # HELP hb_requests_total Counters.
                # TYPE hb_requests_total counter
                hb_requests_total{entity_id="http",http_route="/a"} 3
                # HELP http_server_request_duration_seconds Timers.
                # TYPE http_server_request_duration_seconds histogram
                http_server_request_duration_seconds_bucket{entity_id="http",http_route="/a",le="0.5"} 2
                http_server_request_duration_seconds_bucket{entity_id="http",http_route="/a",le="+Inf"} 2
                http_server_request_duration_seconds_sum{entity_id="http",http_route="/a"} 0.3
                http_server_request_duration_seconds_count{entity_id="http",http_route="/a"} 2
                # HELP value_total Counters.
                # TYPE value_total counter
                value_total{entity_id="http"} 1

                """)
        #expect(
            PrometheusNaming.baseName(dimension: "http_server_request_duration", unit: "seconds", isCounter: false)
                == "http_server_request_duration_seconds")
        #expect(PrometheusNaming.baseName(dimension: "hb_requests_total", unit: nil, isCounter: true) == "hb_requests")
    }

    @Test func recordersMergeIntoOneFamilyPerName() {
        let metric = MetricSnapshot(name: "x.hits", dimensions: [MetricDimension("total", value: .counter(1))])
        let text = PrometheusExposition(includesRecorderStatistics: true).render([
            snapshot(entity: "b", [metric]), snapshot(entity: "a", [metric]),
        ])
        #expect(text.components(separatedBy: "# TYPE x_hits_total counter").count == 2)
        #expect(text.contains("x_hits_total{entity_id=\"a\"} 1\nx_hits_total{entity_id=\"b\"} 1\n"))
        #expect(text.components(separatedBy: "# TYPE mvx_recorder_events_accepted_total counter").count == 2)
    }

    @Test func aDimensionLabelNamedLikeTheEntityLabelWins() {
        let text = PrometheusExposition(entityLabel: "entity", includesRecorderStatistics: false).render(
            snapshot([
                MetricSnapshot(
                    name: "x.hits",
                    dimensions: [MetricDimension("total", labels: ["entity": "mine"], value: .counter(1))])
            ]))
        #expect(text.contains(#"x_hits_total{entity="mine"} 1"#))
    }

    @Test func anUnsetGaugeHasItsFamilyButNoSampleUntilItIsSet() {
        var exposition = PrometheusExposition(includesRecorderStatistics: false)
        let stock = { (value: Double?) in
            self.snapshot([
                MetricSnapshot(
                    name: "shop.stock", help: "Items.", dimensions: [MetricDimension("value", value: .gauge(value))])
            ])
        }
        let header = "# HELP shop_stock Items.\n# TYPE shop_stock gauge\n"
        #expect(exposition.render(stock(nil)) == header)
        // The cached layout of the unset gauge must not be reused once it is set, nor the other way round.
        #expect(exposition.render(stock(2700)) == header + #"shop_stock{entity_id="storage"} 2700"# + "\n")
        #expect(exposition.render(stock(nil)) == header)
        exposition.format = .openMetrics
        #expect(exposition.render(stock(nil)) == header + "# EOF\n")
    }

    @Test func observedMetricsAreScrapedWithTheirReadingOfTheMoment() throws {
        let depth = Mutex(17)
        let recorder = InlineMetricsRecorder(entityID: "worker")
        try recorder.register(ObservedMetric.gauge("jobs.queue.depth", help: "Jobs waiting.") { depth.withLock { $0 } })
        try recorder.register(ObservedMetric.counter("jobs.written", help: "Bytes written.") { ByteCount(4096) })
        let exposition = PrometheusExposition(includesRecorderStatistics: false)
        let text = { exposition.render([recorder.snapshot()]) }
        let expected = { (value: Int) in
            """
            # HELP jobs_queue_depth Jobs waiting.
            # TYPE jobs_queue_depth gauge
            jobs_queue_depth{entity_id="worker"} \(value)
            # HELP jobs_written_bytes_total Bytes written.
            # TYPE jobs_written_bytes_total counter
            jobs_written_bytes_total{entity_id="worker"} 4096

            """
        }
        #expect(text() == expected(17))
        depth.withLock { $0 = 3 }
        #expect(text() == expected(3))
    }

    @Test func numbersAreWrittenAsPrometheusReadsThem() {
        let values: [(Double, String)] = [
            (0, "0"), (-3, "-3"), (2.5, "2.5"), (0.1, "0.1"), (1e-7, "1e-07"), (1e20, "1e+20"), (.nan, "NaN"),
            (.infinity, "+Inf"), (-.infinity, "-Inf"),
        ]
        for (value, expected) in values {
            let text = PrometheusExposition(includesRecorderStatistics: false).render(
                snapshot([MetricSnapshot(name: "x.v", dimensions: [MetricDimension("value", value: .gauge(value))])]))
            #expect(text.hasSuffix(#"x_v{entity_id="storage"} \#(expected)"# + "\n"), "\(value)")
        }
    }

    @Test func contentNegotiationFollowsQualityValues() {
        func format(_ accept: String?) -> PrometheusFormat { PrometheusExposition().negotiated(accept: accept).format }
        #expect(format(nil) == .text)
        #expect(format("") == .text)
        #expect(format("text/plain") == .text)
        #expect(format("application/openmetrics-text") == .openMetrics)
        // What Prometheus 2.42 sends.
        #expect(
            format(
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
            ) == .openMetrics)
        #expect(format("application/openmetrics-text;q=0.2, text/plain;q=0.9") == .text)
        #expect(format("application/openmetrics-text;q=0") == .text)
        #expect(format("application/json") == .text)
    }

    @Test func contentTypeSaysTheFormatAndTheNameEscaping() {
        func contentType(_ accept: String?) -> String { PrometheusExposition().negotiated(accept: accept).contentType }
        #expect(contentType(nil) == "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
        #expect(
            contentType("application/openmetrics-text")
                == "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores")
        // What Prometheus 3 sends with UTF-8 names allowed (its default).
        let prometheus3 =
            "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1"
        #expect(
            contentType(prometheus3)
                == "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8")
        #expect(
            contentType("text/plain;version=1.0.0;escaping=allow-utf-8")
                == "text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8")
        // Escapings other than UTF-8 get underscores, and say so.
        for scheme in ["underscores", "dots", "values", "nonsense"] {
            #expect(
                contentType("text/plain;version=1.0.0;escaping=\(scheme)")
                    == "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
        }
        // The escaping of the range chosen, not of another one.
        #expect(
            contentType("application/openmetrics-text;escaping=allow-utf-8;q=0.1,text/plain;q=0.9")
                == "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
    }

    @Test func renderingIsDeterministic() throws {
        let snapshots = [try Fixtures.documentStorage(), try Fixtures.tcpStream(), try Fixtures.hostile()]
        let first = PrometheusExposition().render(snapshots)
        #expect(PrometheusExposition().render(snapshots.reversed()) == first)
        #expect(!first.isEmpty)
    }
}
