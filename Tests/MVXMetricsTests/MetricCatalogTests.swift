import Foundation
import MVXMetrics
import Testing

/// The catalog: what a recorder measures, as JSON and Markdown, read from
/// its registrations alone.
@Suite struct MetricCatalogTests {
    /// Save attempts by outcome, routes (free-form, capped), read refusals
    /// by case, a temperature gauge and a save duration distribution.
    private func recorder() throws -> InlineMetricsRecorder {
        let recorder = InlineMetricsRecorder(entityID: "storage", commonLabels: ["service": "docs"])
        try recorder.register(
            OutcomeMetric(
                "test_storage.save.attempts", help: "Save attempts.", of: SaveAttempt.self, outcome: \.outcome))
        try recorder.register(
            try LabelCountMetric("test_http.route.hits", of: RouteHit.self, label: "route", cap: 2, value: \.route))
        try recorder.register(
            CaseCountMetric(
                "test_storage.read.refusals", help: "Refused reads | by reason.", of: ReadAttempt.self,
                dimension: "refused_total", label: "reason", value: \.outcome))
        try recorder.register(LastValueMetric("test_sensor.temperature", of: Temperature.self, value: \.celsius))
        try recorder.register(
            try DistributionMetric(
                "test_storage.save.duration", of: SaveAttempt.self, dimension: "duration",
                buckets: try HistogramBuckets([0.01, 0.1]), value: \.duration))
        return recorder
    }

