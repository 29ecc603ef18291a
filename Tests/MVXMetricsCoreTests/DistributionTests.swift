import MVXMetricsCore
import MVXMetricsTestSupport
import Testing

@Suite struct DistributionTests {
    @Test func bucketsAreCumulativeAndInclusive() throws {
        var distribution = try Distribution<Double>(buckets: try HistogramBuckets([1, 2, 5]))
        for value in [0.5, 1, 1.5, 2, 7, 100] { distribution.record(value) }
        let snapshot = distribution.snapshot
        #expect(
            snapshot.buckets == [
                .init(upperBound: 1, cumulativeCount: 2),
                .init(upperBound: 2, cumulativeCount: 4),
                .init(upperBound: 5, cumulativeCount: 4),
            ])
        #expect(snapshot.count == 6)
        #expect(snapshot.sum == 112)
        #expect(snapshot.min == 0.5)
        #expect(snapshot.max == 100)
        #expect(snapshot.mean == 112.0 / 6)
    }

    @Test func manyBucketsUseTheSameInclusiveRule() throws {
        let buckets = try HistogramBuckets.linear(start: 1, width: 1, count: 40)
        var distribution = try Distribution<Int>(buckets: buckets)
        for value in 0...41 { distribution.record(value) }
        let snapshot = distribution.snapshot
        for bucket in snapshot.buckets {
            #expect(bucket.cumulativeCount == UInt64(bucket.upperBound) + 1)
        }
        #expect(snapshot.count == 42)
    }

    /// The bucket a value lands in, for bounds the bin table covers (wide and
    /// narrow ranges, two bounds inside one bin), bounds it does not (zero and
    /// negative bounds, a range too wide for a table), and values at, just
    /// around and far from every bound, of either sign, zero and subnormal.
    @Test(arguments: [
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        [1, 1.000_1, 1.01, 2, 1e6],
        [-10, -1, 0, 1e-300, 0.5, 1e300],
        [1e-60, 1e60],
        [-3, -2],
        [0, 1],
        [1.5],
    ])
    func everyValueLandsInTheFirstBucketWhoseBoundIsAtLeastIt(bounds: [Double]) throws {
        let buckets = try HistogramBuckets(bounds)
        var generator = SplitMix64(seed: UInt64(bounds.count))
        var values: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude]
        values += [.greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        values += [Double.leastNormalMagnitude.nextDown, .leastNonzeroMagnitude * 3]
        for bound in bounds { values += [bound, bound.nextUp, bound.nextDown, bound * 1.000_01, -bound] }
        for _ in 0..<2_000 {
            let exponent = Double.random(in: -70...70, using: &generator)
            let sign: Double = Bool.random(using: &generator) ? 1 : -1
            values.append(sign * Double.random(in: 1..<2, using: &generator) * pow2(exponent))
        }
        for value in values {
            var distribution = try Distribution<Double>(buckets: buckets, quantiles: [])
            distribution.record(value)
            let expected = bounds.firstIndex { value <= $0 } ?? bounds.count
            let cumulative = distribution.snapshot.buckets.map(\.cumulativeCount)
            let landed = cumulative.firstIndex(of: 1) ?? bounds.count
            #expect(landed == expected, "\(value) with bounds \(bounds)")
        }
    }

    private func pow2(_ exponent: Double) -> Double {
        Double(sign: .plus, exponent: Int(exponent.rounded(.down)), significand: 1)
    }

    @Test func nonFiniteValuesAreRejected() throws {
        var distribution = try Distribution<Double>(buckets: .durations)
        #expect(distribution.record(.nan) == .rejected)
        #expect(distribution.record(.infinity) == .rejected)
        #expect(distribution.record(0.2) == .changed)
        #expect(distribution.count == 1)
    }

    @Test func anEmptyDistributionHasNoExtremesOrQuantiles() throws {
        let distribution = try Distribution<Duration>(dimension: "seconds", buckets: .durations)
        #expect(
            distribution.dimensions == [
                MetricDimension(
                    "seconds", unit: .seconds,
                    value: .distribution(
                        DistributionSnapshot(
                            count: 0, sum: 0, min: nil, max: nil,
                            buckets: HistogramBuckets.durations.upperBounds.map {
                                .init(upperBound: $0, cumulativeCount: 0)
                            },
                            quantiles: [])))
            ])
        #expect(distribution.quantile(0.5) == nil)
    }

    /// Without quantiles there is no sketch: buckets, count, sum and
    /// extremes only, and no estimate from `quantile(_:)`.
    @Test func aDistributionWithoutQuantilesKeepsTheRestExact() throws {
        var distribution = try Distribution<Double>(buckets: try HistogramBuckets([1, 10]), quantiles: [])
        for value in [0.5, 2, 3, 20] { distribution.record(value) }
        #expect(distribution.quantile(0.5) == nil)
        #expect(
            distribution.snapshot
                == DistributionSnapshot(
                    count: 4, sum: 25.5, min: 0.5, max: 20,
                    buckets: [.init(upperBound: 1, cumulativeCount: 1), .init(upperBound: 10, cumulativeCount: 3)],
                    quantiles: []))
        var withQuantiles = try Distribution<Double>(buckets: try HistogramBuckets([1, 10]))
        for value in [0.5, 2, 3, 20] { withQuantiles.record(value) }
        #expect(withQuantiles.quantile(0.5) != nil)
        #expect(withQuantiles.snapshot.quantiles.count == 3)
    }

    @Test func quantilesAreWithinTheDocumentedRelativeError() throws {
        var generator = SplitMix64(seed: 42)
        for trial in 0..<40 {
            var distribution = try Distribution<Double>(buckets: .durations, quantiles: [0, 0.1, 0.5, 0.9, 0.99, 1])
            var values: [Double] = []
            let count = 1 + Int(generator.next() % 3000)
            for _ in 0..<count {
                let value: Double
                switch generator.next() % 8 {
                case 0: value = 0
                case 1: value = -Double(generator.next() % 1_000_000) / 1000
                case 2: value = Double(generator.next() % 1000) * 1e-9
                default: value = Double(generator.next() % 10_000_000) / 997
                }
                values.append(value)
                distribution.record(value)
            }
            values.sort()
            for q in distribution.quantiles {
                let rank = max(1, Int((q * Double(values.count)).rounded(.up)))
                let exact = values[min(rank, values.count) - 1]
                let estimate = try #require(distribution.quantile(q))
                let error = (estimate - exact).magnitude
                #expect(
                    error <= exact.magnitude * DistributionSnapshot.quantileRelativeError,
                    "trial \(trial): q \(q) estimate \(estimate) exact \(exact) of \(values.count)")
            }
        }
    }

    @Test func nearestRankIsRobustToBinaryRounding() throws {
        // 0.99 × 100 is 99.00000000000001 in binary; the rank must still be 99.
        var distribution = try Distribution<Int>(buckets: .durations, quantiles: [0.99])
        for value in 1...100 { distribution.record(value) }
        // 99 lies in the bin [98, 100) and 100 in [100, 102): the midpoint tells them apart.
        #expect(distribution.quantile(0.99) == 99)
    }

    @Test func singleValueQuantilesAreExact() throws {
        var distribution = try Distribution<Duration>(buckets: .durations)
        distribution.record(.milliseconds(12))
        let snapshot = distribution.snapshot
        #expect(snapshot.quantiles.map(\.quantile) == [0.5, 0.9, 0.99])
        // Clamped to the observed extremes, so a single observation is exact.
        #expect(snapshot.quantiles.allSatisfy { $0.value == 0.012 })
        #expect(snapshot.description == "count=1 sum=0.012 min=0.012 max=0.012 p50=0.012 p90=0.012 p99=0.012")
    }
}
