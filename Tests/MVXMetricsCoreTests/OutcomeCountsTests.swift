import MVXMetricsCore
import Testing

@Suite struct OutcomeCountsTests {
    @Test func everyCaseExistsFromTheStartAndTotalsAgree() {
        var counts = OutcomeCounts<SaveOutcome>()
        #expect(
            counts.dimensions == [
                MetricDimension("total", value: .counter(0)),
                MetricDimension(
                    "success_total", value: .counter(0), partOf: .init(of: "total", label: "outcome", value: "success")),
                MetricDimension(
                    "failure_total", value: .counter(0), partOf: .init(of: "total", label: "outcome", value: "failure")),
                MetricDimension(
                    "too_large_total", value: .counter(0),
                    partOf: .init(of: "total", label: "outcome", value: "too_large")),
            ])
        #expect(counts.record(.success) == .changed)
        counts.record(.success)
        counts.record(.tooLarge)
        #expect(counts.total == 3)
        #expect(counts.count(of: .success) == 2)
        #expect(counts.count(of: .failure) == 0)
        #expect(counts.count(of: .tooLarge) == 1)
    }

    @Test func enumerationsWithPayloadsOrCustomOrderStillCountCorrectly() {
        enum Reordered: MetricCase {
            case first, second, third
            static var allCases: [Reordered] { [.third, .first, .second] }
        }
        var counts = OutcomeCounts<Reordered>()
        counts.record(.first)
        counts.record(.third)
        counts.record(.third)
        #expect(counts.dimensions.map(\.name) == ["total", "third_total", "first_total", "second_total"])
        #expect(counts.dimensions.map(\.value) == [.counter(3), .counter(2), .counter(1), .counter(0)])

        enum Single: MetricCase { case only }
        var single = OutcomeCounts<Single>()
        single.record(.only)
        #expect(single.count(of: .only) == 1)

        enum Missing: MetricCase {
            case listed, unlisted
            static var allCases: [Missing] { [.listed] }
        }
        var missing = OutcomeCounts<Missing>()
        #expect(missing.record(.unlisted) == .rejected)
        #expect(missing.total == 0)
    }

    @Test func caseCountsLabelEveryCase() {
        var counts = CaseCounts<SaveOutcome>(dimension: "refused_total", label: "reason")
        counts.record(.failure)
        counts.record(.failure)
        #expect(
            counts.dimensions == [
                MetricDimension("refused_total", labels: ["reason": "success"], value: .counter(0)),
                MetricDimension("refused_total", labels: ["reason": "failure"], value: .counter(2)),
                MetricDimension("refused_total", labels: ["reason": "too_large"], value: .counter(0)),
            ])
        #expect(counts.total == 2)
        #expect(counts.count(of: .failure) == 2)
    }

    @Test func eventCountCounts() {
        var count = EventCount(dimension: "seen_total")
        count.increment()
        count.increment()
        #expect(count.dimensions == [MetricDimension("seen_total", value: .counter(2))])
    }
}
