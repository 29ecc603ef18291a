import MVXMetrics

/// What the scripted metrics must show after a set of events was applied,
/// computed the plain way: by counting, summing and sorting.
///
/// The one thing it cannot know is which refusal reasons were kept when the
/// reasons outnumber the label cap and events came from several threads
/// (the first distinct values processed are kept); it checks that the kept
/// ones are real reasons, as many as the cap allows, each counted exactly, and
/// that everything else is in the overflow series.
struct ReferenceModel {
    var outcomes: [ScriptOutcome: UInt64] = [:]
    var bytes: UInt64 = 0
    var latencies: [Double] = []
    var reasons: [String: UInt64] = [:]
    var rejected: UInt64 = 0
    var events: UInt64 = 0

    init(_ applied: some Sequence<EmittedEvent>) {
        for event in applied {
            events += 1
            switch event.step {
            case .save(let outcome, let size):
                outcomes[outcome, default: 0] += 1
                if size >= 0 { bytes += UInt64(size) } else { rejected += 1 }
            case .latency(let milliseconds):
                if milliseconds.isFinite { latencies.append(milliseconds) } else { rejected += 1 }
            case .refusal:
                reasons[ScriptRefusal(producer: 0, sequence: 0, reason: event.step.reason).label, default: 0] += 1
            }
        }
        latencies.sort()
    }

    /// Every way `snapshot` differs from the model; empty when it matches.
    func mismatches(in snapshot: RecorderSnapshot) -> [String] {
        var problems: [String] = []
        func check<T: Equatable>(_ what: String, _ found: T?, _ expected: T) {
            if found != expected {
                problems.append("\(what): found \(String(describing: found)), expected \(expected)")
            }
        }
        let attempts = snapshot[ScriptMetrics.attempts]
        check("attempts total", attempts?.count("total"), outcomes.values.reduce(0, +))
        for outcome in ScriptOutcome.allCases {
            check("attempts \(outcome)", attempts?.count("\(outcome.metricLabel)_total"), outcomes[outcome] ?? 0)
        }
        check("bytes total", snapshot[ScriptMetrics.bytes]?.value("total"), Double(bytes))
        check("rejected values", snapshot.statistics.rejectedValues, rejected)
        problems += latencyMismatches(snapshot[ScriptMetrics.latency]?.distribution("milliseconds"))
        problems += refusalMismatches(snapshot[ScriptMetrics.refusals])
        return problems
    }

    private func latencyMismatches(_ distribution: DistributionSnapshot?) -> [String] {
        guard let distribution else { return ["no latency distribution"] }
        var problems: [String] = []
        if distribution.count != UInt64(latencies.count) {
            problems.append("latency count \(distribution.count), expected \(latencies.count)")
        }
        // The order of additions differs between threads: the sum may differ
        // in its last bits, never more.
        let sum = latencies.reduce(0, +)
        if abs(distribution.sum - sum) > 1e-9 * max(1, abs(sum)) {
            problems.append("latency sum \(distribution.sum), expected \(sum)")
        }
        if distribution.min != latencies.first || distribution.max != latencies.last {
            problems.append(
                "latency extremes \(String(describing: distribution.min))…\(String(describing: distribution.max))")
        }
        for bucket in distribution.buckets {
            let expected = latencies.count { $0 <= bucket.upperBound }
            if bucket.cumulativeCount != UInt64(expected) {
                problems.append(
                    "latency bucket le=\(bucket.upperBound): \(bucket.cumulativeCount), expected \(expected)")
            }
        }
        for estimate in distribution.quantiles where !latencies.isEmpty {
            let rank = max(1, Int((estimate.quantile * Double(latencies.count)).rounded(.up)))
            let exact = latencies[rank - 1]
            // The documented bound: within 1/64 of the exact observation,
            // relative to its magnitude, and never outside the extremes.
            let withinBound = abs(estimate.value - exact) <= abs(exact) / 64 + 1e-12
            let withinExtremes = latencies.first! <= estimate.value && estimate.value <= latencies.last!
            if !withinBound || !withinExtremes {
                problems.append("latency p\(estimate.quantile): \(estimate.value), exact \(exact)")
            }
        }
        return problems
    }

    private func refusalMismatches(_ metric: MetricSnapshot?) -> [String] {
        guard let metric else { return ["no refusal metric"] }
        var problems: [String] = []
        var keptTotal: UInt64 = 0
        var kept = 0
        var overflow: UInt64?
        for dimension in metric.dimensions {
            guard case .counter(let count) = dimension.value, let reason = dimension.labels["reason"] else {
                problems.append("unexpected refusal dimension \(dimension)")
                continue
            }
            if reason == LabelCounts.overflowLabelValue {
                overflow = count
            } else if reasons[reason] == count {
                kept += 1
                keptTotal += count
            } else {
                problems.append("refusals \(reason): \(count), expected \(reasons[reason] ?? 0)")
            }
        }
        if kept != min(ScriptMetrics.labelCap, reasons.count) {
            problems.append("kept \(kept) refusal reasons of \(reasons.count)")
        }
        let total = reasons.values.reduce(0, +)
        if overflow != total - min(total, keptTotal) {
            problems.append("refusal overflow \(String(describing: overflow)), expected \(total - keptTotal)")
        }
        return problems
    }
}

extension ScriptStep {
    fileprivate var reason: UInt8 {
        if case .refusal(let reason) = self { return reason }
        return 0
    }
}

/// The invariants one metric's snapshot must satisfy on its own, whenever it
/// is read: dimensions that change together are seen together.
func invariantViolations(in snapshot: RecorderSnapshot) -> [String] {
    var problems: [String] = []
    let statistics = snapshot.statistics
    if !statistics.isBalanced { problems.append("unbalanced: \(statistics)") }
    if let attempts = snapshot[ScriptMetrics.attempts] {
        let parts = ScriptOutcome.allCases.compactMap { attempts.count("\($0.metricLabel)_total") }.reduce(0, +)
        if attempts.count("total") != parts {
            problems.append("attempts total \(String(describing: attempts.count("total"))) ≠ \(parts)")
        }
    }
    if let distribution = snapshot[ScriptMetrics.latency]?.distribution("milliseconds") {
        let cumulative = distribution.buckets.map(\.cumulativeCount)
        if cumulative != cumulative.sorted() { problems.append("latency buckets not cumulative: \(cumulative)") }
        if let last = cumulative.last, last > distribution.count {
            problems.append("latency buckets \(last) > count \(distribution.count)")
        }
    }
    if let refusals = snapshot[ScriptMetrics.refusals], refusals.dimensions.count > ScriptMetrics.labelCap + 1 {
        problems.append("\(refusals.dimensions.count) refusal series beyond the cap")
    }
    return problems
}
