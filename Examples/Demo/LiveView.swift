import MVXMetrics

/// What the demo shows while it runs: a compact table of the attempts
/// metrics' dimensions, the bytes, and each recorder's statistics, under a
/// progress bar (``frame(_:rates:elapsed:)``); or one plain line per refresh
/// when the output is not a terminal (``line(_:rates:elapsed:)``).
///
/// It only reads snapshots, so it shows exactly what `/snapshot` serves.
struct LiveView {
    /// The live page's address, if the demo serves one.
    var address: String?
    /// How long the run lasts; nil until stopped.
    var duration: Duration?
    /// Whether to colour the frame.
    var usesColor = false

    /// The full view.
    func frame(_ snapshots: [RecorderSnapshot], rates: [String: Double], elapsed: Duration) -> [String] {
        var lines = [bold("MVX Metrics demo") + dim("  ·  ") + (address.map { "live page \($0)" } ?? "not serving")]
        lines.append(progress(elapsed) + dim("  ·  Ctrl-C stops"))
        lines.append("")
        lines += attemptsTable(snapshots)
        lines.append("")
        lines.append(bytesLine(snapshots))
        lines.append("")
        lines += recorderTable(snapshots, rates: rates)
        return lines
    }

    /// One line for a log: progress, attempts, faults, bytes and the recorders' pace.
    func line(_ snapshots: [RecorderSnapshot], rates: [String: Double], elapsed: Duration) -> String {
        let metrics = Self.metrics(snapshots)
        let saves = metrics.first { $0.name == "document_storage.save.attempts" }
        let tcp = metrics.filter { $0.name.hasPrefix("tcp_stream.") && $0.name.hasSuffix(".attempts") }
        let tcpTotal = tcp.reduce(0) { $0 + ($1.count("total") ?? 0) }
        var faults: [String: UInt64] = [:]
        for metric in tcp {
            for (name, count) in Self.otherOutcomes(metric) { faults[name, default: 0] += count }
        }
        let faultText = faults.sorted { $0.key < $1.key }.map { "\($0.key) \(DemoFormat.count($0.value))" }
        let statistics = snapshots.map(\.statistics)
        return "[\(clock(elapsed))] saves \(DemoFormat.count(saves?.count("total") ?? 0))"
            + " (\(DemoFormat.count(saves?.count("success_total") ?? 0)) ok)"
            + " · tcp attempts \(DemoFormat.count(tcpTotal))"
            + (faultText.isEmpty ? "" : " (\(faultText.joined(separator: ", ")))")
            + " · sent \(DemoFormat.bytes(Self.counter(metrics, "tcp_stream.sent.bytes")))"
            + " · \(DemoFormat.count(rates.values.reduce(0, +))) events/s"
            + " · dropped \(DemoFormat.count(statistics.reduce(0) { $0 + $1.dropped }))"
            + " · pending \(DemoFormat.count(statistics.reduce(0) { $0 + $1.pending }))"
    }

    // MARK: Parts

    private func progress(_ elapsed: Duration) -> String {
        let width = 32
        guard let duration, duration > .zero else {
            // No end: a bar that sweeps, one cell per second.
            let position = Int(Self.seconds(elapsed)) % width
            let bar = (0..<width).map { $0 == position ? "█" : "░" }.joined()
            return bar + "  " + clock(elapsed)
        }
        let fraction = min(1, max(0, Self.seconds(elapsed) / Self.seconds(duration)))
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return bar + "  " + clock(elapsed)
    }

    private func clock(_ elapsed: Duration) -> String {
        let seconds = DemoFormat.pad(DemoFormat.fixed(Self.seconds(elapsed), digits: 1), 5) + " s"
        guard let duration, duration > .zero else { return seconds }
        return seconds + " / \(DemoFormat.fixed(Self.seconds(duration), digits: 0)) s"
    }

