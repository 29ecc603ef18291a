import MVXMetricsPrometheus
import MVXMetricsTestKit
import Testing

/// A ready-made metric split by a label is one labelled family, every case's
/// series written from the start.
@Suite struct SplitExpositionTests {
    enum Outcome: MetricCase { case success, failure }

    struct Upload: MetricEvent {
        static let eventType = "uploads.upload"
        var outcome: Outcome
        var size: ByteCount
        var duration: Duration
    }

    @Test func aSplitHistogramAndSumAreLabelledFamilies() throws {
        let recorder = TestMetricsRecorder(entityID: "uploads")
        try recorder.register(
            DistributionMetric(
                "uploads.duration", of: Upload.self, buckets: try HistogramBuckets([0.01, 0.1]), quantiles: [],
                value: \.duration
            ).split(by: \.outcome, label: "outcome"))
        try recorder.register(
            SumMetric("uploads.bytes", of: Upload.self, value: \.size).split(by: \.outcome, label: "outcome"))
        recorder.record(Upload(outcome: .failure, size: 1840, duration: .milliseconds(50)))
        let text = PrometheusExposition(format: .text).render(recorder.snapshot())
        let families = try #require(text.range(of: "# HELP uploads_bytes_total")).lowerBound
        #expect(
            text[families...] == """
                # HELP uploads_bytes_total uploads.bytes total
                # TYPE uploads_bytes_total counter
                uploads_bytes_total{entity_id="uploads",outcome="failure"} 1840
                uploads_bytes_total{entity_id="uploads",outcome="success"} 0
                # HELP uploads_duration_seconds uploads.duration distribution
                # TYPE uploads_duration_seconds histogram
                uploads_duration_seconds_bucket{entity_id="uploads",outcome="failure",le="0.01"} 0
                uploads_duration_seconds_bucket{entity_id="uploads",outcome="failure",le="0.1"} 1
                uploads_duration_seconds_bucket{entity_id="uploads",outcome="failure",le="+Inf"} 1
                uploads_duration_seconds_sum{entity_id="uploads",outcome="failure"} 0.05
                uploads_duration_seconds_count{entity_id="uploads",outcome="failure"} 1
                uploads_duration_seconds_bucket{entity_id="uploads",outcome="success",le="0.01"} 0
                uploads_duration_seconds_bucket{entity_id="uploads",outcome="success",le="0.1"} 0
                uploads_duration_seconds_bucket{entity_id="uploads",outcome="success",le="+Inf"} 0
                uploads_duration_seconds_sum{entity_id="uploads",outcome="success"} 0
                uploads_duration_seconds_count{entity_id="uploads",outcome="success"} 0

                """)
    }
}
