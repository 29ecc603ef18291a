import Foundation
import MVXMetrics
import MVXMetricsPrometheus
import MVXMetricsTestSupport
import Testing

/// Runs expositions past the real tools: `promtool check metrics` for the text
/// format, `prometheus_client`'s strict OpenMetrics parser for OpenMetrics.
struct ExpositionChecker: Sendable {
    static let shared = ExpositionChecker()

    /// promtool's lint messages about the style of names.
    static let namingAdvice = [
        "should be written in 'snake_case' not 'camelCase'", "should not include type",
        "should not contain abbreviated units",
    ]

    /// Reads a JSON array of OpenMetrics expositions from standard input and
    /// prints, for each, either its parse error or the label values it found.
    static let parserScript = """
        import json, sys
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
        results = []
        for text in json.load(sys.stdin):
            try:
                values = set()
                for family in text_string_to_metric_families(text):
                    for sample in family.samples:
                        values.update(sample.labels.values())
                results.append({"values": sorted(values)})
            except Exception as error:
                results.append({"error": repr(error)})
        print(json.dumps(results))
        """

    /// Writes a refused exposition to a file of its own, for the failure message.
    static func keep(_ exposition: String) -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mvx-refused-\(UUID().uuidString).txt")
        try? Data(exposition.utf8).write(to: file)
        return file.path
    }

    /// Checks each group of snapshots; records an issue for every exposition a
    /// tool refuses, or whose label values do not come back intact.
    /// Locally, without the tools, it prints why and checks nothing; under CI
    /// (`CI=true`) a missing tool is a failure.
    ///
    /// With `allowingNamingAdvice`, promtool's advice on how names are written
    /// (camelCase, a type in a metric name) is allowed: the renderer keeps the
    /// names it is given wherever the format allows them.
    func check(
        _ groups: [[RecorderSnapshot]], allowingNamingAdvice: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        guard RealComponents.isCI || (RealComponents.promtool != nil && RealComponents.python != nil) else {
            print(
                "exposition not checked: promtool or MVX_PYTHON (prometheus_client) missing; bash .ci/run installs them"
            )
            return
        }
        let promtool = try #require(
            RealComponents.promtool, "promtool is required (bash .ci/run installs it)", sourceLocation: sourceLocation)
        let python = try #require(
            RealComponents.python, "a Python with prometheus_client (MVX_PYTHON) is required",
            sourceLocation: sourceLocation)
        var openMetrics: [String] = []
        for snapshots in groups {
            let text = PrometheusExposition(format: .text).render(snapshots)
            let run = try await runTool(promtool, ["check", "metrics"], input: text)
            let complaints = run.errors.split(separator: "\n").filter { line in
                !(allowingNamingAdvice && Self.namingAdvice.contains { line.contains($0) })
            }
            // promtool exits 1 on a parse error and 3 on lint problems.
            if !((run.status == 0 || (run.status == 3 && allowingNamingAdvice)) && complaints.isEmpty) {
                Issue.record(
                    "promtool (\(run.status)): \(complaints); the exposition is in \(Self.keep(text))",
                    sourceLocation: sourceLocation)
            }
            openMetrics.append(PrometheusExposition(format: .openMetrics).render(snapshots))
        }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: openMetrics), as: UTF8.self)
        let run = try await runTool(python, ["-c", Self.parserScript], input: input)
        try #require(run.status == 0, "the parser script failed: \(run.errors)", sourceLocation: sourceLocation)
        let results = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[String: Any]] ?? []
        try #require(results.count == groups.count, sourceLocation: sourceLocation)
        for (index, (result, snapshots)) in zip(results, groups).enumerated() {
            if let error = result["error"] {
                Issue.record(
                    "the OpenMetrics parser refused exposition \(index): \(error); it is in \(Self.keep(openMetrics[index]))",
                    sourceLocation: sourceLocation)
                continue
            }
            let found = Set(result["values"] as? [String] ?? [])
            let expected = Set(
                snapshots.flatMap { snapshot in
                    [snapshot.entityID]
                        + snapshot.metrics.flatMap { metric in
                            metric.dimensions.flatMap { Array($0.labels.values) + [$0.partOf?.value].compactMap { $0 } }
                        }
                })
            let missing = expected.subtracting(found)
            #expect(
                missing.isEmpty, "label values not read back: \(missing.map(\.debugDescription))",
                sourceLocation: sourceLocation)
        }
    }
}
