import DocumentStorageExample
import Foundation
import MVXMetricsPrometheus
import MVXMetricsTestKit
import MVXMetricsTestSupport
import TCPStreamExample
import Testing

/// The alerting rules checked by the real tool: `promtool check rules`
/// accepts them, and `promtool test rules`, fed the series the exposition
/// writes, fires exactly the alerts of the checks that fail in process.
@Suite struct AlertingRulesRealToolChecks {
    static let checks: [HealthCheck] = [
        .ratio(
            "document saves fail below 5%", metric: "document_storage.save.attempts", numerator: ["failure_total"],
            below: 0.05),
        .ratio(
            "tcp reads time out or fail below 5%", metric: "tcp_stream.read.attempts",
            numerator: ["timeout_total", "failure_total"], below: 0.05, recorder: "tcp-stream"),
        .value("fewer than 20 saves", metric: "document_storage.save.duration", dimension: "seconds", below: 20),
        .value("under 100 bytes received", metric: "tcp_stream.received.bytes", dimension: "total", below: 100),
    ]

    /// One process's recorders: `saves` document saves of which `failures`
    /// fail, and TCP reads of 16 bytes each.
    private static func target(
        saves: Int, failures: Int, reads: [TCPStreamOutcome]
    ) throws -> [RecorderSnapshot] {
        let documents = InlineMetricsRecorder(entityID: "document-storage")
        for metric in try DocumentStorageMetrics.all() { try documents.register(metric) }
        for index in 0..<saves {
            documents.record(
                DocumentSaveAttempt(
                    outcome: index < failures ? .failure : .success, contentSize: 10, duration: .milliseconds(3)))
        }
        let tcp = InlineMetricsRecorder(entityID: "tcp-stream")
        for metric in try TCPStreamMetrics.all() { try tcp.register(metric) }
        for outcome in reads {
            tcp.record(TCPStreamReadAttempt(outcome: outcome, bytesReceived: 16, duration: .microseconds(50)))
        }
        return [documents.snapshot(), tcp.snapshot()]
    }

