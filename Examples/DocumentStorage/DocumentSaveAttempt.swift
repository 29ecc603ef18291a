import MVXMetricsCore

/// The fact that a document save attempt happened, with what metrics may need
/// to measure it.
///
/// It names what happened (`document_storage.save.attempt`); it does not say
/// which counters change. ``DocumentSaveAttemptsMetric``,
/// ``DocumentSavedBytesMetric`` and ``DocumentSaveDurationMetric`` each use a
/// different part of its payload.
public struct DocumentSaveAttempt: MetricEvent {
    public static let eventType = "document_storage.save.attempt"

    /// How the attempt ended.
    public var outcome: DocumentSaveOutcome
    /// The size of the content the caller asked to save.
    public var contentSize: ByteCount
    /// How long the attempt took.
    public var duration: Duration

    public init(outcome: DocumentSaveOutcome, contentSize: ByteCount, duration: Duration) {
        self.outcome = outcome
        self.contentSize = contentSize
        self.duration = duration
    }
}
