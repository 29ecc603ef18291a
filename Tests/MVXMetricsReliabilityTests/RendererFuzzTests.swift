import Foundation
import MVXMetrics
import MVXMetricsPrometheus
import MVXMetricsTestSupport
import PropertyBased
import Testing

/// A bounded fuzz pass over the exposition renderers: random snapshots with
/// names, labels and help from every Unicode class, and hostile numbers, are
/// rendered in both formats; promtool and the strict OpenMetrics parser must
/// accept every output and read every label value back intact.
///
/// The coverage-guided libFuzzer harnesses (`-sanitize=fuzzer`) need entry
/// points outside the test bundle: they are the package in `Fuzz/`, run by
/// `.ci/fuzz`. This property test checks the renderers with shrinking, inside
/// `swift test`.
@Suite(.onAThreadOfItsOwn) struct RendererFuzzTests {
    static var text: Generator<String, some SendableSequenceType> { HostileText.string(of: 0...12) }
    static var counter: Generator<UInt64, some SendableSequenceType> { Gen<UInt64>.value(in: 0...UInt64.max) }
    static var number: Generator<Double, some SendableSequenceType> {
        zip(Gen.int(in: 0...9), Gen.double(in: -1e12...1e12)).map { drawn -> Double in
            let (pick, value) = drawn
            return [Double.nan, .infinity, -.infinity, 0, -0.0, .greatestFiniteMagnitude, .leastNonzeroMagnitude][
                pick % 7] + (pick < 7 ? 0 : value)
        }
    }

    /// A dimension of any kind, with up to two hostile labels, a third of
    /// them the part of a (hostile) whole.
    static var dimension: Generator<MVXMetrics.MetricDimension, some SendableSequenceType> {
        zip(plainDimension, Gen.int(in: 0...2), zip(text, text, text)).map { drawn -> MVXMetrics.MetricDimension in
            var (dimension, pick, part) = drawn
            // A part's label is not one of its own labels (registration refuses that).
            if pick == 0, dimension.labels[part.1] == nil {
                dimension.partOf = .init(of: part.0, label: part.1, value: part.2)
            }
            return dimension
        }
    }

    static var plainDimension: Generator<MVXMetrics.MetricDimension, some SendableSequenceType> {
        zip(Gen.int(in: 0...3), text, zip(text, text).array(of: 0...2), zip(counter, number)).map {
            drawn -> MVXMetrics.MetricDimension in
            let (kind, name, labels, values) = drawn
            let (count, number) = values
            let labelSet = Dictionary(labels.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
            let value: DimensionValue =
                switch kind {
                case 0: .counter(count)
                case 1: .sum(number.isFinite ? abs(number) : 0)
                case 2: .gauge(number)
                default: .distribution(RendererFuzzTests.distribution(seed: count))
                }
            return MVXMetrics.MetricDimension(name, labels: labelSet, value: value)
        }
    }

    static var metric: Generator<MetricSnapshot, some SendableSequenceType> {
        zip(text, text.optional, dimension.array(of: 0...4)).map { drawn in
            MetricSnapshot(name: drawn.0, help: drawn.1, dimensions: drawn.2)
        }
    }

    static var recorder: Generator<RecorderSnapshot, some SendableSequenceType> {
        zip(text, metric.array(of: 0...4), Gen<UInt64>.value(in: 0...1000)).map { drawn in
            RecorderSnapshot(
                entityID: drawn.0, takenAt: Date(timeIntervalSince1970: 0), metrics: drawn.1,
                statistics: RecorderStatistics(accepted: drawn.2, processed: drawn.2))
        }
    }

    /// A consistent distribution (as a recorder makes them) from a seed.
    static func distribution(seed: UInt64) -> DistributionSnapshot {
        var generator = SplitMix64(seed: seed)
        let values = (0..<Int(seed % 20)).map { _ in Double(Int64(bitPattern: generator.next()) % 1_000_000) / 1000 }
            .sorted()
        let bounds = Set((0..<Int(seed % 5)).map { _ in Double(Int64(bitPattern: generator.next()) % 10_000) / 10 })
            .sorted()
        return DistributionSnapshot(
            count: UInt64(values.count), sum: values.reduce(0, +), min: values.first, max: values.last,
            buckets: bounds.map { bound in
                .init(upperBound: bound, cumulativeCount: UInt64(values.count { $0 <= bound }))
            },
            quantiles: values.isEmpty ? [] : [.init(quantile: 0.5, value: values[(values.count - 1) / 2])])
    }

    @Test func promtoolAndTheOpenMetricsParserAcceptEveryRendering() async throws {
        let iterations = Int(ProcessInfo.processInfo.environment["MVX_FUZZ_ITERATIONS"] ?? "") ?? 200
        let groups = Collected<[[RecorderSnapshot]]>([])
        await propertyCheck(count: iterations, input: Self.recorder.array(of: 1...3)) { snapshots in
            // Rendering is total and deterministic for any snapshot.
            let text = PrometheusExposition(format: .text).render(snapshots)
            #expect(PrometheusExposition(format: .text).render(snapshots) == text)
            let openMetrics = PrometheusExposition(format: .openMetrics).render(snapshots)
            #expect(openMetrics.hasSuffix("# EOF\n"))
            groups.update { $0.append(snapshots) }
        }
        print(
            "renderer fuzz pass: \(groups.value.count) random snapshot sets, checked by promtool and the OpenMetrics parser"
        )
        try await ExpositionChecker.shared.check(groups.value, allowingNamingAdvice: true)
    }
}
