import Foundation
import Logging
import MVXMetrics
import MVXMetricsOTel
import MVXMetricsServiceLifecycle
import MVXMetricsTestSupport
import ServiceLifecycle
import Testing

private enum DocumentSaveOutcome: MetricCase { case success, failure }

private struct DocumentSaveAttempt: MetricEvent {
    static let eventType = "document_storage.save.attempt"
    var outcome: DocumentSaveOutcome
}

/// README's OpenTelemetry setup, line for line but for the collector's port
/// and the signals (the test stops the group itself), against a real receiver.
@Suite struct ReadmeOTLPSetupTests {
    @Test(.needsOTLPReceiver)
    func theReadmeSetupExportsEveryEventByShutdown() async throws {
        let python = try #require(RealComponents.python, "a Python with opentelemetry-proto is required under CI")
        let receiver = try OTLPReceiver(python: python)
        defer { receiver.discard() }
        try await receiver.listening()

        let runtime = MetricsRuntime()
        let recorder = try runtime.makeRecorder(entityID: "storage")
        try recorder.register(
            OutcomeMetric("document_storage.save.attempts", of: DocumentSaveAttempt.self, outcome: \.outcome))
        let otlp = OTLPMetricsExporter(
            runtime: runtime,
            configuration: .init(
                serviceName: "document-service",
                endpoint: URL(string: "http://127.0.0.1:\(receiver.port)/v1/metrics")!,
                interval: .seconds(10),
                resourceAttributes: ["deployment.environment.name": "production"]))
        let group = ServiceGroup(
            services: [otlp, MetricsRuntimeService(runtime: runtime)],
            gracefulShutdownSignals: [], logger: Logger(label: "document-service"))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await eventually { runtime.state == .running })
            for index in 0..<25 { recorder.record(DocumentSaveAttempt(outcome: index < 20 ? .success : .failure)) }
            // The export on shutdown carries every event, whether or not a
            // periodic one (every 10 s) came first on a slow machine.
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let request = try #require(receiver.requests().last)
        let attempts = try #require(request.metric("document_storage.save.attempts"))
        #expect(attempts.point(["entity_id": "storage", "outcome": "success"])?.int == 20)
        #expect(attempts.point(["entity_id": "storage", "outcome": "failure"])?.int == 5)
        #expect(request.resource == ["service.name": "document-service", "deployment.environment.name": "production"])
        #expect(otlp.statistics.exports >= 1 && otlp.statistics.exportFailures == 0)
    }
}
