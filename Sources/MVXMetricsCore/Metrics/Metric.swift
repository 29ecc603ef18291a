/// An aggregate that turns facts into measurements.
///
/// A metric has a stable ``name`` (`document_storage.save.attempts`), declares
/// which event types it accepts and how each one changes its dimensions
/// (``routes(_:)``), and describes its current state as a ``MetricSnapshot``.
/// Domain metrics live next to the component whose events they interpret, and
/// are usually a few lines built from the dimension building blocks
/// (``OutcomeCounts``, ``Sum``, ``Distribution``, ``LastValue``, ``CaseCounts``,
/// ``LabelCounts``):
///
/// ```swift
/// struct DocumentSaveAttemptsMetric: Metric {
///     let name = "document_storage.save.attempts"
///     var help: String? { "Document save attempts by outcome." }
///     private(set) var attempts = OutcomeCounts<DocumentSaveOutcome>()
///
///     func routes(_ routes: inout MetricRoutes<Self>) {
///         routes.on(DocumentSaveAttempt.self) { metric, event in
///             metric.attempts.record(event.outcome)
///         }
///     }
///
///     func snapshot() -> MetricSnapshot {
///         MetricSnapshot(name: name, help: help, dimensions: attempts.dimensions)
///     }
/// }
/// ```
///
/// For the common shapes there are ready-made metrics that need no type of
/// their own: ``OutcomeMetric``, ``SumMetric``, ``DistributionMetric``,
/// ``LastValueMetric``, ``CaseCountMetric``, ``LabelCountMetric`` and
/// ``EventCountMetric``.
///
/// A metric is a value. Registering it moves it into a recorder, which from
/// then on is its single writer: handlers run one at a time, so a snapshot
/// always shows dimensions that changed together (for example `total` equals
/// the sum of the outcome counters).
public protocol Metric: Sendable {
    /// The metric's stable name, such as `document_storage.save.attempts`;
    /// see ``MetricNaming`` for the rules.
    var name: String { get }

    /// One sentence describing what the metric measures, for exporters'
    /// help text. The default is `nil`.
    var help: String? { get }

    /// Declares the event types this metric accepts and how each one changes it.
    ///
    /// A recorder calls this once, at registration, and builds its routing
    /// table from it: events of other types never reach the metric.
    func routes(_ routes: inout MetricRoutes<Self>)

    /// The metric's dimensions now.
    func snapshot() -> MetricSnapshot
}

extension Metric {
    /// No help text.
    public var help: String? { nil }
}
