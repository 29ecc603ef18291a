extension MetricCatalog {
    /// The catalog as a Markdown document, for a documentation page or a
    /// dashboard's description: a section per recorder, a table per metric
    /// with a row per dimension (kind, unit, labels and their values, the
    /// dimension it is a part of).
    ///
    /// Names are code spans; help text and names are escaped, so any text a
    /// metric carries renders as itself.
    public var markdown: String {
        var lines = ["# Metric catalog", ""]
        if recorders.isEmpty { lines += ["No recorders.", ""] }
        for recorder in recorders {
            lines += ["## Recorder \(Self.code(recorder.entityID))", ""]
            if !recorder.commonLabels.isEmpty {
                let labels = recorder.commonLabels.sorted { $0.key < $1.key }.map {
                    Self.code("\($0.key)=\"\($0.value)\"")
                }
                lines += ["Common labels: \(labels.joined(separator: ", ")).", ""]
            }
            if recorder.metrics.isEmpty { lines += ["No metrics registered.", ""] }
            for metric in recorder.metrics { lines += Self.section(metric) }
        }
        lines.removeLast()
        return lines.joined(separator: "\n") + "\n"
    }

    private static func section(_ metric: MetricEntry) -> [String] {
        var lines = ["### \(code(metric.name))", ""]
        if let help = metric.help, help.contains(where: { !$0.isWhitespace }) { lines += [text(help), ""] }
        if metric.naming == .dimension { lines += ["Exporters name its dimensions alone, not after the metric.", ""] }
        lines += ["| Dimension | Kind | Unit | Labels | Part of |", "| --- | --- | --- | --- | --- |"]
        for dimension in metric.dimensions {
            var labels = dimension.labels.map { label in
                guard let values = label.values else {
                    return
                        "\(code(label.name)): free-form, capped (beyond the cap: \(code(LabelCounts.overflowLabelValue)))"
                }
                return "\(code(label.name)): " + values.map(code).joined(separator: ", ")
            }
            if let parts = dimension.parts {
                labels.append(
                    "\(code(parts.label)): " + parts.values.map(code).joined(separator: ", ") + " (its parts)")
            }
            let cells = [
                code(dimension.name), dimension.kind.rawValue, dimension.unit.map { code($0.name) } ?? "",
                labels.joined(separator: "; "),
                dimension.partOf.map { "\(code($0.whole)), \(code("\($0.label)=\"\($0.value)\""))" } ?? "",
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines + [""]
    }

    /// `text` as a code span that shows it exactly: fenced by more backticks
    /// than it holds in a row, a line break as a space, a pipe escaped for
    /// the table it may be in.
    static func code(_ text: String) -> String {
        let flat = text.replacing("\n", with: " ").replacing("\r", with: " ")
        var longest = 0
        var run = 0
        for character in flat {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        // A space on both sides keeps a backtick at either end out of the fence.
        let padded = longest > 0 || flat.hasPrefix(" ") && flat.hasSuffix(" ") ? " \(flat) " : flat
        let body = padded.isEmpty ? " " : padded
        return fence + body.replacing("|", with: "\\|") + fence
    }

    /// `text` as plain Markdown: punctuation that would format it escaped, a
    /// line break as a space.
    static func text(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\n", "\r": result.append(" ")
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~", "&":
                result.append("\\")
                result.append(character)
            default: result.append(character)
            }
        }
        return result
    }
}
