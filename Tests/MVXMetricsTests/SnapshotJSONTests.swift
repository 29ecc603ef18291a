import Foundation
import MVXMetrics
import MVXMetricsTestSupport
import Testing

@Suite(.onAThreadOfItsOwn) struct SnapshotJSONTests {
    private func fixedSnapshot() throws -> RecorderSnapshot {
        var distribution = try Distribution<Duration>(dimension: "seconds", buckets: try HistogramBuckets([0.01, 0.1]))
        distribution.record(.milliseconds(5))
        distribution.record(.milliseconds(50))
        return RecorderSnapshot(
            entityID: "storage",
            startedAt: Date(timeIntervalSince1970: 1_795_693_202.5174),
            takenAt: Date(timeIntervalSince1970: 1_795_693_662.0807),
            metrics: [
                MetricSnapshot(
                    name: "a.metric", help: "Help with \"quotes\".",
                    dimensions: [
                        MetricDimension("total", value: .counter(3)),
                        MetricDimension("refused_total", labels: ["reason": "tls"], value: .counter(1)),
                        MetricDimension("level", unit: .bytes, value: .gauge(-2.5)),
                        MetricDimension("busy", unit: .seconds, value: .sum(0.25)),
                    ]),
                MetricSnapshot(name: "b.metric", dimensions: distribution.dimensions),
            ],
            statistics: RecorderStatistics(accepted: 5, processed: 4, ignored: 1, pending: 1))
    }

