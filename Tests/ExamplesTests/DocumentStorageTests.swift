import DocumentStorageExample
import Foundation
import MVXMetricsTestKit
import MVXMetricsTestSupport
import Testing

@Suite struct DocumentStorageTests {
    @Test func everyAttemptIsOneFactWithItsOutcome() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let probe = TestMetricsRecorder(entityID: "document-storage")
        let storage = DocumentStorage(
            directory: folder.url, maximumSize: 1000, metrics: probe, clock: StepClock(step: .milliseconds(5)))

        try storage.saveDocument(named: "a.txt", content: Array(repeating: 1, count: 840))
        #expect(throws: DocumentStorageError.self) { try storage.saveDocument(named: "../a.txt", content: [1]) }
        let tooLarge = #expect(throws: DocumentStorageError.self) {
            try storage.saveDocument(named: "big.bin", content: Array(repeating: 0, count: 1001))
        }
        #expect(tooLarge?.outcome == .tooLarge)

        #expect(try storage.loadDocument(named: "a.txt").count == 840)
        #expect(probe.events(of: DocumentSaveAttempt.self).map(\.outcome) == [.success, .invalidName, .tooLarge])
        #expect(probe.events(of: DocumentSaveAttempt.self).map(\.contentSize) == [840, 1, 1001])
        #expect(probe.events(of: DocumentSaveAttempt.self).allSatisfy { $0.duration == .milliseconds(5) })
        #expect(probe.eventTypes == Array(repeating: "document_storage.save.attempt", count: 3))
    }

    @Test func everyOutcomeIsEmittedByOnePathAndEveryFactIsMeasured() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let probe = TestMetricsRecorder(entityID: "document-storage")
        for metric in try DocumentStorageMetrics.all() { try probe.register(metric) }
        let storage = DocumentStorage(directory: folder.url, maximumSize: 4, metrics: probe)
        let missing = DocumentStorage(directory: folder.url.appendingPathComponent("missing"), metrics: probe)
        try storage.saveDocument(named: "a.txt", content: [1, 2, 3])
        _ = try? storage.saveDocument(named: "", content: [1])
        _ = try? storage.saveDocument(named: "big.bin", content: [1, 2, 3, 4, 5])
        let before = #expect(throws: MetricExpectationFailure.self) {
            try probe.expectEveryCase(of: \DocumentSaveAttempt.outcome)
        }
        #expect(
            before?.message.contains("never recorded: failure (recorded: success, too_large, invalid_name)") == true)
        _ = try? missing.saveDocument(named: "lost.txt", content: [1])

        // README: testing-coverage begin
        try probe.expectEveryCase(of: \DocumentSaveAttempt.outcome)
        try probe.expectEveryRecordedEventConsumed()
        // README: testing-coverage end
    }

    @Test func theSnapshotsArticleReadsWhatGettingStartedRegisters() throws {
        let recorder = InlineMetricsRecorder(entityID: "document-storage")
        try recorder.register(
            OutcomeMetric("document_storage.save.attempts", of: DocumentSaveAttempt.self, outcome: \.outcome))
        try recorder.register(
            SumMetric("document_storage.save.bytes", of: DocumentSaveAttempt.self, value: \.contentSize))
        try recorder.register(
            DistributionMetric(
                "document_storage.save.duration", of: DocumentSaveAttempt.self, buckets: .durations, value: \.duration))
        try recorder.register(
            SumMetric("document_storage.save.success_bytes", of: DocumentSaveAttempt.self, value: \.contentSize) {
                $0.outcome == .success
            })
        recorder.record(DocumentSaveAttempt(outcome: .success, contentSize: 1840, duration: .milliseconds(12)))
        recorder.record(DocumentSaveAttempt(outcome: .failure, contentSize: 99, duration: .milliseconds(1)))

        let snapshot = recorder.snapshot()
        let attempts = snapshot["document_storage.save.attempts"]
        #expect(attempts?.count("success_total") == 1)
        #expect(snapshot["document_storage.save.bytes"]?.count("total") == 1939)
        #expect(snapshot["document_storage.save.success_bytes"]?.count("total") == 1840)
        let p99 = try #require(
            snapshot["document_storage.save.duration"]?.distribution("distribution")?.quantile(0.99))
        #expect(abs(p99 - 0.012) <= 0.012 / 64)
    }

    @Test func theExtendedEventFeedsThreeMetricsExactly() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let recorder = InlineMetricsRecorder(entityID: "document-storage")
        for metric in try DocumentStorageMetrics.all() { try recorder.register(metric) }
        let clock = StepClock(step: .milliseconds(12))
        let storage = DocumentStorage(directory: folder.url, maximumSize: 4096, metrics: recorder, clock: clock)
        let missing = DocumentStorage(
            directory: folder.url.appendingPathComponent("missing"), metrics: recorder,
            clock: StepClock(step: .milliseconds(40)))

        try storage.saveDocument(named: "report.txt", content: Array(repeating: 65, count: 1840))
        try storage.saveDocument(named: "notes.txt", content: Array(repeating: 66, count: 160))
        #expect(throws: DocumentStorageError.self) { try storage.saveDocument(named: "", content: [1, 2]) }
        #expect(throws: DocumentStorageError.self) {
            try storage.saveDocument(named: "huge.bin", content: Array(repeating: 0, count: 5000))
        }
        let failure = #expect(throws: DocumentStorageError.self) {
            try missing.saveDocument(named: "lost.txt", content: [1, 2, 3])
        }
        #expect(failure?.outcome == .failure)

        var snapshot = recorder.snapshot()
        snapshot.startedAt = Date(timeIntervalSince1970: 1_795_693_602)
        snapshot.takenAt = Date(timeIntervalSince1970: 1_795_693_662)
        let json = String(decoding: try snapshot.jsonData(prettyPrinted: true), as: UTF8.self)
        #expect(json == Self.expectedJSON)
    }

    /// Five attempts: two successes (1840 and 160 bytes), one invalid name, one
    /// too large, one failure; four lasted 12 ms and one 40 ms. The quantiles
    /// are the sketch's bin midpoints: within 1/64 of 12 ms and 40 ms.
    static let expectedJSON = #"""
        {
          "entity_id" : "document-storage",
          "metrics" : [
            {
              "dimensions" : [
                {
                  "name" : "total",
                  "type" : "counter",
                  "value" : 5
                },
                {
                  "name" : "success_total",
                  "part_of" : {
                    "label" : "outcome",
                    "value" : "success",
                    "whole" : "total"
                  },
                  "type" : "counter",
                  "value" : 2
                },
                {
                  "name" : "failure_total",
                  "part_of" : {
                    "label" : "outcome",
                    "value" : "failure",
                    "whole" : "total"
                  },
                  "type" : "counter",
                  "value" : 1
                },
                {
                  "name" : "too_large_total",
                  "part_of" : {
                    "label" : "outcome",
                    "value" : "too_large",
                    "whole" : "total"
                  },
                  "type" : "counter",
                  "value" : 1
                },
                {
                  "name" : "invalid_name_total",
                  "part_of" : {
                    "label" : "outcome",
                    "value" : "invalid_name",
                    "whole" : "total"
                  },
                  "type" : "counter",
                  "value" : 1
                }
              ],
              "help" : "Document save attempts by outcome.",
              "name" : "document_storage.save.attempts"
            },
            {
              "dimensions" : [
                {
                  "name" : "total",
                  "type" : "counter",
                  "unit" : "bytes",
                  "value" : 2000
                }
              ],
              "help" : "Bytes of documents saved successfully.",
              "name" : "document_storage.save.bytes"
            },
            {
              "dimensions" : [
                {
                  "name" : "seconds",
                  "type" : "distribution",
                  "unit" : "seconds",
                  "value" : {
                    "buckets" : [
                      {
                        "count" : 0,
                        "le" : 0.005
                      },
                      {
                        "count" : 0,
                        "le" : 0.01
                      },
                      {
                        "count" : 4,
                        "le" : 0.025
                      },
                      {
                        "count" : 5,
                        "le" : 0.05
                      },
                      {
                        "count" : 5,
                        "le" : 0.1
                      },
                      {
                        "count" : 5,
                        "le" : 0.25
                      },
                      {
                        "count" : 5,
                        "le" : 0.5
                      },
                      {
                        "count" : 5,
                        "le" : 1
                      },
                      {
                        "count" : 5,
                        "le" : 2.5
                      },
                      {
                        "count" : 5,
                        "le" : 5
                      },
                      {
                        "count" : 5,
                        "le" : 10
                      }
                    ],
                    "count" : 5,
                    "max" : 0.04,
                    "min" : 0.012,
                    "quantiles" : [
                      {
                        "quantile" : 0.5,
                        "value" : 0.0120849609375
                      },
                      {
                        "quantile" : 0.9,
                        "value" : 0.03955078125
                      },
                      {
                        "quantile" : 0.99,
                        "value" : 0.03955078125
                      }
                    ],
                    "sum" : 0.088
                  }
                }
              ],
              "help" : "Duration of document save attempts.",
              "name" : "document_storage.save.duration"
            }
          ],
          "started_at" : "2026-11-26T11:46:42.000Z",
          "statistics" : {
            "accepted" : 5,
            "dropped" : 0,
            "dropped_by_event_type" : {

            },
            "handler_failures" : 0,
            "hook_failures" : 0,
            "ignored" : 0,
            "pending" : 0,
            "processed" : 5,
            "rejected_values" : 0
          },
          "taken_at" : "2026-11-26T11:47:42.000Z"
        }
        """#
}
