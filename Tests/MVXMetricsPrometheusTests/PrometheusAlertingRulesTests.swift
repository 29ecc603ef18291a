import Foundation
import MVXMetricsPrometheus
import MVXMetricsTestKit
import Testing

/// Health checks declared in code as Prometheus alerting rules: the exact
/// file, the series names the exposition uses, and what is refused.
@Suite struct PrometheusAlertingRulesTests {
    static let checks: [HealthCheck] = [
        .ratio(
            "document saves fail below 5%", metric: "document_storage.save.attempts", numerator: ["failure_total"],
            below: 0.05),
        .ratio(
            "tcp reads time out or fail below 5%", metric: "tcp_stream.read.attempts",
            numerator: ["timeout_total", "failure_total"], below: 0.05, recorder: "tcp-stream"),
        .value("saves stay few", metric: "document_storage.save.duration", dimension: "seconds", below: 1e6),
        .value(
            "received bytes stay below a gigabyte", metric: "tcp_stream.received.bytes", dimension: "total", below: 1e9),
        HealthCheck("no events dropped") { _ in .init(passed: true, detail: "none") },
    ]

    @Test func theRulesFileIsExact() throws {
        let snapshots = [try Fixtures.documentStorage(), try Fixtures.tcpStream()]
        let yaml = try PrometheusAlertingRules(pendingFor: .seconds(300), labels: ["severity": "warning"])
            .render(Self.checks, snapshots: snapshots)
        let expected = """
            # Alerting rules made by MVX Metrics from the health checks declared in code:
            # each alert fires when its check fails in process.
            groups:
              - name: 'mvx-metrics'
                rules:
                  - alert: 'DocumentSavesFailBelow5'
                    expr: 'sum by (instance, job) (document_storage_save_attempts_total{outcome="failure"}) / (sum by (instance, job) (document_storage_save_attempts_total) > 0) >= 0.05'
                    for: 5m
                    labels:
                      health_check: 'document saves fail below 5%'
                      severity: 'warning'
                    annotations:
                      summary: 'Health check failed: document saves fail below 5%'
                      description: 'failure_total / total of document_storage.save.attempts is {{ $value }}, not below 0.05.'
                  - alert: 'TcpReadsTimeOutOrFailBelow5'
                    expr: '(sum by (instance, job) (tcp_stream_read_attempts_total{outcome="timeout", entity_id="tcp-stream"}) + sum by (instance, job) (tcp_stream_read_attempts_total{outcome="failure", entity_id="tcp-stream"})) / (sum by (instance, job) (tcp_stream_read_attempts_total{entity_id="tcp-stream"}) > 0) >= 0.05'
                    for: 5m
                    labels:
                      health_check: 'tcp reads time out or fail below 5%'
                      severity: 'warning'
                    annotations:
                      summary: 'Health check failed: tcp reads time out or fail below 5%'
                      description: '(timeout_total + failure_total) / total of tcp_stream.read.attempts (recorder tcp-stream) is {{ $value }}, not below 0.05.'
                  - alert: 'SavesStayFew'
                    expr: 'sum by (instance, job) (document_storage_save_duration_seconds_count) >= 1000000'
                    for: 5m
                    labels:
                      health_check: 'saves stay few'
                      severity: 'warning'
                    annotations:
                      summary: 'Health check failed: saves stay few'
                      description: 'seconds of document_storage.save.duration is {{ $value }}, not below 1000000.'
                  - alert: 'ReceivedBytesStayBelowAGigabyte'
                    expr: 'sum by (instance, job) (tcp_stream_received_bytes_total) >= 1000000000'
                    for: 5m
                    labels:
                      health_check: 'received bytes stay below a gigabyte'
                      severity: 'warning'
                    annotations:
                      summary: 'Health check failed: received bytes stay below a gigabyte'
                      description: 'total of tcp_stream.received.bytes is {{ $value }}, not below 1000000000.'
            # Not a rule, a closure without a declared condition: "no events dropped"

            """
        #expect(yaml == expected)
    }

