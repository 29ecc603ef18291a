import MVXMetrics

/// The health checks declared in code as a Prometheus alerting rules file:
/// one declaration, checked in process (`/health`) and in Prometheus.
///
/// ```swift
/// let rules = PrometheusAlertingRules(pendingFor: .seconds(300), labels: ["severity": "page"])
/// let yaml = try rules.render(checks, snapshots: runtime.snapshot())
/// // promtool check rules accepts it; Prometheus's rule_files loads it.
/// ```
///
/// Each check with a declared `HealthCheck.Condition` becomes an alert that
/// fires exactly when the check fails in process, on the series the
/// exposition writes, named as it names them (it reads the snapshots, and
/// ``exposition``'s settings, for that):
///
/// - a dimension is its family's sample: `…_total` for a counter or a sum,
///   the family name for a gauge, `…_count` for a distribution (a check
///   counts its observations); a part of another (`success_total`) is its
///   whole's family with the part's label, `…_total{outcome="success"}`, and
///   a whole is its parts' family;
/// - the check sums over every label set and recorder, as it does in
///   process, per scraped target (``groupingLabels``: `instance` and `job`),
///   so an alert says which process is unhealthy; a check that names a
///   recorder selects its entity label (`entity_id="…"`);
/// - a ratio check's denominator is kept only when it is above 0, so with no
///   events yet the alert does not fire, as the check passes;
/// - the alert fires when the value is at or above the threshold, the check
///   passing while it is below.
///
/// A check made of a closure has no condition and no rule; the file names
/// it in a comment. Alert names are the check's name in upper camel case
/// (`document saves fail below 5%` becomes `DocumentSavesFailBelow5`); the
/// check's own name is the alert's `health_check` label and its summary.
///
/// What differs by nature: Prometheus sees what it scraped, up to a scrape
/// interval late, and a target it cannot scrape has no series, so no alert
/// (alert on `up == 0` for that). A check whose value is NaN fails in
/// process but does not fire (a comparison with NaN is false).
public struct PrometheusAlertingRules: Sendable {
    /// The rule group's name.
    public var groupName: String
    /// How long a check must keep failing before the alert fires (the rule's
    /// `for`); zero (the default) fires at the first failing evaluation, as
    /// `/health` turns red at once.
    public var pendingFor: Duration
    /// The labels each check's sums keep: one alert per scraped target by
    /// default (`instance` and `job`, which Prometheus gives every target);
    /// empty to sum over every target.
    public var groupingLabels: [String]
    /// Labels every alert carries, such as `["severity": "warning"]`.
    public var labels: [String: String]
    /// The exposition Prometheus scrapes: its entity label, name escaping and
    /// statistics setting decide the series names the rules use.
    public var exposition: PrometheusExposition

    /// Creates a renderer.
    public init(
        groupName: String = "mvx-metrics", pendingFor: Duration = .zero,
        groupingLabels: [String] = ["instance", "job"],
        labels: [String: String] = [:], exposition: PrometheusExposition = PrometheusExposition()
    ) {
        self.groupName = groupName
        self.pendingFor = pendingFor
        self.groupingLabels = groupingLabels
        self.labels = labels
        self.exposition = exposition
    }