    private func attemptsTable(_ snapshots: [RecorderSnapshot]) -> [String] {
        let metrics = Self.metrics(snapshots)
        var lines = [
            bold(
                DemoFormat.pad("attempts", 24, right: false) + DemoFormat.pad("total", 9) + DemoFormat.pad("success", 9)
                    + DemoFormat.pad("p50", 10) + DemoFormat.pad("p99", 10) + "  other outcomes")
        ]
        for metric in metrics where metric.name.hasSuffix(".attempts") {
            let name = String(metric.name.dropLast(".attempts".count))
            let quantiles = Self.durations(of: metric, in: metrics)
            let others = Self.otherOutcomes(metric).map { "\($0.name) \(DemoFormat.count($0.count))" }
            lines.append(
                DemoFormat.pad(name, 24, right: false) + DemoFormat.pad(DemoFormat.count(metric.count("total") ?? 0), 9)
                    + DemoFormat.pad(DemoFormat.count(metric.count("success_total") ?? 0), 9)
                    + DemoFormat.pad(quantiles.map { DemoFormat.seconds($0.p50) } ?? "–", 10)
                    + DemoFormat.pad(quantiles.map { DemoFormat.seconds($0.p99) } ?? "–", 10)
                    + "  " + (others.isEmpty ? dim("–") : others.joined(separator: dim(" · "))))
        }
        return lines
    }

    private func bytesLine(_ snapshots: [RecorderSnapshot]) -> String {
        let metrics = Self.metrics(snapshots)
        let parts = [
            ("saved", "document_storage.save.bytes"), ("sent", "tcp_stream.sent.bytes"),
            ("echoed", "tcp_echo_server.echoed.bytes"), ("discarded", "tcp_echo_server.discarded.bytes"),
            ("received", "tcp_stream.received.bytes"),
        ].map { label, name in "\(label) \(DemoFormat.bytes(Self.counter(metrics, name)))" }
        return bold(DemoFormat.pad("bytes", 24, right: false)) + parts.joined(separator: dim(" · "))
    }

    private func recorderTable(_ snapshots: [RecorderSnapshot], rates: [String: Double]) -> [String] {
        var lines = [
            bold(
                DemoFormat.pad("recorder", 24, right: false) + DemoFormat.pad("events/s", 9)
                    + DemoFormat.pad("accepted", 11) + DemoFormat.pad("processed", 11) + DemoFormat.pad("dropped", 9)
                    + DemoFormat.pad("pending", 9))
        ]
        for snapshot in snapshots {
            let statistics = snapshot.statistics
            let dropped = DemoFormat.pad(DemoFormat.count(statistics.dropped), 9)
            lines.append(
                DemoFormat.pad(snapshot.entityID, 24, right: false)
                    + DemoFormat.pad(DemoFormat.count(rates[snapshot.entityID] ?? 0), 9)
                    + DemoFormat.pad(DemoFormat.count(statistics.accepted), 11)
                    + DemoFormat.pad(DemoFormat.count(statistics.processed), 11)
                    + (statistics.dropped > 0 ? red(dropped) : dropped)
                    + DemoFormat.pad(DemoFormat.count(statistics.pending), 9))
        }
        return lines
    }

    // MARK: Reading snapshots

    /// Every metric of every recorder, by name.
    static func metrics(_ snapshots: [RecorderSnapshot]) -> [MetricSnapshot] {
        snapshots.flatMap(\.metrics).sorted { $0.name < $1.name }
    }

    /// The outcomes other than success that happened, largest first.
    static func otherOutcomes(_ metric: MetricSnapshot) -> [(name: String, count: UInt64)] {
        metric.dimensions.compactMap { dimension -> (name: String, count: UInt64)? in
            guard dimension.labels.isEmpty, dimension.name.hasSuffix("_total"),
                dimension.name != "total", dimension.name != "success_total",
                case .counter(let count) = dimension.value, count > 0
            else { return nil }
            return (String(dimension.name.dropLast("_total".count)), count)
        }.sorted { $0.count > $1.count }
    }

    /// The median and 99th percentile of the attempts' durations, in seconds:
    /// from the metric's own distribution, or its sibling `….duration` metric.
    static func durations(of metric: MetricSnapshot, in metrics: [MetricSnapshot]) -> (p50: Double, p99: Double)? {
        let sibling = metrics.first { $0.name == metric.name.dropLast(".attempts".count) + ".duration" }
        for dimension in metric.dimensions + (sibling?.dimensions ?? []) {
            if case .distribution(let distribution) = dimension.value, distribution.count > 0,
                let p50 = distribution.quantile(0.5), let p99 = distribution.quantile(0.99)
            {
                return (p50, p99)
            }
        }
        return nil
    }

    static func counter(_ metrics: [MetricSnapshot], _ name: String) -> Double {
        metrics.first { $0.name == name }?.value("total") ?? 0
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    // MARK: Colours

    private func bold(_ text: String) -> String { usesColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    private func dim(_ text: String) -> String { usesColor ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    private func red(_ text: String) -> String { usesColor ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
}
