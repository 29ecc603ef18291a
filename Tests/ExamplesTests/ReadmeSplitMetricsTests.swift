import DocumentStorageExample
import MVXMetrics
import Testing

/// The README's and the Metrics and dimensions article's snippets of split
/// metrics, compiled and run. `ReadmeTests` checks that the README shows
/// exactly the lines between the markers.
@Suite struct ReadmeSplitMetricsTests {
    struct Upload: MetricEvent {
        static let eventType = "uploads.upload"
        var contentType: String
        var size: ByteCount
    }

    @Test func aDurationByOutcomeIsOneLine() throws {
        let recorder = InlineMetricsRecorder(entityID: "document-storage")
        // README: split-metrics begin
        try recorder.register(
            DistributionMetric(
                "document_storage.save.duration", of: DocumentSaveAttempt.self, buckets: .durations, value: \.duration
            ).split(by: \.outcome, label: "outcome"))
        // distribution{outcome="success"}, distribution{outcome="failure"}, …
        // README: split-metrics end
        recorder.record(DocumentSaveAttempt(outcome: .failure, contentSize: 99, duration: .milliseconds(1)))
        let snapshot = try #require(recorder.snapshot()["document_storage.save.duration"])
        #expect(snapshot.dimensions.count == DocumentSaveOutcome.allCases.count)
        #expect(snapshot.distribution("distribution", labels: ["outcome": "failure"])?.count == 1)
        #expect(snapshot.distribution("distribution", labels: ["outcome": "success"])?.count == 0)
    }

    @Test func bytesByContentTypeAreOneLine() throws {
        let recorder = InlineMetricsRecorder(entityID: "uploads")
        try recorder.register(
            SumMetric("uploads.bytes", of: Upload.self, value: \.size)
                .split(by: \.contentType, label: "content_type", cap: 20))
        recorder.record(Upload(contentType: "application/pdf", size: 1840))
        let snapshot = try #require(recorder.snapshot()["uploads.bytes"])
        #expect(snapshot.count("total", labels: ["content_type": "application/pdf"]) == 1840)
        #expect(snapshot.count("total", labels: ["content_type": "_overflow"]) == 0)
    }
}