    /// The rules file of `checks`, for the metrics `snapshots` show (those
    /// the exposition is rendered from; every registered metric is in them
    /// from the start).
    ///
    /// - Throws: `MetricsError` (`invalidConfiguration`) when a check names
    ///   a metric or dimension no snapshot has (a misspelt name is noticed
    ///   here, not by an alert that can never fire), or when the group name
    ///   is empty or a label name is invalid.
    public func render(_ checks: [HealthCheck], snapshots: [RecorderSnapshot]) throws(MetricsError) -> String {
        try validate()
        let families = families(snapshots)
        var lines = [
            "# Alerting rules made by MVX Metrics from the health checks declared in code:",
            "# each alert fires when its check fails in process.",
            "groups:",
            "  - name: \(Self.yaml(groupName))",
        ]
        var rules: [String] = []
        var closures: [String] = []
        for check in checks {
            guard let condition = check.condition else {
                closures.append(check.name)
                continue
            }
            rules += try rule(check.name, condition, snapshots: snapshots, families: families)
        }
        lines.append(rules.isEmpty ? "    rules: []" : "    rules:")
        lines += rules
        for name in closures {
            lines.append("# Not a rule, a closure without a declared condition: \(Self.doubleQuoted(name))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The PromQL expression that is non-empty exactly when a check of
    /// `condition` fails, per ``groupingLabels``: what the rule's `expr` is.
    ///
    /// - Throws: `MetricsError` as ``render(_:snapshots:)`` does.
    public func expression(
        for condition: HealthCheck.Condition, snapshots: [RecorderSnapshot]
    ) throws(MetricsError) -> String {
        try validate()
        return try expression(condition, snapshots: snapshots, families: families(snapshots))
    }

    // MARK: Rules

    private func rule(
        _ name: String, _ condition: HealthCheck.Condition, snapshots: [RecorderSnapshot], families: FamilyBuilder
    ) throws(MetricsError) -> [String] {
        let threshold = PrometheusExposition.formatted(condition.threshold)
        var lines = [
            "      - alert: \(Self.yaml(Self.alertName(name)))",
            "        expr: \(Self.yaml(try expression(condition, snapshots: snapshots, families: families)))",
        ]
        if let pending = Self.duration(pendingFor) { lines.append("        for: \(pending)") }
        lines.append("        labels:")
        var alertLabels = labels
        alertLabels["health_check"] = name
        for (label, value) in alertLabels.sorted(by: { $0.key < $1.key }) {
            lines.append("          \(label): \(Self.yaml(Self.templateLiteral(value)))")
        }
        let what =
            switch condition {
            case .ratio(let metric, let numerator, let denominator, _, _):
                "\(numerator.count < 2 ? numerator.first ?? "0" : "(" + numerator.joined(separator: " + ") + ")") / "
                    + "\(denominator) of \(metric)"
            case .value(let metric, let dimension, _, _): "\(dimension) of \(metric)"
            }
        let scope = condition.recorder.map { " (recorder \($0))" } ?? ""
        lines += [
            "        annotations:",
            "          summary: \(Self.yaml(Self.templateLiteral("Health check failed: \(name)")))",
            "          description: "
                + Self.yaml(
                    Self.templateLiteral("\(what)\(scope) is ") + "{{ $value }}"
                        + Self.templateLiteral(", not below \(threshold).")),
        ]
        return lines
    }

    private func expression(
        _ condition: HealthCheck.Condition, snapshots: [RecorderSnapshot], families: FamilyBuilder
    ) throws(MetricsError) -> String {
        let threshold = PrometheusExposition.formatted(condition.threshold)
        switch condition {
        case .ratio(let metric, let numerator, let denominator, _, let recorder):
            let bottom = try sum(metric, denominator, recorder, snapshots, families)
            let tops = try numerator.map { (dimension) throws(MetricsError) in
                try sum(metric, dimension, recorder, snapshots, families)
            }
            // No numerator: 0 for each target that has a denominator.
            guard !tops.isEmpty else { return "(\(bottom) > 0) * 0 >= \(threshold)" }
            let top = tops.count == 1 ? tops[0] : "(" + tops.joined(separator: " + ") + ")"
            // An empty denominator (0: nothing counted yet) makes the ratio empty, not +Inf or NaN.
            return "\(top) / (\(bottom) > 0) >= \(threshold)"
        case .value(let metric, let dimension, _, let recorder):
            return "\(try sum(metric, dimension, recorder, snapshots, families)) >= \(threshold)"
        }
    }

    /// `sum by (instance, job) (selector)` of one dimension.
    private func sum(
        _ metric: String, _ dimension: String, _ recorder: String?, _ snapshots: [RecorderSnapshot],
        _ families: FamilyBuilder
    ) throws(MetricsError) -> String {
        let selector = try selector(metric, dimension, recorder, snapshots, families)
        let by =
            groupingLabels.isEmpty ? "" : " by (" + groupingLabels.map(quotedLabelName).joined(separator: ", ") + ")"
        return "sum\(by) (\(selector))"
    }

    /// The series of `dimension` as the exposition names them: its family's
    /// sample, the part's label, the recorder's entity label.
    private func selector(
        _ metric: String, _ dimension: String, _ recorder: String?, _ snapshots: [RecorderSnapshot],
        _ families: FamilyBuilder
    ) throws(MetricsError) -> String {
        let metrics = snapshots.filter { recorder == nil || $0.entityID == recorder }.compactMap { $0[metric] }
        guard !metrics.isEmpty else {
            let scope = recorder.map { "recorder \($0) has no" } ?? "no recorder has a"
            throw MetricsError(
                .invalidConfiguration, "\(scope) metric named \(metric): check the health check's metric name")
        }
        guard let series = metrics.lazy.compactMap({ $0.dimensions.first { $0.name == dimension } }).first else {
            throw MetricsError(
                .invalidConfiguration,
                "\(metric) has no dimension \(dimension): check the health check's dimension names")
        }
        let kind = FamilyBuilder.Kind(series.value)
        var matchers: [(name: String, value: String)] = []
        let familyDimension: String
        if let part = series.partOf {
            familyDimension = part.whole
            var labels = series.labels
            labels[part.label] = part.value
            let names = PrometheusNaming.distinctLabelNames(
                labels.keys, reserved: kind == .histogram ? ["le"] : [], escaping: exposition.nameEscaping)
            let name = names.first { $0.original == part.label }!.sanitized
            matchers.append((name, part.value))
        } else {
            familyDimension = dimension
        }
        let origin = FamilyBuilder.Origin(metric: metric, dimension: familyDimension, kind: kind)
        guard let family = families.family(origin) else {
            throw MetricsError(.invalidConfiguration, "\(metric) \(dimension) has no family in the exposition")
        }
        if let recorder { matchers.append((families.entityLabel, recorder)) }
        let sample =
            switch kind {
            case .counter: family.base + "_total"
            case .gauge: family.base
            case .histogram: family.base + "_count"
            }
        let pairs = matchers.map { "\(quotedLabelName($0.name))=\(Self.doubleQuoted($0.value))" }
        if PrometheusNaming.needsQuotes(sample, isMetricName: true) {
            return "{" + ([Self.doubleQuoted(sample)] + pairs).joined(separator: ", ") + "}"
        }
        return pairs.isEmpty ? sample : sample + "{" + pairs.joined(separator: ", ") + "}"
    }

    private func families(_ snapshots: [RecorderSnapshot]) -> FamilyBuilder {
        let configuration = ExpositionLayout.Configuration(
            format: exposition.format, nameEscaping: exposition.nameEscaping, entityLabel: exposition.entityLabel,
            includesRecorderStatistics: exposition.includesRecorderStatistics, includesCreatedSamples: false,
            selectedFamilies: nil)
        return ExpositionLayout.families(
            configuration,
            ExpositionInput(snapshots, includesRecorderStatistics: exposition.includesRecorderStatistics))
    }

    private func validate() throws(MetricsError) {
        guard !groupName.isEmpty else {
            throw MetricsError(.invalidConfiguration, "an alerting rule group needs a name")
        }
        for name in groupingLabels + labels.keys.sorted()
        where PrometheusNaming.needsQuotes(name, isMetricName: false) || name.hasPrefix("__") {
            throw MetricsError(
                .invalidConfiguration,
                "\"\(name)\" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)")
        }
        if labels["health_check"] != nil {
            throw MetricsError(
                .invalidConfiguration, "the label health_check is the check's name on every alert; choose another")
        }
    }

    /// A label name in PromQL: bare, or quoted under UTF-8 escaping.
    private func quotedLabelName(_ name: String) -> String {
        PrometheusNaming.needsQuotes(name, isMetricName: false) ? Self.doubleQuoted(name) : name
    }

    // MARK: Text

    /// `document saves fail below 5%` → `DocumentSavesFailBelow5`: the ASCII
    /// letters and digits of each word, each word capitalised, after
    /// `HealthCheck` when that would not start with a letter.
    static func alertName(_ name: String) -> String {
        var result = ""
        var startsWord = true
        for scalar in name.unicodeScalars {
            guard scalar.isASCII, PrometheusNaming.isNameByte(UInt8(scalar.value)), scalar != "_" else {
                startsWord = true
                continue
            }
            let character = Character(scalar)
            result += startsWord ? character.uppercased() : String(character)
            startsWord = false
        }
        // Upper camel case starts with a letter.
        return result.first?.isLetter == true ? result : "HealthCheck" + result
    }

    /// `text` as a YAML scalar: single-quoted when every character prints,
    /// double-quoted with escapes otherwise.
    static func yaml(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else {
            return "'" + text.replacing("'", with: "''") + "'"
        }
        return doubleQuoted(text)
    }

    /// `text` in double quotes, backslash, quote and every character that
    /// does not print escaped: one line, whatever it holds, that YAML (a
    /// double-quoted scalar) and PromQL (a string literal) both read back as
    /// `text`.
    static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if needsEscape(scalar) { result += unicodeEscape(scalar) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }

    /// Text that Go's templates (which expand alert labels and annotations)
    /// print as it is: every `{{` written as an action that prints it.
    static func templateLiteral(_ text: String) -> String {
        text.replacing("{{", with: "{{ \"{{\" }}")
    }

    /// Control characters, the line and paragraph separators YAML may
    /// break lines at, and the byte order mark.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
            || scalar.value == 0x2029 || scalar.value == 0xFEFF
    }

    /// `\uXXXX`, which both YAML's double-quoted scalars and PromQL read.
    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// A Prometheus duration (`5m`, `90s`, `250ms`), or nil for none.
    static func duration(_ duration: Duration) -> String? {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0 || (seconds == 0 && attoseconds >= 1_000_000_000_000_000) else { return nil }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