    @Test func encodingIsTheDocumentedStableForm() throws {
        let json = String(decoding: try fixedSnapshot().jsonData(), as: UTF8.self)
        #expect(
            json == #"""
                {"entity_id":"storage","metrics":[{"dimensions":[{"name":"total","type":"counter","value":3},{"labels":{"reason":"tls"},"name":"refused_total","type":"counter","value":1},{"name":"level","type":"gauge","unit":"bytes","value":-2.5},{"name":"busy","type":"sum","unit":"seconds","value":0.25}],"help":"Help with \"quotes\".","name":"a.metric"},{"dimensions":[{"name":"seconds","type":"distribution","unit":"seconds","value":{"buckets":[{"count":1,"le":0.01},{"count":2,"le":0.1}],"count":2,"max":0.05,"min":0.005,"quantiles":[{"quantile":0.5,"value":0.005},{"quantile":0.9,"value":0.05},{"quantile":0.99,"value":0.05}],"sum":0.055}}],"name":"b.metric"}],"started_at":"2026-11-26T11:40:02.517Z","statistics":{"accepted":5,"dropped":0,"dropped_by_event_type":{},"handler_failures":0,"hook_failures":0,"ignored":1,"pending":1,"processed":4,"rejected_values":0},"taken_at":"2026-11-26T11:47:42.080Z"}
                """#)
    }

    @Test func roundTripIsLossless() throws {
        let snapshot = try fixedSnapshot()
        let decoded = try MetricsJSON.decoder().decode(
            RecorderSnapshot.self, from: snapshot.jsonData(prettyPrinted: true))
        #expect(decoded == snapshot)
        let now = RecorderSnapshot(entityID: "x", takenAt: Date(), metrics: [], statistics: .init())
        #expect(try MetricsJSON.decoder().decode(RecorderSnapshot.self, from: now.jsonData()) == now)
    }

    @Test func nonFiniteNumbersAreWrittenAsStrings() throws {
        let snapshot = MetricSnapshot(
            name: "a.metric",
            dimensions: [
                MetricDimension("nan", value: .gauge(.nan)), MetricDimension("up", value: .gauge(.infinity)),
                MetricDimension("down", value: .gauge(-.infinity)),
            ])
        let json = String(decoding: try MetricsJSON.encoder().encode(snapshot), as: UTF8.self)
        #expect(json.contains(#""value":"NaN""#))
        #expect(json.contains(#""value":"+Inf""#))
        #expect(json.contains(#""value":"-Inf""#))
        let decoded = try MetricsJSON.decoder().decode(MetricSnapshot.self, from: Data(json.utf8))
        #expect(decoded.value("up") == .infinity)
        #expect(decoded.value("nan")?.isNaN == true)
    }

    @Test func timestampsFormatAndParseAcrossEras() throws {
        for seconds in [0.0, 951_782_400.5, -86_400.25, 4_102_444_799.999, 1_795_693_662.0807] {
            let date = Date(timeIntervalSince1970: seconds)
            let snapshot = RecorderSnapshot(entityID: "e", takenAt: date, metrics: [], statistics: .init())
            let decoded = try MetricsJSON.decoder().decode(RecorderSnapshot.self, from: snapshot.jsonData())
            #expect(decoded.takenAt == snapshot.takenAt)
            #expect((decoded.takenAt.timeIntervalSince1970 - seconds).magnitude < 0.001)
        }
        let leap = RecorderSnapshot(
            entityID: "e", takenAt: Date(timeIntervalSince1970: 951_782_400.5), metrics: [], statistics: .init())
        #expect(
            String(decoding: try leap.jsonData(), as: UTF8.self).contains(#""taken_at":"2000-02-29T00:00:00.500Z""#))
    }

    @Test func aDocumentWithoutAStartStartsWhenItWasTaken() throws {
        let json =
            #"{"entity_id":"e","metrics":[],"statistics":{"accepted":0,"dropped":0,"dropped_by_event_type":{},"handler_failures":0,"hook_failures":0,"ignored":0,"pending":0,"processed":0,"rejected_values":0},"taken_at":"2026-11-26T11:47:42.080Z"}"#
        let decoded = try MetricsJSON.decoder().decode(RecorderSnapshot.self, from: Data(json.utf8))
        #expect(decoded.startedAt == decoded.takenAt)
        let badStart = json.replacingOccurrences(of: #""metrics""#, with: #""started_at":"yesterday","metrics""#)
        #expect(throws: DecodingError.self) {
            try MetricsJSON.decoder().decode(RecorderSnapshot.self, from: Data(badStart.utf8))
        }
        // A recorder's snapshots all start when it was created.
        let recorder = InlineMetricsRecorder(entityID: "e")
        let first = recorder.snapshot()
        #expect(first.startedAt == recorder.startedAt && first.startedAt <= first.takenAt)
        #expect(recorder.snapshot().startedAt == first.startedAt)
    }

    /// Found by the snapshot JSON fuzzer (Fuzz/): `Date` counts from 2001, so
    /// far from it a millisecond read back a hair under itself and a
    /// document's `taken_at` lost a millisecond in each round trip.
    @Test func everyMillisecondSurvivesARoundTrip() throws {
        for text in ["1970-01-01T00:00:00.900Z", "0001-01-01T00:00:00.001Z", "9999-12-31T23:59:59.999Z"] {
            let json =
                #"{"entity_id":"e","metrics":[],"started_at":"\#(text)","statistics":{"accepted":0,"dropped":0,"dropped_by_event_type":{},"handler_failures":0,"hook_failures":0,"ignored":0,"pending":0,"processed":0,"rejected_values":0},"taken_at":"\#(text)"}"#
            let decoded = try MetricsJSON.decoder().decode(RecorderSnapshot.self, from: Data(json.utf8))
            #expect(String(decoding: try decoded.jsonData(), as: UTF8.self) == json)
            let again = RecorderSnapshot(
                entityID: "e", takenAt: decoded.takenAt, metrics: [], statistics: decoded.statistics)
            #expect(again.takenAt == decoded.takenAt)
        }
    }

    /// Dates of any era, before 1970 included, keep their millisecond
    /// through JSON: a whole millisecond comes back as itself, and a date
    /// between two comes back as the earlier one (truncation, as a snapshot
    /// takes it). Checked against the date's own seconds rounded to the
    /// nearest millisecond, which does not share the formatter's arithmetic.
    @Test func randomDatesOfEveryEraKeepTheirMillisecondThroughJSON() throws {
        var generator = SplitMix64(seed: 0x1969_1231)
        // 0001-01-01T00:00:00.000Z through 9999-12-31T23:59:59.999Z.
        let range: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999
        var cases: [Int64] = [-1, -877, -86_400_000, -86_399_999, range.lowerBound, range.upperBound]
        cases += (0..<20_000).map { _ in Int64.random(in: range, using: &generator) }
        cases += (0..<5_000).map { _ in Int64.random(in: -3_000_000_000_000...0, using: &generator) }
        for millisecond in cases {
            for (fraction, label) in [(0.0, "whole"), (0.5, "between")] {
                let date = Date(timeIntervalSince1970: (Double(millisecond) + fraction) / 1000)
                let snapshot = RecorderSnapshot(entityID: "e", takenAt: date, metrics: [], statistics: .init())
                let decoded = try MetricsJSON.decoder().decode(RecorderSnapshot.self, from: snapshot.jsonData())
                let readBack = Int64((decoded.takenAt.timeIntervalSince1970 * 1000).rounded())
                guard readBack == millisecond, decoded.takenAt == snapshot.takenAt else {
                    Issue.record("\(label) millisecond \(millisecond) came back as \(readBack)")
                    return
                }
            }
        }
    }

    /// A part keeps what it is a part of through JSON, so a decoded snapshot
    /// renders as the recorder's did.
    /// Common labels are written as `"common_labels"` only when there are
    /// some, so documents of recorders without them read as before.
    @Test func commonLabelsRoundTripAndAreLeftOutWhenThereAreNone() throws {
        var snapshot = try fixedSnapshot()
        #expect(!String(decoding: try snapshot.jsonData(), as: UTF8.self).contains("common_labels"))
        snapshot.commonLabels = ["service": "orders", "deployment.environment": "prod"]
        let json = String(decoding: try snapshot.jsonData(), as: UTF8.self)
        #expect(json.contains(#""common_labels":{"deployment.environment":"prod","service":"orders"}"#))
        #expect(try MetricsJSON.decoder().decode(RecorderSnapshot.self, from: Data(json.utf8)) == snapshot)
        #expect(
            snapshot.description.hasPrefix(
                "recorder storage at 2026-11-26T11:47:42.080Z {deployment.environment=prod, service=orders}\n"))
    }

    @Test func anUnsetGaugeIsNullAndRoundTrips() throws {
        let unset = MetricDimension("value", value: .gauge(nil))
        let json = String(decoding: try MetricsJSON.encoder().encode(unset), as: UTF8.self)
        #expect(json == #"{"name":"value","type":"gauge","value":null}"#)
        #expect(try MetricsJSON.decoder().decode(MetricDimension.self, from: Data(json.utf8)) == unset)
        #expect(unset.value.number == nil && unset.value.isUnsetGauge && unset.description == "value unset")
        #expect(!DimensionValue.gauge(0).isUnsetGauge && !DimensionValue.counter(0).isUnsetGauge)
    }

    @Test func partsRoundTrip() throws {
        let part = MetricDimension(
            "success_total", value: .counter(2), partOf: .init(of: "total", label: "outcome", value: "success"))
        let json = String(decoding: try MetricsJSON.encoder().encode(part), as: UTF8.self)
        #expect(
            json
                == #"{"name":"success_total","part_of":{"label":"outcome","value":"success","whole":"total"},"type":"counter","value":2}"#
        )
        #expect(try MetricsJSON.decoder().decode(MetricDimension.self, from: Data(json.utf8)) == part)
        let plain = try MetricsJSON.decoder().decode(
            MetricDimension.self, from: Data(#"{"name":"total","type":"counter","value":2}"#.utf8))
        #expect(plain.partOf == nil)
        #expect(throws: DecodingError.self) {
            try MetricsJSON.decoder().decode(
                MetricDimension.self,
                from: Data(#"{"name":"a","part_of":{"label":"x"},"type":"counter","value":2}"#.utf8))
        }
    }

    @Test func aMetricNamingItsDimensionsAloneSaysSoAndOthersStayAsTheyWere() throws {
        let grouped = MetricSnapshot(
            name: "swift_metrics.counters", dimensions: [MetricDimension("hb_requests", value: .counter(2))],
            naming: .dimension)
        let json = String(decoding: try MetricsJSON.encoder().encode(grouped), as: UTF8.self)
        #expect(
            json
                == #"{"dimensions":[{"name":"hb_requests","type":"counter","value":2}],"name":"swift_metrics.counters","naming":"dimension"}"#
        )
        #expect(try MetricsJSON.decoder().decode(MetricSnapshot.self, from: Data(json.utf8)) == grouped)
        // The default is not written, and a document without it has the default.
        var qualified = grouped
        qualified.naming = .metricAndDimension
        let plain = String(decoding: try MetricsJSON.encoder().encode(qualified), as: UTF8.self)
        #expect(!plain.contains("naming"))
        #expect(try MetricsJSON.decoder().decode(MetricSnapshot.self, from: Data(plain.utf8)) == qualified)
        #expect(throws: DecodingError.self) {
            try MetricsJSON.decoder().decode(
                MetricSnapshot.self, from: Data(#"{"dimensions":[],"name":"a","naming":"loose"}"#.utf8))
        }
    }

    @Test func malformedDocumentsAreDecodingErrors() {
        let badType = #"{"name":"a","dimensions":[{"name":"t","type":"histogram","value":1}]}"#
        #expect(throws: DecodingError.self) {
            try MetricsJSON.decoder().decode(MetricSnapshot.self, from: Data(badType.utf8))
        }
        let badTime =
            #"{"entity_id":"e","taken_at":"yesterday","metrics":[],"statistics":{"accepted":0,"processed":0,"ignored":0,"rejected_values":0,"handler_failures":0,"hook_failures":0,"dropped":0,"pending":0,"dropped_by_event_type":{}}}"#
        #expect(throws: DecodingError.self) {
            try MetricsJSON.decoder().decode(RecorderSnapshot.self, from: Data(badTime.utf8))
        }
    }

    @Test func snapshotsReadLikeTheConcept() throws {
        let snapshot = try fixedSnapshot()
        let metric = try #require(snapshot["a.metric"])
        #expect(metric.count("total") == 3)
        #expect(metric.count("refused_total", labels: ["reason": "tls"]) == 1)
        #expect(metric.count("refused_total") == nil)
        #expect(metric.value("level") == -2.5)
        #expect(metric.count("level") == nil)
        #expect(snapshot["b.metric"]?.distribution("seconds")?.count == 2)
        #expect(snapshot["missing"] == nil)
        #expect(metric.description.hasPrefix("a.metric total 3\na.metric refused_total{reason=\"tls\"} 1"))
        #expect(snapshot.statistics.isBalanced)
    }
}