    @Test func theJSONIsTheDocumentedStableForm() throws {
        let json = String(decoding: try recorder().catalog().jsonData(), as: UTF8.self)
        let expected = #"""
            {"recorders":[{"common_labels":{"service":"docs"},"entity_id":"storage","metrics":[\#
            {"dimensions":[{"kind":"counter","labels":[{"free_form":true,"name":"route"}],"name":"total"}],\#
            "name":"test_http.route.hits","naming":"metricAndDimension"},\#
            {"dimensions":[{"kind":"gauge","labels":[],"name":"value"}],"name":"test_sensor.temperature",\#
            "naming":"metricAndDimension"},\#
            {"dimensions":[{"kind":"counter","labels":[{"name":"reason","values":["success","failure","too_large"]}],\#
            "name":"refused_total"}],"help":"Refused reads | by reason.","name":"test_storage.read.refusals",\#
            "naming":"metricAndDimension"},\#
            {"dimensions":[{"kind":"counter","labels":[],"name":"total","parts":{"label":"outcome",\#
            "values":["success","failure","too_large"]}},\#
            {"kind":"counter","labels":[],"name":"success_total","part_of":{"label":"outcome","value":"success",\#
            "whole":"total"}},\#
            {"kind":"counter","labels":[],"name":"failure_total","part_of":{"label":"outcome","value":"failure",\#
            "whole":"total"}},\#
            {"kind":"counter","labels":[],"name":"too_large_total","part_of":{"label":"outcome","value":"too_large",\#
            "whole":"total"}}],"help":"Save attempts.","name":"test_storage.save.attempts",\#
            "naming":"metricAndDimension"},\#
            {"dimensions":[{"kind":"distribution","labels":[],"name":"duration","unit":"seconds"}],\#
            "name":"test_storage.save.duration","naming":"metricAndDimension"}]}]}
            """#
        #expect(json == expected)
    }

    @Test func theMarkdownHasATablePerMetric() throws {
        let markdown = try recorder().catalog().markdown
        let expected = """
            # Metric catalog

            ## Recorder `storage`

            Common labels: `service="docs"`.

            ### `test_http.route.hits`

            | Dimension | Kind | Unit | Labels | Part of |
            | --- | --- | --- | --- | --- |
            | `total` | counter |  | `route`: free-form, capped (beyond the cap: `_overflow`) |  |

            ### `test_sensor.temperature`

            | Dimension | Kind | Unit | Labels | Part of |
            | --- | --- | --- | --- | --- |
            | `value` | gauge |  |  |  |

            ### `test_storage.read.refusals`

            Refused reads \\| by reason.

            | Dimension | Kind | Unit | Labels | Part of |
            | --- | --- | --- | --- | --- |
            | `refused_total` | counter |  | `reason`: `success`, `failure`, `too_large` |  |

            ### `test_storage.save.attempts`

            Save attempts.

            | Dimension | Kind | Unit | Labels | Part of |
            | --- | --- | --- | --- | --- |
            | `total` | counter |  | `outcome`: `success`, `failure`, `too_large` (its parts) |  |
            | `success_total` | counter |  |  | `total`, `outcome="success"` |
            | `failure_total` | counter |  |  | `total`, `outcome="failure"` |
            | `too_large_total` | counter |  |  | `total`, `outcome="too_large"` |

            ### `test_storage.save.duration`

            | Dimension | Kind | Unit | Labels | Part of |
            | --- | --- | --- | --- | --- |
            | `duration` | distribution | `seconds` |  |  |

            """
        #expect(markdown == expected)
    }

    /// Recording changes the values, never the catalog: a free-form label
    /// stays free-form whatever values it saw, and every case was there
    /// before the first event.
    @Test func aSplitMetricListsEveryCaseAndItsCappedLabelAsFreeForm() throws {
        let recorder = InlineMetricsRecorder(entityID: "storage")
        try recorder.register(
            DistributionMetric(
                "test_storage.save.duration", of: SaveAttempt.self, buckets: .durations, value: \.duration
            )
            .split(by: \.outcome, label: "outcome")
            .split(by: { $0.size.bytes > 1000 ? "large" : "small" }, label: "size", cap: 4))
        recorder.record(SaveAttempt(outcome: .failure, size: 20))
        let entry = try #require(recorder.catalog().recorders.first?.metrics.first?["distribution"])
        #expect(entry.kind == .distribution)
        #expect(
            entry.labels == [
                MetricCatalog.Label(name: "outcome", values: ["success", "failure", "too_large"]),
                MetricCatalog.Label(name: "size", values: nil),
            ])
    }

    @Test func eventsDoNotChangeTheCatalog() throws {
        let recorder = try recorder()
        let before = recorder.catalog()
        for route in ["/a", "/b", "/c", "/d"] { recorder.record(RouteHit(route: route)) }
        recorder.record(SaveAttempt(outcome: .failure, duration: .milliseconds(5)))
        recorder.record(ReadAttempt(outcome: .tooLarge))
        recorder.record(Temperature(celsius: 21.5))
        #expect(recorder.catalog() == before)
        #expect(before.recorders[0]["test_http.route.hits"]?["total"]?[label: "route"]?.isFreeForm == true)
        #expect(
            before.recorders[0]["test_storage.read.refusals"]?["refused_total"]?[label: "reason"]?.values
                == SaveOutcome.allCases.map(\.metricLabel))
    }

    private func runtime() throws -> (MetricsRuntime, [QueuedMetricsRecorder]) {
        let runtime = MetricsRuntime()
        let tcp = try runtime.makeRecorder(entityID: "tcp")
        let disk = try runtime.makeRecorder(entityID: "disk")
        try tcp.register(saveAttempts())
        try disk.register(LastValueMetric("test_sensor.temperature", of: Temperature.self, value: \.celsius))
        return (runtime, [tcp, disk])
    }

    @Test func theRuntimeListsEveryRecorderByEntityID() throws {
        let (runtime, recorders) = try runtime()
        let catalog = runtime.catalog()
        #expect(catalog.recorders.map(\.entityID) == ["disk", "tcp"])
        #expect(
            catalog.recorders.map { $0.metrics.map(\.name) } == [
                ["test_sensor.temperature"], ["test_storage.save.attempts"],
            ])
        #expect(catalog == MetricCatalog(recorders.map { $0.snapshot() }))
        #expect(catalog.recorders[1] == recorders[0].catalog().recorders[0])
        runtime.shutdown()
    }

    @Test func theRuntimesAsyncCatalogIsTheSame() async throws {
        let (runtime, _) = try runtime()
        let catalog = await runtime.catalog()
        #expect(catalog == MetricCatalog(await runtime.snapshot()))
        #expect(catalog.recorders.map(\.entityID) == ["disk", "tcp"])
        await runtime.shutdown()
    }

    @Test func aCatalogRoundTripsThroughJSON() throws {
        let catalog = try recorder().catalog()
        let decoded = try MetricsJSON.decoder().decode(MetricCatalog.self, from: catalog.jsonData(prettyPrinted: true))
        #expect(decoded == catalog)
    }

    @Test func aLabelEntryWithNeitherValuesNorFreeFormIsRefused() {
        #expect(throws: DecodingError.self) {
            try MetricsJSON.decoder().decode(MetricCatalog.Label.self, from: Data(#"{"name":"route"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try MetricsJSON.decoder().decode(
                MetricCatalog.Label.self, from: Data(#"{"free_form":false,"name":"route"}"#.utf8))
        }
    }

    @Test func emptyCatalogsSaySo() throws {
        #expect(MetricCatalog([]).markdown == "# Metric catalog\n\nNo recorders.\n")
        #expect(String(decoding: try MetricCatalog([]).jsonData(), as: UTF8.self) == #"{"recorders":[]}"#)
        let empty = InlineMetricsRecorder(entityID: "empty")
        #expect(empty.catalog().markdown == "# Metric catalog\n\n## Recorder `empty`\n\nNo metrics registered.\n")
    }

    /// Series built by hand: labels and parts a standard metric never makes,
    /// and text that would break Markdown.
    @Test func handMadeSnapshotsAreCatalogedAsTheyAre() throws {
        let snapshot = RecorderSnapshot(
            entityID: "odd`one", takenAt: Date(timeIntervalSince1970: 0),
            metrics: [
                MetricSnapshot(
                    name: "z.last", help: "Line one\nline *two* <b>",
                    dimensions: [
                        MetricDimension("hits", labels: ["method": "GET", "code": "200"], value: .counter(1)),
                        MetricDimension("hits", labels: ["method": "PUT", "code": "200"], value: .counter(1)),
                        MetricDimension("hits", labels: ["method": "GET", "code": "500"], value: .counter(1)),
                        MetricDimension("busy", unit: .seconds, value: .sum(0.5)),
                        MetricDimension("busy", unit: .seconds, value: .gauge(1)),
                    ], naming: .dimension),
                MetricSnapshot(name: "a.first", dimensions: []),
            ], statistics: RecorderStatistics())
        let recorder = MetricCatalog(snapshot).recorders[0]
        #expect(recorder.metrics.map(\.name) == ["a.first", "z.last"])
        let hits = try #require(recorder["z.last"]?["hits"])
        #expect(
            hits.labels == [
                MetricCatalog.Label(name: "code", values: ["200", "500"]),
                MetricCatalog.Label(name: "method", values: ["GET", "PUT"]),
            ])
        // The same name with two kinds is two entries.
        #expect(recorder["z.last"]?.dimensions.map(\.kind) == [.counter, .sum, .gauge])
        let markdown = MetricCatalog(snapshot).markdown
        #expect(markdown.contains("## Recorder `` odd`one ``\n"))
        #expect(markdown.contains("\nLine one line \\*two\\* \\<b\\>\n"))
        #expect(markdown.contains("\nExporters name its dimensions alone, not after the metric.\n"))
        #expect(markdown.contains("| `hits` | counter |  | `code`: `200`, `500`; `method`: `GET`, `PUT` |  |\n"))
        #expect(
            markdown.contains(
                "### `a.first`\n\n| Dimension | Kind | Unit | Labels | Part of |\n| --- | --- | --- | --- | --- |\n\n"))
    }

    /// Names are code spans that show their text exactly, whatever it holds.
    @Test(arguments: [
        ("plain", "`plain`"), ("a`b", "`` a`b ``"), ("``", "``` `` ```"), ("a|b", "`a\\|b`"), ("", "` `"),
        ("two\nlines", "`two lines`"), (" padded ", "`  padded  `"),
    ])
    func namesAreCodeSpansShowingTheirTextExactly(text: String, span: String) {
        let catalog = MetricCatalog(recorders: [MetricCatalog.Recorder(entityID: text, metrics: [])])
        #expect(catalog.markdown.contains("\n## Recorder \(span)\n"))
    }
}
