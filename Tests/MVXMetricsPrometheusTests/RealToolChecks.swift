import Foundation
import MVXMetricsPrometheus
import MVXMetricsTestKit
import MVXMetricsTestSupport
import Testing

/// The exposition checked by real tools: `promtool` and `prometheus_client`'s
/// parsers. `.ci/run` installs them; see `RealComponents`.
@Suite struct RealToolChecks {
    private func fixtures() throws -> [RecorderSnapshot] {
        [try Fixtures.documentStorage(), try Fixtures.tcpStream(), try Fixtures.hostile()]
    }

    // MARK: promtool

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.promtool),
            "promtool is not installed (bash .ci/run installs it)"))
    func promtoolAcceptsTheExpositionOfTheExamples() async throws {
        let promtool = try #require(RealComponents.promtool, "promtool is required under CI")
        for snapshots in [
            [try Fixtures.documentStorage()], [try Fixtures.tcpStream()], [try Fixtures.hostile()], try fixtures(),
        ] {
            let text = PrometheusExposition(format: .text).render(snapshots)
            let run = try await runTool(promtool, ["check", "metrics"], input: text)
            #expect(run.status == 0, "promtool: \(run.errors)\n\(text)")
            #expect(run.errors.isEmpty, "promtool reported: \(run.errors)")
        }
    }

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.promtool),
            "promtool is not installed (bash .ci/run installs it)"))
    func promtoolRejectsABrokenExposition() async throws {
        let promtool = try #require(RealComponents.promtool, "promtool is required under CI")
        let text = PrometheusExposition(format: .text).render(try Fixtures.hostile())
        // Undo the escaping of one quote: the check must notice.
        let broken = text.replacingOccurrences(of: #"say \"hello\""#, with: #"say "hello""#)
        #expect(broken != text)
        let run = try await runTool(promtool, ["check", "metrics"], input: broken)
        #expect(run.status == 1, "promtool accepted a broken exposition")
        #expect(run.errors.contains("parsing error"))
        // And a duplicate TYPE line, which our renderer never writes.
        let duplicated = text + "# TYPE hostile_routes_total counter\n"
        #expect(try await runTool(promtool, ["check", "metrics"], input: duplicated).status == 1)
    }

    // MARK: prometheus_client

    /// Parses exposition text from standard input with `prometheus_client` and
    /// prints every sample as JSON: `[name, {labels}, value as text]`.
    private static let parserScript = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families as classic
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
        parse = openmetrics if sys.argv[1] == "openmetrics" else classic
        samples = []
        for family in parse(sys.stdin.read()):
            for sample in family.samples:
                samples.append([sample.name, sample.labels, repr(float(sample.value))])
        print(json.dumps(samples))
        """

    private struct ParsedSample: Hashable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    private func parse(_ text: String, _ parser: String) async throws -> [ParsedSample] {
        let python = try #require(
            RealComponents.python, "a Python with prometheus_client (MVX_PYTHON) is required under CI")
        let run = try await runTool(python, ["-c", Self.parserScript, parser], input: text)
        try #require(run.status == 0, "prometheus_client (\(parser)) rejected the exposition: \(run.errors)")
        let decoded = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[Any]] ?? []
        return decoded.map { entry in
            ParsedSample(
                name: entry[0] as? String ?? "", labels: entry[1] as? [String: String] ?? [:],
                value: Double(entry[2] as? String ?? "") ?? .nan)
        }
    }

    /// What the snapshot says each sample is, by the documented mapping;
    /// with `created`, OpenMetrics' `_created` samples too.
    private func expectedSamples(_ snapshots: [RecorderSnapshot], created: Bool = false) -> Set<ParsedSample> {
        var expected: Set<ParsedSample> = []
        for snapshot in snapshots {
            let start = (snapshot.startedAt.timeIntervalSince1970 * 1000).rounded() / 1000
            for metric in snapshot.metrics + [snapshot.statistics.metricSnapshot()] {
                // A part is a sample of its whole's family, labelled by the
                // part; the whole is left out.
                let wholes = Set(
                    metric.dimensions.compactMap { part in
                        part.partOf.map { MetricDimension($0.whole, labels: part.labels, value: .counter(0)).key }
                    })
                for dimension in metric.dimensions where dimension.partOf != nil || !wholes.contains(dimension.key) {
                    var labels = [PrometheusExposition().entityLabel: snapshot.entityID]
                    var dimensionLabels = dimension.labels
                    if let part = dimension.partOf { dimensionLabels[part.label] = part.value }
                    for (name, value) in dimensionLabels { labels[PrometheusNaming.sanitizedLabelName(name)] = value }
                    for (name, value) in snapshot.commonLabels
                    where labels[PrometheusNaming.sanitizedLabelName(name)] == nil {
                        labels[PrometheusNaming.sanitizedLabelName(name)] = value
                    }
                    let isCounter: Bool
                    switch dimension.value {
                    case .counter, .sum: isCounter = true
                    default: isCounter = false
                    }
                    let base = PrometheusNaming.baseName(
                        metric: metric.name, dimension: dimension.partOf?.whole ?? dimension.name,
                        unit: dimension.unit?.name, isCounter: isCounter)
                    if created, dimension.value.isCounterOrDistribution {
                        expected.insert(.init(name: base + "_created", labels: labels, value: start))
                    }
                    switch dimension.value {
                    case .counter(let count):
                        expected.insert(.init(name: base + "_total", labels: labels, value: Double(count)))
                    case .sum(let sum): expected.insert(.init(name: base + "_total", labels: labels, value: sum))
                    case .gauge(let value?): expected.insert(.init(name: base, labels: labels, value: value))
                    case .gauge(nil): break  // an unset gauge has no sample
                    case .distribution(let distribution):
                        for bucket in distribution.buckets {
                            var bucketLabels = labels
                            bucketLabels["le"] = PrometheusExposition.formatted(bucket.upperBound)
                            expected.insert(
                                .init(
                                    name: base + "_bucket", labels: bucketLabels, value: Double(bucket.cumulativeCount))
                            )
                        }
                        var infinite = labels
                        infinite["le"] = "+Inf"
                        expected.insert(
                            .init(name: base + "_bucket", labels: infinite, value: Double(distribution.count)))
                        expected.insert(.init(name: base + "_sum", labels: labels, value: distribution.sum))
                        expected.insert(.init(name: base + "_count", labels: labels, value: Double(distribution.count)))
                    }
                }
            }
        }
        return expected
    }

    /// With UTF-8 names negotiated, both official parsers read the quoted
    /// names, and every sample is the underscores rendering's with its dots kept.
    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.python),
            "no Python with prometheus_client (MVX_PYTHON); bash .ci/run sets it"),
        arguments: [(PrometheusFormat.text, "classic"), (.openMetrics, "openmetrics")])
    func utf8NamesAreReadBackByTheOfficialParsers(format: PrometheusFormat, parser: String) async throws {
        var snapshots = [try Fixtures.documentStorage(), try Fixtures.tcpStream()]
        snapshots[0].commonLabels = ["service.name": "orders"]
        let utf8 = try await parse(
            PrometheusExposition(format: format, nameEscaping: .allowUTF8).render(snapshots), parser)
        let underscores = try await parse(PrometheusExposition(format: format).render(snapshots), parser)
        #expect(
            utf8.contains { $0.name == "document_storage.save.attempts_total" && $0.labels["service.name"] == "orders" }
        )
        let undotted = utf8.map { sample in
            ParsedSample(
                name: sample.name.replacingOccurrences(of: ".", with: "_"),
                labels: Dictionary(
                    uniqueKeysWithValues: sample.labels.map {
                        ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value)
                    }),
                value: sample.value)
        }
        #expect(utf8.count == underscores.count)
        #expect(Set(undotted) == Set(underscores))
    }

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.python),
            "no Python with prometheus_client (MVX_PYTHON); bash .ci/run sets it"))
    func theStrictOpenMetricsParserReadsBackExactlyTheSnapshot() async throws {
        var snapshots = [try Fixtures.documentStorage(), try Fixtures.tcpStream(), try Fixtures.hostile()]
        // Common labels, one of them losing to the entity label.
        snapshots[1].commonLabels = ["service": "shop", "deployment.environment": "test", "entity_id": "hidden"]
        let text = PrometheusExposition(format: .openMetrics).render(snapshots)
        let parsed = try await parse(text, "openmetrics")
        #expect(Set(parsed).count == parsed.count, "a series appears twice")
        #expect(Set(parsed) == expectedSamples(snapshots, created: true))
    }

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.python),
            "no Python with prometheus_client (MVX_PYTHON); bash .ci/run sets it"))
    func theClassicParserReadsBackTheTextFormatWithoutDuplicates() async throws {
        let snapshots = [try Fixtures.documentStorage(), try Fixtures.tcpStream(), try Fixtures.hostile()]
        let parsed = try await parse(PrometheusExposition(format: .text).render(snapshots), "classic")
        // The classic parser is lenient and keeps duplicates: check them ourselves.
        let series = parsed.map { [$0.name] + $0.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } }
        #expect(Set(series).count == series.count, "a series appears twice")
        #expect(Set(parsed) == expectedSamples(snapshots))
    }

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.python),
            "no Python with prometheus_client (MVX_PYTHON); bash .ci/run sets it"))
    func theOpenMetricsParserRejectsABrokenExposition() async throws {
        let python = try #require(RealComponents.python)
        let text = PrometheusExposition(format: .openMetrics).render(try Fixtures.documentStorage())
        let withoutEOF = String(text.dropLast("# EOF\n".count))
        #expect(try await runTool(python, ["-c", Self.parserScript, "openmetrics"], input: withoutEOF).status != 0)
        let withoutInf =
            text.split(separator: "\n").filter { !$0.contains("le=\"+Inf\"") }.joined(separator: "\n") + "\n"
        #expect(try await runTool(python, ["-c", Self.parserScript, "openmetrics"], input: withoutInf).status != 0)
    }
}

extension DimensionValue {
    fileprivate var isCounterOrDistribution: Bool {
        switch self {
        case .counter, .sum, .distribution: true
        case .gauge: false
        }
    }
}
