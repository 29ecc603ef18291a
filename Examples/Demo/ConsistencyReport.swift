import MVXMetrics

/// The identities a finished run's snapshot must satisfy, checked: what the
/// demo prints at the end, and what its tests assert.
///
/// - Every attempts metric counts each attempt once: `total` is the sum of its
///   `<outcome>_total` counters, `refused_total` the sum of the refusals by
///   reason, and its duration distribution saw `total` attempts.
/// - Bytes are conserved across the wire, from two components' own facts: the
///   bytes the TCP clients sent equal the bytes the echo servers echoed plus
///   those they discarded (silent or hung-up connections), and the clients
///   received exactly the bytes echoed.
/// - Every connection a client opened was served by an echo server.
/// - Every recorder accounts for every event: accepted = processed + dropped
///   + pending, nothing pending after the final flush, nothing dropped.
///
/// The identities hold for a run stopped before it did anything (0 = 0 + 0);
/// that a run measured something is for its caller to check.
public struct ConsistencyReport: Sendable, CustomStringConvertible {
    /// One identity and whether it held.
    public struct Check: Sendable, Hashable {
        /// What the identity says.
        public var name: String
        /// Whether it held.
        public var passed: Bool
        /// The numbers behind it.
        public var detail: String
    }

    /// Every check, in a fixed order.
    public let checks: [Check]

    /// Whether every check passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// Checks `snapshots`, the runtime's final snapshot.
    public init(_ snapshots: [RecorderSnapshot]) {
        let metrics = snapshots.flatMap(\.metrics)
        func metric(_ name: String) -> MetricSnapshot? { metrics.first { $0.name == name } }
        func counter(_ name: String, _ dimension: String = "total") -> UInt64 {
            metric(name)?.count(dimension) ?? 0
        }

        var checks: [Check] = []
        let attempts = metrics.filter { $0.name.hasSuffix(".attempts") }
        var mismatches: [String] = []
        for attempt in attempts {
            mismatches += Self.attemptMismatches(attempt, metrics: metrics)
        }
        checks.append(
            Check(
                name: "every attempts metric: total = the sum of its outcomes",
                passed: !attempts.isEmpty && mismatches.isEmpty,
                detail: mismatches.isEmpty
                    ? "\(attempts.count) metrics, \(DemoFormat.count(attempts.reduce(0) { $0 + ($1.count("total") ?? 0) })) attempts"
                    : mismatches.joined(separator: "; ")))

        let sent = counter("tcp_stream.sent.bytes")
        let received = counter("tcp_stream.received.bytes")
        let echoed = counter("tcp_echo_server.echoed.bytes")
        let discarded = counter("tcp_echo_server.discarded.bytes")
        checks.append(
            Check(
                name: "bytes sent by the TCP clients = bytes echoed + bytes discarded by the echo servers",
                passed: sent == echoed + discarded,
                detail: "\(DemoFormat.count(sent)) = \(DemoFormat.count(echoed)) + \(DemoFormat.count(discarded))"))
        checks.append(
            Check(
                name: "bytes received by the TCP clients = bytes echoed",
                passed: received == echoed,
                detail: "\(DemoFormat.count(received)) = \(DemoFormat.count(echoed))"))

        let opened = counter("tcp_stream.open.attempts", "success_total")
        let served = counter("tcp_echo_server.connections")
        checks.append(
            Check(
                name: "connections opened = connections served",
                passed: opened == served,
                detail: "\(DemoFormat.count(opened)) = \(DemoFormat.count(served))"))

        let unbalanced = snapshots.filter {
            !$0.statistics.isBalanced || $0.statistics.pending != 0 || $0.statistics.dropped != 0
        }
        let processed = snapshots.reduce(0) { $0 + $1.statistics.processed }
        checks.append(
            Check(
                name: "every event accepted was processed: none pending, none dropped",
                passed: !snapshots.isEmpty && unbalanced.isEmpty,
                detail: unbalanced.isEmpty
                    ? "\(DemoFormat.count(processed)) events in \(snapshots.count) recorders"
                    : unbalanced.map { "\($0.entityID): \($0.statistics)" }.joined(separator: "; ")))
        self.checks = checks
    }

    /// The identities of one attempts metric that do not hold, described.
    private static func attemptMismatches(_ attempt: MetricSnapshot, metrics: [MetricSnapshot]) -> [String] {
        var mismatches: [String] = []
        let total = attempt.count("total") ?? 0
        let outcomes = attempt.dimensions.filter {
            $0.labels.isEmpty && $0.name.hasSuffix("_total") && $0.name != "total" && Self.counter($0) != nil
        }
        let sum = outcomes.reduce(0) { $0 + (Self.counter($1) ?? 0) }
        if outcomes.isEmpty || sum != total {
            mismatches.append("\(attempt.name): total \(total) ≠ sum of outcomes \(sum)")
        }
        let byReason = attempt.dimensions.filter { $0.name == "refused_by_reason_total" }
        if !byReason.isEmpty {
            let reasons = byReason.reduce(0) { $0 + (Self.counter($1) ?? 0) }
            let refused = attempt.count("refused_total") ?? 0
            if reasons != refused {
                mismatches.append("\(attempt.name): refused \(refused) ≠ sum of refusals by reason \(reasons)")
            }
        }
        // The duration distribution: in the metric itself (TCP), or in a
        // sibling `….duration` metric (document storage).
        let sibling = metrics.first { $0.name == attempt.name.dropLast(".attempts".count) + ".duration" }
        let distribution = (attempt.dimensions + (sibling?.dimensions ?? [])).lazy.compactMap { dimension in
            if case .distribution(let value) = dimension.value { value } else { nil }
        }.first
        if let distribution, distribution.count != total {
            mismatches.append("\(attempt.name): total \(total) ≠ durations measured \(distribution.count)")
        }
        return mismatches
    }

    private static func counter(_ dimension: MetricDimension) -> UInt64? {
        if case .counter(let value) = dimension.value { value } else { nil }
    }

    /// One line per check: ✓ or ✗, what it says, the numbers.
    public var description: String {
        checks.map { "\($0.passed ? "✓" : "✗") \($0.name): \($0.detail)" }.joined(separator: "\n")
    }
}
