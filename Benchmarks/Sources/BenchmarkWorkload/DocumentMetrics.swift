import MVXMetrics

/// The three MVX metrics of the workload, built from the ready-made metrics:
/// attempts by outcome, saved bytes, and the duration in 11 buckets.
public enum DocumentMetrics {
    public static let attempts = "document_storage.save.attempts"
    public static let bytes = "document_storage.save.bytes"
    public static let duration = "document_storage.save.duration"

    public static func register(in recorder: InlineMetricsRecorder) throws {
        try recorder.register(OutcomeMetric(attempts, of: DocumentSaveAttempt.self, outcome: \.outcome))
        try recorder.register(SumMetric(bytes, of: DocumentSaveAttempt.self, value: \.contentSize))
        try recorder.register(
            DistributionMetric(duration, of: DocumentSaveAttempt.self, buckets: .durations, value: \.duration))
    }

    public static func register(in recorder: QueuedMetricsRecorder) throws {
        try recorder.register(OutcomeMetric(attempts, of: DocumentSaveAttempt.self, outcome: \.outcome))
        try recorder.register(SumMetric(bytes, of: DocumentSaveAttempt.self, value: \.contentSize))
        try recorder.register(
            DistributionMetric(duration, of: DocumentSaveAttempt.self, buckets: .durations, value: \.duration))
    }

    /// Fails loudly unless `snapshot` shows exactly the workload's attempts
    /// `events`, with their bytes and durations, and no event lost or rejected.
    public static func verify(_ snapshot: RecorderSnapshot, events: Range<Int>, context: String) {
        let count = events.count
        let statistics = snapshot.statistics
        precondition(
            statistics.processed == UInt64(count) && statistics.dropped == 0 && statistics.pending == 0
                && statistics.rejectedValues == 0,
            "\(context): expected \(count) processed events and no drops, got \(statistics)")
        let total = snapshot[attempts]?.count("total")
        precondition(
            total == UInt64(count), "\(context): attempts total \(String(describing: total)), expected \(count)")
        let saved = snapshot[bytes]?.count("total")
        let expectedBytes = Workload.bytes(events)
        precondition(
            saved == expectedBytes, "\(context): saved bytes \(String(describing: saved)), expected \(expectedBytes)")
        let observed = snapshot[duration]?.distribution("distribution")?.count
        precondition(
            observed == UInt64(count), "\(context): \(String(describing: observed)) durations, expected \(count)")
    }
}
