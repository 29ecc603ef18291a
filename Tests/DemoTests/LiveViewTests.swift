import DocumentStorageExample
import Foundation
import MVXMetrics
import TCPStreamExample
import Testing

@testable import DemoExample

/// The terminal view and its formatting, from snapshots made by hand.
@Suite struct LiveViewTests {
    private func snapshots() throws -> [RecorderSnapshot] {
        let documents = InlineMetricsRecorder(entityID: "document-storage")
        for metric in try DocumentStorageMetrics.all() { try documents.register(metric) }
        for outcome in [DocumentSaveOutcome.success, .success, .tooLarge] {
            documents.record(DocumentSaveAttempt(outcome: outcome, contentSize: 2048, duration: .milliseconds(2)))
        }
        let tcp = InlineMetricsRecorder(entityID: "tcp-stream")
        for metric in try TCPStreamMetrics.all() { try tcp.register(metric) }
        tcp.record(TCPStreamReadAttempt(outcome: .success, bytesReceived: 1536, duration: .microseconds(40)))
        tcp.record(TCPStreamReadAttempt(outcome: .timeout, bytesReceived: 0, duration: .milliseconds(40)))
        tcp.record(TCPStreamWriteAttempt(outcome: .success, bytesSent: 1536, duration: .microseconds(20)))
        return [documents.snapshot(), tcp.snapshot()]
    }

    @Test func theFrameShowsAttemptsBytesAndRecorders() throws {
        let view = LiveView(address: "http://127.0.0.1:9464/", duration: .seconds(30))
        let lines = view.frame(
            try snapshots(), rates: ["document-storage": 199.6, "tcp-stream": 1420], elapsed: .seconds(15))
        let text = lines.joined(separator: "\n")
        #expect(lines[0] == "MVX Metrics demo  ·  live page http://127.0.0.1:9464/")
        #expect(lines[1].hasPrefix(String(repeating: "█", count: 16) + String(repeating: "░", count: 16)))
        #expect(lines[1].contains("15.0 s / 30 s"))
        let saves = try #require(lines.first { $0.hasPrefix("document_storage.save ") })
        #expect(saves.contains("too_large 1"))
        #expect(saves.split(separator: " ").prefix(3) == ["document_storage.save", "3", "2"])
        let reads = try #require(lines.first { $0.hasPrefix("tcp_stream.read ") })
        #expect(reads.contains("timeout 1"))
        #expect(text.contains("sent 1.50 KiB"))
        #expect(text.contains("saved 4.00 KiB"))
        let recorder = try #require(lines.first { $0.hasPrefix("tcp-stream ") })
        #expect(recorder.split(separator: " ") == ["tcp-stream", "1,420", "3", "3", "0", "0"])
        #expect(!text.contains("\u{1B}"))  // no colour unless asked
    }

    @Test func thePlainLineSumsUpForALog() throws {
        let view = LiveView(address: nil, duration: nil)
        let line = view.line(try snapshots(), rates: ["tcp-stream": 10, "document-storage": 5], elapsed: .seconds(2))
        #expect(
            line
                == "[  2.0 s] saves 3 (2 ok) · tcp attempts 3 (timeout 1) · sent 1.50 KiB · 15 events/s · dropped 0 · pending 0"
        )
    }

    @Test func linesAreClippedToTheTerminalKeepingColours() {
        #expect(Terminal.clip("abcdef", to: 4) == "abcd")
        #expect(Terminal.clip("ab", to: 4) == "ab")
        #expect(Terminal.clip("\u{1B}[1mabcdef\u{1B}[0m", to: 3) == "\u{1B}[1mabc\u{1B}[0m\u{1B}[0m")
        #expect(Terminal.clip("█░█░", to: 2) == "█░")
    }

    @Test func numbersAreShortAndLocaleFree() {
        #expect(DemoFormat.count(UInt64(1_234_567)) == "1,234,567")
        #expect(DemoFormat.count(UInt64(999)) == "999")
        #expect(DemoFormat.bytes(812) == "812 B")
        #expect(DemoFormat.bytes(1536) == "1.50 KiB")
        #expect(DemoFormat.bytes(3.9 * 1_048_576) == "3.90 MiB")
        #expect(DemoFormat.bytes(42 * 1_048_576) == "42.0 MiB")
        #expect(DemoFormat.seconds(0.000_048) == "48 µs")
        #expect(DemoFormat.seconds(0.00312) == "3.12 ms")
        #expect(DemoFormat.seconds(0.0211) == "21.1 ms")
        #expect(DemoFormat.seconds(1.2) == "1.20 s")
        #expect(DemoFormat.fixed(-0.04, digits: 1) == "0.0")
    }

    @Test func ratesComeFromTheGrowthOfAcceptedEvents() {
        var meter = RateMeter()
        let start = Date(timeIntervalSince1970: 1_000)
        func snapshot(_ accepted: UInt64, at offset: TimeInterval) -> RecorderSnapshot {
            RecorderSnapshot(
                entityID: "r", takenAt: start.addingTimeInterval(offset), metrics: [],
                statistics: RecorderStatistics(accepted: accepted, processed: accepted))
        }
        #expect(meter.update([snapshot(100, at: 0)]).isEmpty)
        #expect(meter.update([snapshot(300, at: 0.5)]) == ["r": 400])
        #expect(meter.update([snapshot(301, at: 0.51)]) == ["r": 400])  // too close to tell
    }
}