    /// Summed over every target, without `for`, with no checks: an empty group.
    @Test func withoutGroupingOrChecks() throws {
        let snapshots = [try Fixtures.documentStorage()]
        let rules = PrometheusAlertingRules(groupName: "storage", groupingLabels: [])
        #expect(
            try rules.expression(for: Self.checks[0].condition!, snapshots: snapshots)
                == "sum (document_storage_save_attempts_total{outcome=\"failure\"}) / "
                + "(sum (document_storage_save_attempts_total) > 0) >= 0.05")
        #expect(
            try rules.render([], snapshots: snapshots) == """
                # Alerting rules made by MVX Metrics from the health checks declared in code:
                # each alert fires when its check fails in process.
                groups:
                  - name: 'storage'
                    rules: []

                """)
        let none = HealthCheck.ratio("none", metric: "document_storage.save.attempts", numerator: [], below: 0.5)
        #expect(
            try rules.expression(for: none.condition!, snapshots: snapshots)
                == "(sum (document_storage_save_attempts_total) > 0) * 0 >= 0.5")
    }

    /// Names the exposition changes (an entity label, numbered collisions,
    /// UTF-8 names) are the names the rules use.
    @Test func theExpositionsSettingsNameTheSeries() throws {
        let snapshot = RecorderSnapshot(
            entityID: "api", takenAt: Date(timeIntervalSince1970: 0),
            metrics: [
                MetricSnapshot(name: "a.b", dimensions: [MetricDimension("c_total", value: .counter(1))]),
                MetricSnapshot(name: "a.b.c", dimensions: [MetricDimension("total", value: .counter(1))]),
                MetricSnapshot(
                    name: "level.now", dimensions: [MetricDimension("value", unit: .bytes, value: .gauge(nil))]),
            ], statistics: RecorderStatistics())
        let collided = HealthCheck.value("c", metric: "a.b.c", dimension: "total", below: 1, recorder: "api")
        let rules = PrometheusAlertingRules(exposition: PrometheusExposition(entityLabel: "service"))
        let text = PrometheusExposition(entityLabel: "service").render(snapshot)
        #expect(text.contains("a_b_c_2_total{service=\"api\"} 1"))
        #expect(
            try rules.expression(for: collided.condition!, snapshots: [snapshot])
                == #"sum by (instance, job) (a_b_c_2_total{service="api"}) >= 1"#)
        let gauge = HealthCheck.value("level", metric: "level.now", dimension: "value", below: 1e-7)
        #expect(
            try rules.expression(for: gauge.condition!, snapshots: [snapshot])
                == "sum by (instance, job) (level_now_bytes) >= 1e-07")
        let utf8 = PrometheusAlertingRules(exposition: PrometheusExposition(nameEscaping: .allowUTF8))
        #expect(
            try utf8.expression(for: collided.condition!, snapshots: [snapshot])
                == #"sum by (instance, job) ({"a.b.c_total", entity_id="api"}) >= 1"#)
    }

    /// Text from the check is quoted for YAML and kept out of Go's templates.
    @Test func checkNamesAreQuotedAndNeverTemplates() throws {
        let snapshots = [try Fixtures.documentStorage()]
        let name = "it's {{ bad }}\nreally \u{2028}bad"
        let check = HealthCheck.ratio(
            name, metric: "document_storage.save.attempts", numerator: ["failure_total"], below: .infinity)
        let yaml = try PrometheusAlertingRules().render([check], snapshots: snapshots)
        #expect(yaml.contains("      - alert: 'ItSBadReallyBad'\n"))
        #expect(yaml.contains(">= +Inf'\n"))
        #expect(yaml.contains(#"          health_check: "it's {{ \"{{\" }} bad }}\nreally \u2028bad""# + "\n"))
        #expect(yaml.contains(#"          summary: "Health check failed: it's {{ \"{{\" }} bad }}\nreally \u2028bad""#))
        let closure = HealthCheck("it's\n\"quoted\"") { _ in .init(passed: true, detail: "") }
        #expect(
            try PrometheusAlertingRules().render([closure], snapshots: snapshots).hasSuffix(
                #"# Not a rule, a closure without a declared condition: "it's\n\"quoted\"""# + "\n"))
        let unnamed = HealthCheck.value("100 %", metric: "document_storage.save.attempts", dimension: "total", below: 1)
        #expect(
            try PrometheusAlertingRules().render([unnamed], snapshots: snapshots).contains(
                "- alert: 'HealthCheck100'\n"))
        let nothing = HealthCheck.value("✓", metric: "document_storage.save.attempts", dimension: "total", below: 1)
        #expect(
            try PrometheusAlertingRules().render([nothing], snapshots: snapshots).contains("- alert: 'HealthCheck'\n"))
    }

    @Test func pendingDurationsAreWrittenInTheirLargestWholeUnit() throws {
        let snapshots = [try Fixtures.documentStorage()]
        func pending(_ duration: Duration) throws -> String? {
            let yaml = try PrometheusAlertingRules(pendingFor: duration).render([Self.checks[0]], snapshots: snapshots)
            return yaml.components(separatedBy: "\n").first { $0.hasPrefix("        for: ") }.map {
                String($0.dropFirst(13))
            }
        }
        #expect(try pending(.zero) == nil)
        #expect(try pending(.milliseconds(-5)) == nil)
        #expect(try pending(.microseconds(999)) == nil)
        #expect(try pending(.milliseconds(1500)) == "1500ms")
        #expect(try pending(.seconds(90)) == "90s")
        #expect(try pending(.seconds(120)) == "2m")
        #expect(try pending(.seconds(7200)) == "2h")
    }

    /// A misspelt name is noticed when the rules are made, as the check in
    /// process notices it, rather than becoming an alert that never fires.
    @Test(arguments: [
        (
            HealthCheck.ratio("x", metric: "document_storage.save.attempt", numerator: ["failure_total"], below: 1),
            "no recorder has a metric named document_storage.save.attempt: check the health check's metric name"
        ),
        (
            HealthCheck.ratio(
                "x", metric: "document_storage.save.attempts", numerator: ["failure_total"], below: 1,
                recorder: "tcp-stream"),
            "recorder tcp-stream has no metric named document_storage.save.attempts: check the health check's metric name"
        ),
        (
            HealthCheck.ratio("x", metric: "document_storage.save.attempts", numerator: ["failures_total"], below: 1),
            "document_storage.save.attempts has no dimension failures_total: check the health check's dimension names"
        ),
        (
            HealthCheck.value("x", metric: "document_storage.save.attempts", dimension: "totl", below: 1),
            "document_storage.save.attempts has no dimension totl: check the health check's dimension names"
        ),
    ])
    func unknownNamesAreRefused(check: HealthCheck, message: String) throws {
        let snapshots = [try Fixtures.documentStorage(), try Fixtures.tcpStream()]
        let error = #expect(throws: MetricsError.self) {
            try PrometheusAlertingRules().render([check], snapshots: snapshots)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message == message)
    }

    @Test(arguments: [
        (PrometheusAlertingRules(groupName: ""), "an alerting rule group needs a name"),
        (
            PrometheusAlertingRules(groupingLabels: ["instance", "pod.name"]),
            #""pod.name" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)"#
        ),
        (
            PrometheusAlertingRules(labels: ["__meta": "x"]),
            #""__meta" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)"#
        ),
        (
            PrometheusAlertingRules(labels: ["health_check": "x"]),
            "the label health_check is the check's name on every alert; choose another"
        ),
    ])
    func invalidSettingsAreRefused(rules: PrometheusAlertingRules, message: String) throws {
        let snapshots = [try Fixtures.documentStorage()]
        let error = #expect(throws: MetricsError.self) { try rules.render([Self.checks[0]], snapshots: snapshots) }
        #expect(error?.message == message)
    }
}
