import MVXMetricsCore
import Testing

@Suite struct LabelSplitTests {
    @Test func valuesGetPartsUpToTheCapThenTheOverflowPartTakesTheRest() throws {
        var bytes = try LabelSplit(label: "content_type", cap: 2, part: Sum<ByteCount>())
        #expect(bytes.dimensions == [Self.total("_overflow", 0)])
        bytes.update("text/plain") { $0.add(10) }
        bytes.update("application/pdf") { $0.add(1840) }
        bytes.update("text/plain") { $0.add(5) }
        #expect(bytes.update("image/png") { $0.add(7) } == .changed)
        #expect(bytes.distinctValues == 2)
        #expect(bytes["text/plain"]?.total == 15)
        #expect(bytes["image/png"] == nil)
        #expect(bytes.overflow.total == 7)
        #expect(
            bytes.dimensions == [
                Self.total("application/pdf", 1840), Self.total("text/plain", 15), Self.total("_overflow", 7),
            ])
    }

    @Test func aValueWhoseFirstEventDoesNotApplyLeavesNoSeries() throws {
        var bytes = try LabelSplit(label: "content_type", part: Sum<ByteCount>())
        #expect(bytes.update("text/plain") { $0.add(-1) } == .rejected)
        #expect(bytes.update("text/plain") { _ in .unchanged } == .unchanged)
        #expect(bytes.distinctValues == 0)
        #expect(bytes.update("text/plain") { $0.add(0) } == .applied)
        #expect(bytes.dimensions == [Self.total("text/plain", 0), Self.total("_overflow", 0)])
    }

    @Test func aValueSpelledLikeTheOverflowJoinsItAndLongValuesAreCut() throws {
        var counts = try LabelSplit(label: "route", cap: 5, part: EventCount())
        counts.update(LabelCounts.overflowLabelValue) { $0.increment() }
        counts.update(String(repeating: "é", count: 100)) { $0.increment() }
        #expect(counts.overflow.count == 1)
        #expect(counts.distinctValues == 1)
        #expect(counts[String(repeating: "é", count: 100)]?.count == 1)
        #expect(counts.dimensions.first?.labels["route"] == String(repeating: "é", count: 64))
    }

    @Test(arguments: [0, -1, 10_001])
    func anInvalidCapIsRefused(_ cap: Int) {
        #expect(throws: MetricsError.self) { try LabelSplit(label: "route", cap: cap, part: EventCount()) }
    }

    @Test func aPartThatAlreadyUsesTheLabelIsRefused() {
        #expect(throws: MetricsError.self) {
            try LabelSplit(label: "route", part: try LabelCounts(dimension: "total", label: "route"))
        }
    }

    private static func total(_ type: String, _ bytes: UInt64) -> MetricDimension {
        MetricDimension("total", labels: ["content_type": type], unit: .bytes, value: .counter(bytes))
    }
}
