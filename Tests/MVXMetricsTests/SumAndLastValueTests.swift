import MVXMetrics
import MVXMetricsTestSupport
import Testing

@Suite struct SumAndLastValueTests {
    @Test func byteSumsAreExactIntegerCountersInBytes() {
        var sum = Sum<ByteCount>()
        #expect(sum.add(1840) == .changed)
        sum.add(160)
        #expect(sum.add(0) == .unchanged)
        #expect(sum.dimensions == [Dimension("total", unit: .bytes, value: .counter(2000))])
    }

    @Test func durationSumsAreSecondsSums() {
        var sum = Sum<Duration>(dimension: "busy")
        sum.add(.milliseconds(1500))
        sum.add(.milliseconds(250))
        #expect(sum.dimensions == [Dimension("busy", unit: .seconds, value: .sum(1.75))])
    }

    @Test(arguments: [-1.0, -0.0001, .nan, .infinity, -.infinity, 1e20])
    func negativeAndNonFiniteValuesAreRejected(_ value: Double) {
        var sum = Sum<Double>()
        sum.add(2)
        #expect(sum.add(value) == .rejected)
        #expect(sum.total == 2)
    }

    @Test func negativeIntegersAreRejected() {
        var sum = Sum<Int>()
        #expect(sum.add(-5) == .rejected)
        #expect(sum.add(5) == .changed)
        #expect(sum.dimensions == [Dimension("total", value: .counter(5))])
    }

    @Test func lastValueKeepsTheLatestFiniteValue() {
        var gauge = LastValue<Double>()
        #expect(gauge.dimensions == [Dimension("value", value: .gauge(0))])
        #expect(!gauge.isSet)
        #expect(gauge.set(21.5) == .changed)
        #expect(gauge.set(21.5) == .unchanged)
        #expect(gauge.set(-3) == .changed)
        #expect(gauge.set(.nan) == .rejected)
        #expect(gauge.set(.infinity) == .rejected)
        #expect(gauge.value == -3)
        #expect(gauge.isSet)
    }

    @Test func durationsConvertToSeconds() {
        var generator = SplitMix64(seed: 7)
        var nanoseconds: [Int64] = [0, 1, -1, 12_400_000, -3_000_000_000, 999_999_999, Int64.max, Int64.min + 1]
        for _ in 0..<1000 { nanoseconds.append(Int64(bitPattern: generator.next()) >> Int64(generator.next() % 60)) }
        for count in nanoseconds {
            let expected = Double(count) / 1e9
            let actual = Duration.nanoseconds(count).metricValue
            #expect((actual - expected).magnitude <= expected.magnitude * 1e-15, "\(count) ns")
        }
        // Beyond the range of nanoseconds in an Int64.
        #expect(Duration.seconds(Int64.max / 4).metricValue == Double(Int64.max / 4))
        #expect((Duration.seconds(-1e12).metricValue + 1e12).magnitude <= 1e12 * 1e-15)
    }
}
