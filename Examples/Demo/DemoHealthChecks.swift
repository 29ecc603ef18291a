import MVXMetrics
import MVXMetricsHTTP

/// The checks the demo's `/health` runs: a storage that keeps failing, a peer
/// that stops answering, or a recorder that loses events each turn it red.
enum DemoHealthChecks {
    static let all: [HealthCheck] = [
        .ratio(
            "document saves fail below 5%", metric: "document_storage.save.attempts",
            numerator: ["failure_total"], below: 0.05),
        .ratio(
            "tcp reads time out or fail below 5%", metric: "tcp_stream.read.attempts",
            numerator: ["timeout_total", "failure_total"], below: 0.05),
        HealthCheck("no events dropped") { snapshots in
            let dropped = snapshots.reduce(0) { $0 + $1.statistics.dropped }
            return HealthCheck.Result(
                passed: dropped == 0, value: Double(dropped),
                detail: "\(dropped) events dropped across \(snapshots.count) recorders")
        },
    ]
}