    /// Healthy reads and saves but too many of them; failing saves and
    /// reads; nothing yet (every ratio passes with a denominator of 0).
    private static func targets() throws -> [(instance: String, snapshots: [RecorderSnapshot])] {
        [
            ("busy", try target(saves: 25, failures: 1, reads: Array(repeating: .success, count: 4))),
            (
                "failing",
                try target(
                    saves: 10, failures: 2,
                    reads: [
                        .success, .success, .timeout, .failure, .success,
                        .success, .success, .success,
                    ])
            ),
            ("idle", try target(saves: 0, failures: 0, reads: [])),
        ]
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "alerting-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func checkRules(_ yaml: String, _ promtool: String) async throws -> ToolRun {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("rules.yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return try await runTool(promtool, ["check", "rules", file.path])
    }

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.promtool),
            "promtool is not installed (bash .ci/run installs it)"))
    func promtoolAcceptsTheRules() async throws {
        let promtool = try #require(RealComponents.promtool, "promtool is required under CI")
        let snapshots = try Self.targets()[0].snapshots + [try Fixtures.hostile()]
        let hostile = HealthCheck.value(
            "it's {{ bad }} \"quoted\"\nand \\ ünïcödé", metric: "hostile.routes", dimension: "total", below: 1,
            recorder: #"entity "quoted" \ and ünïcödé"#)
        let gauge = HealthCheck.value("stock", metric: "hostile.stock", dimension: "value", below: 1)
        let rules = PrometheusAlertingRules(
            pendingFor: .seconds(90), labels: ["severity": "it's {{ $labels.instance }}"])
        for yaml in [
            try rules.render(Self.checks + [hostile, gauge], snapshots: snapshots),
            try PrometheusAlertingRules(groupingLabels: []).render(Self.checks, snapshots: snapshots),
            try PrometheusAlertingRules().render([], snapshots: snapshots),
        ] {
            let run = try await checkRules(yaml, promtool)
            #expect(run.status == 0, "promtool: \(run.output)\(run.errors)\n\(yaml)")
        }
        let run = try await checkRules(
            try rules.render(Self.checks + [hostile, gauge], snapshots: snapshots), promtool)
        #expect(run.output.contains("SUCCESS: 6 rules found"), "\(run.output)")
    }

    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.promtool),
            "promtool is not installed (bash .ci/run installs it)"))
    func promtoolRejectsBrokenRules() async throws {
        let promtool = try #require(RealComponents.promtool, "promtool is required under CI")
        let snapshots = try Self.targets()[0].snapshots
        let yaml = try PrometheusAlertingRules().render(Self.checks, snapshots: snapshots)
        // An unbalanced expression, an unescaped template, a duplicate group.
        let broken = [
            yaml.replacing("> 0) >= 0.05", with: "> 0 >= 0.05"),
            yaml.replacing("Health check failed: document", with: "{{ bad }} document"),
            yaml + "  - name: 'mvx-metrics'\n    rules: []\n",
        ]
        for text in broken {
            #expect(text != yaml)
            let run = try await checkRules(text, promtool)
            #expect(run.status == 1, "promtool accepted broken rules:\n\(text)")
        }
    }

    /// The same checks in process and in Prometheus: each target's
    /// exposition is the input, and the alerts expected are the checks its
    /// snapshots fail in process. A rule with another threshold fails the
    /// test, so the comparison is real.
    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.promtool),
            "promtool is not installed (bash .ci/run installs it)"))
    func prometheusAlertsExactlyWhenTheCheckFailsInProcess() async throws {
        let promtool = try #require(RealComponents.promtool, "promtool is required under CI")
        let targets = try Self.targets()
        let rules = PrometheusAlertingRules(pendingFor: .seconds(60), labels: ["severity": "warning"])
        let yaml = try rules.render(Self.checks, snapshots: targets[0].snapshots)
        var failing: [String: [String]] = [:]
        for target in targets {
            let report = HealthReport(checks: Self.checks, snapshots: target.snapshots)
            for (check, result) in zip(Self.checks, report.checks) where !result.passed {
                failing[check.name, default: []].append(target.instance)
            }
        }
        // The fixture exercises both sides of every check.
        #expect(
            failing == [
                "document saves fail below 5%": ["failing"], "tcp reads time out or fail below 5%": ["failing"],
                "fewer than 20 saves": ["busy"], "under 100 bytes received": ["failing"],
            ])
        let tests = try Self.unitTests(targets, yaml: yaml)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try yaml.write(to: folder.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        try tests.write(to: folder.appendingPathComponent("tests.yml"), atomically: true, encoding: .utf8)
        let run = try await runTool(promtool, ["test", "rules", folder.appendingPathComponent("tests.yml").path])
        #expect(run.status == 0, "promtool test rules: \(run.output)\(run.errors)\n\(tests)")

        // Another threshold, the same expectations: promtool must notice.
        var loose = Self.checks
        loose[0] = .ratio(
            "document saves fail below 5%", metric: "document_storage.save.attempts", numerator: ["failure_total"],
            below: 0.5)
        try rules.render(loose, snapshots: targets[0].snapshots).write(
            to: folder.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        let mismatch = try await runTool(
            promtool, ["test", "rules", folder.appendingPathComponent("tests.yml").path])
        #expect(mismatch.status == 1, "promtool test rules passed rules that disagree with the checks")
    }

    /// A `promtool test rules` file: every target's exposition as input
    /// series (with the `instance` and `job` a scrape adds), and for every
    /// check the alerts of the targets that fail it in process, with the
    /// annotations the rules file gives them.
    private static func unitTests(
        _ targets: [(instance: String, snapshots: [RecorderSnapshot])], yaml: String
    ) throws -> String {
        var lines = [
            "rule_files: [rules.yml]", "evaluation_interval: 1m", "tests:", "  - interval: 1m", "    input_series:",
        ]
        for target in targets {
            let text = PrometheusExposition(format: .text).render(target.snapshots)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let space = try #require(line.lastIndex(of: " "))
                var series = String(line[..<space])
                let value = String(line[line.index(after: space)...])
                let scrape = #"instance="\#(target.instance)",job="app""#
                if series.hasSuffix("}") {
                    series.removeLast()
                    series += "," + scrape + "}"
                } else {
                    series += "{" + scrape + "}"
                }
                lines += ["      - series: '\(series)'", "        values: '\(value) \(value) \(value)'"]
            }
        }
        lines.append("    alert_rule_test:")
        for check in checks {
            let name = try #require(ruleLine(yaml, check: check.name, key: "alert"))
            let description = try #require(ruleLine(yaml, check: check.name, key: "description"))
            lines += ["      - eval_time: 2m", "        alertname: \(name)"]
            var alerts: [String] = []
            for target in targets {
                let result = check.run(target.snapshots)
                guard !result.passed, let value = result.value else { continue }
                alerts += [
                    "          - exp_labels:",
                    "              health_check: '\(check.name)'",
                    "              instance: '\(target.instance)'",
                    "              job: 'app'",
                    "              severity: 'warning'",
                    "            exp_annotations:",
                    "              summary: 'Health check failed: \(check.name)'",
                    "              description: "
                        + description.replacing("{{ $value }}", with: PrometheusExposition.formatted(value)),
                ]
            }
            lines.append(alerts.isEmpty ? "        exp_alerts: []" : "        exp_alerts:")
            lines += alerts
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The value of `key` (as written, quoted) in the rule of the check
    /// named `check`.
    private static func ruleLine(_ yaml: String, check: String, key: String) -> String? {
        let lines = yaml.split(separator: "\n").map(String.init)
        guard let label = lines.firstIndex(of: "          health_check: '\(check)'") else { return nil }
        guard let start = lines[..<label].lastIndex(where: { $0.hasPrefix("      - alert: ") }) else { return nil }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("      - alert: ") || !$0.hasPrefix("  ") }
        for line in lines[start..<(end ?? lines.count)] {
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            if trimmed.hasPrefix("\(key): ") { return String(trimmed.dropFirst(key.count + 2)) }
        }
        return nil
    }
}
