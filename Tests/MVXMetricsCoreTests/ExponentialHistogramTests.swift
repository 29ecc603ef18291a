import Foundation
import MVXMetricsCore
import MVXMetricsTestSupport
import Testing

@Suite struct ExponentialHistogramTests {
    /// OpenTelemetry's definition, ⌈log2(v)·2^s⌉ − 1, for values not within
    /// 10⁻⁹ of a boundary (where a logarithm cannot be trusted either).
    private static func referenceIndex(of value: Double, scale: Int) -> Int? {
        let position = log2(value) * Double(1 << scale)
        guard abs(position - position.rounded()) > 1e-9 else { return nil }
        return Int(position.rounded(.up)) - 1
    }

    /// The bucket index a fresh histogram (scale 8) gives `value`.
    private static func index(of value: Double) throws -> Int {
        var histogram = try ExponentialHistogram<Double>()
        histogram.record(value)
        return value > 0 ? histogram.positive.offset : histogram.negative.offset
    }

    private static func logUniform(_ count: Int, from low: Double, to high: Double, seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            exp(Double.random(in: log(low)...log(high), using: &generator))
        }
    }

    @Test func anExactPowerOfTwoClosesItsBucket() throws {
        for exponent in [-1022, -20, -1, 0, 1, 10, 1023] {
            let value = Double(sign: .plus, exponent: exponent, significand: 1)
            #expect(try Self.index(of: value) == (exponent << 8) - 1, "2^\(exponent)")
            #expect(try Self.index(of: value.nextUp) == exponent << 8, "just above 2^\(exponent)")
        }
    }

    @Test func indexesMatchTheLogarithmDefinition() throws {
        for value in Self.logUniform(20_000, from: 1e-300, to: 1e300, seed: 7) {
            guard let expected = Self.referenceIndex(of: value, scale: 8) else { continue }
            #expect(try Self.index(of: value) == expected, "\(value)")
            #expect(try Self.index(of: -value) == expected, "\(-value)")
        }
    }

    @Test func zeroSubnormalsAndValuesUnderTheThresholdGoToTheZeroBucket() throws {
        var histogram = try ExponentialHistogram<Double>(zeroThreshold: 0.001)
        for value in [0, -0.0, 0.0005, -0.001, Double.leastNonzeroMagnitude, 0.002] { histogram.record(value) }
        #expect(histogram.zeroCount == 5)
        #expect(histogram.positive.totalCount == 1)
        #expect(histogram.record(.nan) == .rejected)
        #expect(histogram.record(-.infinity) == .rejected)
        #expect(histogram.count == 6)
    }

    @Test func quantilesStayWithinTheDocumentedBound() throws {
        for seed: UInt64 in 1...20 {
            var generator = SplitMix64(seed: seed)
            let count = Int.random(in: 1...3_000, using: &generator)
            var values = Self.logUniform(count, from: 1e-4, to: 1e4, seed: seed)
            for index in values.indices where Bool.random(using: &generator) && seed.isMultiple(of: 2) {
                values[index].negate()
            }
            var histogram = try ExponentialHistogram<Double>()
            for value in values { histogram.record(value) }
            let sorted = values.sorted()
            let bound = histogram.relativeError * (1 + 1e-12)
            for q in [0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1] {
                let rank = max(1, Int((q * Double(count)).rounded(.up)))
                let exact = sorted[min(rank, count) - 1]
                let estimate = try #require(histogram.quantile(q))
                #expect(abs(estimate - exact) <= bound * abs(exact), "seed \(seed) q \(q): \(estimate) vs \(exact)")
            }
            #expect(histogram.positive.counts.count <= 160 && histogram.negative.counts.count <= 160)
        }
    }

    @Test func theScaleFallsOnlyAsFarAsTheRangeNeeds() throws {
        // A millisecond to ten seconds: 13.3 powers of two fit 160 buckets at scale 3.
        var histogram = try ExponentialHistogram<Duration>()
        for value in Self.logUniform(5_000, from: 0.001, to: 10, seed: 3) {
            histogram.record(.nanoseconds(Int64(value * 1e9)))
        }
        #expect(histogram.scale == 3)
        #expect(abs(histogram.relativeError - 0.0433) < 0.0001)
        var narrow = try ExponentialHistogram<Double>()
        for value in Self.logUniform(1_000, from: 1, to: 1.5, seed: 4) { narrow.record(value) }
        #expect(narrow.scale == 8)
    }

    @Test func downscalingKeepsEveryCount() throws {
        let values = Self.logUniform(10_000, from: 1e-3, to: 1e3, seed: 11)
        var small = try ExponentialHistogram<Double>()
        var large = try ExponentialHistogram<Double>(maximumBucketCount: 16_384)
        for value in values {
            small.record(value)
            large.record(value)
        }
        #expect(large.scale == 8)
        #expect(small.scale < 8)
        #expect(small.positive.totalCount == 10_000)
        // Downscaling the fine histogram by merging gives the coarse one exactly.
        var coarsened = try ExponentialHistogram<Double>()
        try coarsened.merge(large)
        #expect(coarsened.scale == small.scale)
        #expect(coarsened.positive == small.positive)
    }

    @Test func theWidestRangeFitsTwoBuckets() throws {
        var histogram = try ExponentialHistogram<Double>(maximumBucketCount: 2)
        for value in [Double.leastNormalMagnitude, 1, .greatestFiniteMagnitude, -.greatestFiniteMagnitude] {
            histogram.record(value)
        }
        #expect(histogram.scale >= -10)
        #expect(histogram.positive.counts.count <= 2)
        #expect(histogram.positive.totalCount == 3)
        #expect(histogram.negative.totalCount == 1)
    }

    @Test func mergingIsRecordingEveryValueInOne() throws {
        for seed: UInt64 in 1...10 {
            var generator = SplitMix64(seed: seed)
            let values = Self.logUniform(2_000, from: 1e-6, to: 1e6, seed: seed).map {
                Bool.random(using: &generator) ? -$0 : $0
            }
            let split = Int.random(in: 0...values.count, using: &generator)
            var first = try ExponentialHistogram<Double>()
            var second = try ExponentialHistogram<Double>()
            var all = try ExponentialHistogram<Double>()
            for value in values[..<split] { first.record(value) }
            for value in values[split...] { second.record(value) }
            for value in values { all.record(value) }
            var merged = first
            try merged.merge(second)
            #expect(merged.scale == all.scale, "seed \(seed)")
            #expect(merged.positive == all.positive)
            #expect(merged.negative == all.negative)
            #expect(merged.count == all.count && merged.zeroCount == all.zeroCount)
            #expect(merged.min == all.min && merged.max == all.max)
            #expect(abs(merged.sum - all.sum) <= 1e-9 * values.map(abs).reduce(0, +))
            var reversed = second
            try reversed.merge(first)
            #expect(reversed.positive == merged.positive && reversed.scale == merged.scale)
        }
    }

    @Test func aHistogramWithAnotherZeroThresholdDoesNotMerge() throws {
        var histogram = try ExponentialHistogram<Double>()
        #expect(throws: MetricsError.self) { try histogram.merge(try ExponentialHistogram<Double>(zeroThreshold: 1)) }
    }

    @Test(arguments: [(1, 0.0), (16_385, 0.0), (160, -1.0), (160, Double.infinity)])
    func anInvalidConfigurationIsRefused(maximumBucketCount: Int, zeroThreshold: Double) {
        #expect(throws: MetricsError.self) {
            try ExponentialHistogram<Double>(maximumBucketCount: maximumBucketCount, zeroThreshold: zeroThreshold)
        }
    }

    @Test func negativeZeroAndPositiveValuesAreOrdered() throws {
        var histogram = try ExponentialHistogram<Double>(quantiles: [0, 0.5, 1])
        #expect(histogram.quantile(0.5) == nil)
        for value in [-3.0, 0, 2] { histogram.record(value) }
        #expect(histogram.quantile(0) == -3)
        #expect(histogram.quantile(0.5) == 0)
        #expect(histogram.quantile(1) == 2)
        guard case .distribution(let snapshot) = histogram.dimensions.first?.value else {
            Issue.record("not a distribution")
            return
        }
        #expect(snapshot.count == 3 && snapshot.sum == -1 && snapshot.min == -3 && snapshot.max == 2)
        #expect(snapshot.quantiles.map(\.value) == [-3, 0, 2])
    }
}
