import Foundation
import MVXMetrics
import MVXMetricsPrometheus
import MVXMetricsTestSupport
import Testing

/// Input chosen to break things: names and label values from every Unicode
/// class, very long values, NaN, infinities and negative values, and a
/// million distinct label values.
@Suite(.onAThreadOfItsOwn) struct HostileInputTests {
    struct Labelled: MetricEvent {
        static let eventType = "reliability.hostile.labelled"
        var value: String
    }

    struct Measured: MetricEvent {
        static let eventType = "reliability.hostile.measured"
        var value: Double
    }

    @Test func hostileNamesAreTypedErrorsNeverCrashes() async throws {
        let recorder = InlineMetricsRecorder(entityID: "hostile")
        for text in HostileText.samples + ["", String(repeating: "a", count: 201), "a..b", ".a", "a.", "__a", "A"] {
            if !MetricNaming.isValidMetricName(text) {
                #expect(throws: MetricsError.self, "metric name \(text.debugDescription)") {
                    try recorder.register(EventCountMetric(text, of: Labelled.self))
                }
            }
            if !MetricNaming.isValidDimensionName(text) {
                #expect(throws: MetricsError.self, "dimension \(text.debugDescription)") {
                    try recorder.register(EventCountMetric("reliability.ok", of: Labelled.self, dimension: text))
                }
            }
        }
        #expect(recorder.snapshot().metrics.isEmpty)
        // The valid ones among them register.
        try recorder.register(EventCountMetric("z", of: Labelled.self))
        #expect(recorder.snapshot().metrics.map(\.name) == ["z"])
    }

    @Test func recorderNamesWithControlCharactersAreRefusedOthersAreExportedSafely() async throws {
        let runtime = MetricsRuntime()
        defer { runtime.shutdown() }
        for text in HostileText.samples {
            let hasControl = text.unicodeScalars.contains { $0.properties.generalCategory == .control }
            do {
                _ = try runtime.makeRecorder(entityID: text)
                #expect(!hasControl, "accepted \(text.debugDescription)")
            } catch {
                #expect(hasControl || text.isEmpty, "refused \(text.debugDescription): \(error)")
            }
        }
        try await expectValidExposition(runtime.snapshot())
    }

    @Test func labelValuesFromEveryClassAndOfAnyLengthAreKeptEscapedAndCut() async throws {
        let recorder = InlineMetricsRecorder(entityID: "hostile \"entity\"\\\n")
        try recorder.register(
            LabelCountMetric(
                "reliability.hostile.values", help: "Help with \"quotes\", \\ and\nnewlines.", of: Labelled.self,
                label: "value", cap: 1000, value: \.value))
        let long = String(repeating: "é", count: 1 << 20)
        let values = HostileText.samples + [long, String(repeating: "\u{1F468}\u{200D}\u{1F469}", count: 100)]
        for value in values { recorder.record(Labelled(value: value)) }
        let metric = try #require(recorder.snapshot()["reliability.hostile.values"])
        for dimension in metric.dimensions {
            let value = try #require(dimension.labels["value"])
            #expect(value.utf8.count <= LabelCounts.maximumValueLength)
        }
        // The megabyte value was cut at a character boundary: 64 whole "é".
        #expect(metric.count("total", labels: ["value": String(repeating: "é", count: 64)]) == 1)
        #expect(metric.dimensions.count == Set(values.map { LabelCountsCut.cut($0) }).count + 1)
        try await expectValidExposition([recorder.snapshot()])
    }

    @Test func nanInfinitiesAndNegativeValuesAreRejectedAndCounted() async throws {
        let recorder = InlineMetricsRecorder(entityID: "numbers")
        try recorder.register(SumMetric("reliability.hostile.sum", of: Measured.self, value: \.value))
        try recorder.register(
            DistributionMetric(
                "reliability.hostile.distribution", of: Measured.self, buckets: try HistogramBuckets([0, 1]),
                value: \.value))
        try recorder.register(LastValueMetric("reliability.hostile.level", of: Measured.self, value: \.value))
        let values: [Double] = [
            .nan, .infinity, -.infinity, -1, -Double.greatestFiniteMagnitude, 2, .leastNonzeroMagnitude, 1e300, 0,
            -0.0, .signalingNaN,
        ]
        for value in values { recorder.record(Measured(value: value)) }
        let snapshot = recorder.snapshot()
        let finite = values.filter(\.isFinite)
        let summable = finite.filter { $0 >= 0 && $0 < 0x1p64 }
        // The sum refuses negative and non-finite values and those beyond a
        // counter (2⁶⁴ and more); the distribution and the gauge refuse
        // non-finite ones.
        #expect(snapshot["reliability.hostile.sum"]?.value("total") == summable.reduce(0, +))
        let distribution = try #require(snapshot["reliability.hostile.distribution"]?.distribution("distribution"))
        #expect(distribution.count == UInt64(finite.count))
        #expect(distribution.min == -Double.greatestFiniteMagnitude)
        #expect(distribution.max == 1e300)
        #expect(snapshot["reliability.hostile.level"]?.value("value") == -0.0)
        let rejected = (values.count - summable.count) + 2 * (values.count - finite.count)
        #expect(snapshot.statistics.rejectedValues == UInt64(rejected))
        try await expectValidExposition([snapshot])
    }

    @Test(.timeLimit(.minutes(5)))
    func aMillionDistinctLabelValuesKeepTheCapAndBoundedMemory() async throws {
        try await onThread {
            let runtime = MetricsRuntime()
            try runtime.start()
            defer { runtime.shutdown() }
            let recorder = try runtime.makeRecorder(entityID: "cardinality", overflowPolicy: .block)
            try recorder.register(
                LabelCountMetric(
                    "reliability.hostile.routes", of: Labelled.self, label: "route", cap: 100, value: \.value))
            let warmUp = 10_000
            let total = 1_000_000
            for index in 0..<warmUp { recorder.record(Labelled(value: "/users/\(index)")) }
            try recorder.flush()
            let residentAfterWarmUp = residentBytes()
            for index in warmUp..<total { recorder.record(Labelled(value: "/users/\(index)")) }
            try recorder.flush()
            let residentAtEnd = residentBytes()
            let metric = try #require(recorder.snapshot()["reliability.hostile.routes"])
            print(
                "a million distinct label values: \(metric.dimensions.count) series, resident \(residentAfterWarmUp >> 20) MiB "
                    + "after 10,000 values, \(residentAtEnd >> 20) MiB after 1,000,000")
            // The series are capped: one per kept value and the overflow, whatever
            // arrives. (The resident size is printed, not asserted: it belongs to
            // the whole test process, where other tests allocate at the same
            // time; .ci/run's soak step asserts it in a process of its own.)
            #expect(metric.dimensions.count == 101)
            #expect(metric.count("total", labels: ["route": LabelCounts.overflowLabelValue]) == UInt64(total - 100))
            #expect(recorder.statistics.processed == UInt64(total))
        }
    }
}

/// How `LabelCounts` cuts long values: at a character boundary, within the limit.
enum LabelCountsCut {
    static func cut(_ value: String) -> String {
        var result = ""
        for character in value {
            if result.utf8.count + character.utf8.count > LabelCounts.maximumValueLength { break }
            result.append(character)
        }
        return result
    }
}

/// Checks both exposition formats of `snapshots` with the real tools: promtool
/// must accept the text format without a complaint, and the strict OpenMetrics
/// parser must read the OpenMetrics format and find every label value intact.
func expectValidExposition(
    _ snapshots: [RecorderSnapshot], sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    try await ExpositionChecker.shared.check([snapshots], sourceLocation: sourceLocation)
}
