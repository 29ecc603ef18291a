import MVXMetrics

/// The outcomes of a scripted save.
enum ScriptOutcome: MetricCase, CaseIterable { case success, failure, tooLarge }

/// Every scripted event says which producer emitted it and its place in that
/// producer's script, so a test can tell exactly which events a metric saw.
protocol ScriptEvent: MetricEvent {
    var producer: UInt8 { get }
    var sequence: UInt32 { get }
}

/// A save attempt: an outcome and a size, which may be negative (a rejected value).
struct ScriptSave: ScriptEvent {
    static let eventType = "reliability.save.attempt"
    var producer: UInt8
    var sequence: UInt32
    var outcome: ScriptOutcome
    var size: Int32
}

/// A latency observation, which may be NaN or infinite (a rejected value).
struct ScriptLatency: ScriptEvent {
    static let eventType = "reliability.request.latency"
    var producer: UInt8
    var sequence: UInt32
    var milliseconds: Double
}

/// A refused connection with one of a few reasons, more than the label cap keeps.
struct ScriptRefusal: ScriptEvent {
    static let eventType = "reliability.connection.refused"
    var producer: UInt8
    var sequence: UInt32
    var reason: UInt8

    var label: String { "reason_\(reason)" }
}

/// One step of a producer's script, before the producer stamps it.
enum ScriptStep: Sendable, Hashable, CustomStringConvertible {
    case save(ScriptOutcome, size: Int32)
    case latency(Double)
    case refusal(UInt8)

    var description: String {
        switch self {
        case .save(let outcome, let size): "save(\(outcome), \(size))"
        case .latency(let milliseconds): "latency(\(milliseconds))"
        case .refusal(let reason): "refusal(\(reason))"
        }
    }
}

/// An event a producer emitted, in a form a reference model can apply.
struct EmittedEvent: Sendable, Hashable {
    var producer: UInt8
    var sequence: UInt32
    var step: ScriptStep

    init(producer: UInt8, sequence: UInt32, step: ScriptStep) {
        self.producer = producer
        self.sequence = sequence
        self.step = step
    }

    /// Records the event into `recorder`.
    func record(into recorder: some MetricsRecorder) -> RecordResult {
        switch step {
        case .save(let outcome, let size):
            recorder.record(ScriptSave(producer: producer, sequence: sequence, outcome: outcome, size: size))
        case .latency(let milliseconds):
            recorder.record(ScriptLatency(producer: producer, sequence: sequence, milliseconds: milliseconds))
        case .refusal(let reason):
            recorder.record(ScriptRefusal(producer: producer, sequence: sequence, reason: reason))
        }
    }

    /// The event type's name, for per-type ordering checks.
    var eventType: String {
        switch step {
        case .save: ScriptSave.eventType
        case .latency: ScriptLatency.eventType
        case .refusal: ScriptRefusal.eventType
        }
    }
}

/// The metrics every scripted recorder has.
enum ScriptMetrics {
    static let attempts = "reliability.save.attempts"
    static let bytes = "reliability.save.bytes"
    static let latency = "reliability.request.latency"
    static let refusals = "reliability.connection.refusals"
    static let labelCap = 4
    static let latencyBuckets: [Double] = [1, 10, 100, 1000]

    /// Registers the four ready-made metrics the reference model mirrors.
    static func register(into recorder: some RegisteringMetricsRecorder) throws {
        try recorder.register(OutcomeMetric(attempts, of: ScriptSave.self, outcome: \.outcome))
        try recorder.register(SumMetric(bytes, of: ScriptSave.self, value: { Int($0.size) }))
        try recorder.register(
            DistributionMetric(
                latency, of: ScriptLatency.self, dimension: "milliseconds",
                buckets: try HistogramBuckets(latencyBuckets), value: \.milliseconds))
        try recorder.register(
            LabelCountMetric(refusals, of: ScriptRefusal.self, label: "reason", cap: labelCap) { $0.label })
    }
}
