import MVXMetricsCore
import Testing

@Suite struct CaseSplitTests {
    @Test func everyCaseHasItsLabelledPartFromTheStart() throws {
        var bytes = try CaseSplit(label: "outcome", of: SaveOutcome.self, part: Sum<ByteCount>())
        #expect(bytes.update(.failure) { $0.add(1840) } == .changed)
        #expect(bytes.update(.failure) { $0.add(0) } == .applied)
        #expect(bytes.update(.success) { $0.add(-1) } == .rejected)
        #expect(
            bytes.dimensions == [
                MetricDimension("total", labels: ["outcome": "success"], unit: .bytes, value: .counter(0)),
                MetricDimension("total", labels: ["outcome": "failure"], unit: .bytes, value: .counter(1840)),
                MetricDimension("total", labels: ["outcome": "too_large"], unit: .bytes, value: .counter(0)),
            ])
        #expect(bytes[.failure]?.total == 1840)
    }

    @Test func splitsNestAndLabelEachSeriesWithBoth() throws {
        enum Region: MetricCase { case east, west }
        var counts = try CaseSplit(
            label: "region", of: Region.self,
            part: try CaseSplit(label: "outcome", of: SaveOutcome.self, part: EventCount()))
        counts.update(.west) { $0.update(.tooLarge) { $0.increment() } }
        let dimensions = counts.dimensions
        #expect(dimensions.count == 6)
        #expect(Set(dimensions.map(\.labels)).count == 6)
        #expect(
            dimensions.filter { $0.value == .counter(1) }
                == [MetricDimension("total", labels: ["region": "west", "outcome": "too_large"], value: .counter(1))])
    }

    @Test func aCaseLeftOutOfAllCasesIsRejected() throws {
        enum Partial: MetricCase {
            case kept, hidden
            static var allCases: [Partial] { [.kept] }
        }
        var counts = try CaseSplit(label: "kind", of: Partial.self, part: EventCount())
        #expect(counts.update(.hidden) { $0.increment() } == .rejected)
        #expect(counts[.hidden] == nil)
        #expect(counts.dimensions == [MetricDimension("total", labels: ["kind": "kept"], value: .counter(0))])
    }

    @Test func aPartThatAlreadyUsesTheLabelIsRefused() throws {
        #expect(throws: MetricsError.self) {
            try CaseSplit(
                label: "reason", of: SaveOutcome.self,
                part: CaseCounts<SaveOutcome>(dimension: "total", label: "reason"))
        }
        // An outcome counter's parts are labelled `outcome` by exporters.
        do {
            _ = try CaseSplit(label: "outcome", of: SaveOutcome.self, part: OutcomeCounts<SaveOutcome>())
            Issue.record("a split by outcome of an outcome counter was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("outcome"))
        }
    }
}
