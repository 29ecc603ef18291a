import MVXMetricsCore
import MVXMetricsTestSupport
import Testing

@Suite struct SumAndLastValueTests {
    @Test func byteSumsAreExactIntegerCountersInBytes() {
        var sum = Sum<ByteCount>()
        #expect(sum.add(1840) == .changed)
        sum.add(160)
        #expect(sum.add(0) == .applied)
        #expect(sum.dimensions == [MetricDimension("total", unit: .bytes, value: .counter(2000))])
    }

    @Test func durationSumsAreSecondsSums() {
        var sum = Sum<Duration>(dimension: "busy")
        sum.add(.milliseconds(1500))
        sum.add(.milliseconds(250))
        #expect(sum.dimensions == [MetricDimension("busy", unit: .seconds, value: .sum(1.75))])
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
        #expect(sum.dimensions == [MetricDimension("total", value: .counter(5))])
    }

    @Test func lastValueKeepsTheLatestFiniteValue() {
        var gauge = LastValue<Double>()
        #expect(gauge.dimensions == [MetricDimension("value", value: .gauge(nil))])
        #expect(gauge.value == nil)
        #expect(!gauge.isSet)
        #expect(gauge.set(.nan) == .rejected)
        #expect(!gauge.isSet)
        #expect(gauge.set(21.5) == .changed)
        #expect(gauge.set(21.5) == .applied)
        #expect(gauge.set(-3) == .changed)
        #expect(gauge.set(.nan) == .rejected)
        #expect(gauge.set(.infinity) == .rejected)
        #expect(gauge.value == -3)
        #expect(gauge.isSet)
        #expect(gauge.dimensions == [MetricDimension("value", value: .gauge(-3))])
    }

    @Test func aGaugeWithAnInitialValueReadsItUntilSet() {
        var stock = LastValue<Int>(dimension: "items", initialValue: 2700)
        #expect(stock.isSet)
        #expect(stock.dimensions == [MetricDimension("items", value: .gauge(2700))])
        #expect(stock.set(2700) == .applied)
        #expect(stock.set(2650) == .changed)
        #expect(stock.value == 2650)
        let zero = LastValue<Duration>(initialValue: .zero)
        #expect(zero.dimensions == [MetricDimension("value", unit: .seconds, value: .gauge(0))])
    }

    @Test func aNonFiniteInitialValueIsAProgrammingError() async {
        await #expect(processExitsWith: .failure) {
            _ = LastValue<Double>(initialValue: .nan)
        }
    }

    @Test func updatesDescribeThemselves() {
        #expect(
            [MetricUpdate.unchanged, .changed, .applied, .rejected, [.changed, .rejected]].map(\.description) == [
                "unchanged", "changed", "applied", "rejected", "changed, rejected",
            ])
        #expect(MetricUpdate([.applied, .rejected]).description == "MetricUpdate(rawValue: 6)")
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

    /// Every whole number of milliseconds from 1 ms to 10 s (and random whole
    /// nanoseconds up to 104 days) converts to the double nearest the exact
    /// number of seconds: the value its decimal literal gives.
    @Test func durationsConvertToTheNearestDouble() {
        for milliseconds in Int64(1)...10_000 {
            let literal = Double(Self.decimal(milliseconds, fractionDigits: 3))!
            #expect(Duration.milliseconds(milliseconds).metricValue == literal, "\(milliseconds) ms")
            #expect(Duration.milliseconds(-milliseconds).metricValue == -literal, "-\(milliseconds) ms")
        }
        var generator = SplitMix64(seed: 0x5EC0_4D5)
        for _ in 0..<20_000 {
            let nanoseconds = Int64(generator.next() % 9_007_199_254_740_992)
            let literal = Double(Self.decimal(nanoseconds, fractionDigits: 9))!
            #expect(Duration.nanoseconds(nanoseconds).metricValue == literal, "\(nanoseconds) ns")
        }
        for attoseconds in [Int64(1), 9_007_199_254_740_991, -123_456_789] {
            #expect(
                Duration(secondsComponent: 0, attosecondsComponent: attoseconds).metricValue == Double(attoseconds)
                    / 1e18)
        }
    }

    /// `count` thousandths (3 digits) or billionths (9) of a second as a
    /// decimal literal: `decimal(9, fractionDigits: 3)` is `"0.009"`.
    private static func decimal(_ count: Int64, fractionDigits: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        return "\(count / scale)." + String("\(scale + count % scale)".dropFirst())
    }

    @Test func wholeMillisecondsLandInTheBucketTheyBound() throws {
        var distribution = try Distribution<Duration>(buckets: HistogramBuckets([0.009, 0.011, 0.013]))
        for milliseconds in [9, 11, 13] { distribution.record(.milliseconds(milliseconds)) }
        guard case .distribution(let snapshot) = try #require(distribution.dimensions.first).value else {
            Issue.record("not a distribution")
            return
        }
        #expect(snapshot.buckets.prefix(3).map(\.cumulativeCount) == [1, 2, 3])
    }

    @Test func integerSumsStayExactUpToUInt64Max() {
        var ints = Sum<Int>()
        ints.add(1 << 53 + 1)
        #expect(ints.dimensions == [MetricDimension("total", value: .counter(1 << 53 + 1))])
        var bytes = Sum<ByteCount>()
        bytes.add(ByteCount(Int.max))
        #expect(bytes.dimensions == [MetricDimension("total", unit: .bytes, value: .counter(UInt64(Int.max)))])
        bytes.add(ByteCount(Int.max))
        #expect(bytes.add(1) == .changed)
        #expect(bytes.dimensions == [MetricDimension("total", unit: .bytes, value: .counter(.max))])
        // One more byte would wrap the counter: rejected, the total kept.
        #expect(bytes.add(1) == .rejected)
        #expect(bytes.dimensions == [MetricDimension("total", unit: .bytes, value: .counter(.max))])
    }
}
