import MVXMetrics

// A fact, defined next to the component that emits it.
enum DocumentSaveOutcome: MetricCase {
    case success, failure
}

struct DocumentSaveAttempt: MetricEvent {
    static let eventType = "document_storage.save.attempt"
    var outcome: DocumentSaveOutcome
}

// A recorder, and a metric that turns the fact into measurements.
let recorder = InlineMetricsRecorder(entityID: "document-storage")
try recorder.register(
    OutcomeMetric("document_storage.save.attempts", of: DocumentSaveAttempt.self, outcome: \.outcome)
)

// Production code emits facts...
recorder.record(DocumentSaveAttempt(outcome: .success))
recorder.record(DocumentSaveAttempt(outcome: .success))
recorder.record(DocumentSaveAttempt(outcome: .failure))

// ...and a snapshot shows the measurements.
let attempts = recorder.snapshot()["document_storage.save.attempts"]
print(attempts?.count("success_total") ?? 0)  // 2
print(recorder.snapshot())
