import DocumentStorageExample
import Foundation
import MVXMetrics
import Testing

/// The README's production-path snippet, compiled and run. `ReadmeTests`
/// checks that the README shows exactly the lines between the markers.
@Suite struct ReadmeProductionPathTests {
    @Test func theRuntimeSnippetRuns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // README: production-path begin
        let runtime = MetricsRuntime()
        try runtime.start()

        let recorder = try runtime.makeRecorder(entityID: "document-storage", overflowPolicy: .block)
        for metric in try DocumentStorageMetrics.all() { try recorder.register(metric) }

        // Production code records from any thread; record() returns at once.
        let storage = DocumentStorage(directory: folder, metrics: recorder)
        try storage.saveDocument(named: "report.txt", content: Array("hello".utf8))

        try recorder.flush()  // every event recorded before is processed
        let saved = recorder.snapshot()["document_storage.save.bytes"]?.count("total")
        print(saved ?? 0)  // 5

        runtime.shutdown()  // stops every recorder, processing what they accepted
        // README: production-path end

        #expect(saved == 5)
        #expect(recorder.state == .stopped)
    }
}
