import InMemoryLogging
import Logging
import MVXMetrics
import Testing

@Suite struct DiagnosticsTests {
    private func run(mode: MetricsLogMode) throws -> [InMemoryLogHandler.Entry] {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in handler }
        logger.logLevel = .trace
        let runtime = MetricsRuntime(configuration: .init(name: "diagnostics", logger: logger, logMode: mode))
        try runtime.start()
        let recorder = try runtime.makeRecorder(
            entityID: "logged", capacity: 2, overflowPolicy: .dropNew, hooks: [FailingHook()])
        try recorder.register(saveAttempts())
        for _ in 0..<50 { recorder.record(SaveAttempt(outcome: .success)) }
        try recorder.flush()
        runtime.shutdown()
        return handler.entries
    }

    @Test func silentLogsNothing() throws {
        #expect(try run(mode: .silent).isEmpty)
    }

    @Test func normalLogsStateChangesDropsAndFailures() throws {
        let entries = try run(mode: .normal)
        let messages = entries.map { "\($0.level) \($0.message)" }
        #expect(messages.contains("info runtime running"))
        #expect(messages.contains("info recorder running"))
        #expect(messages.contains("info recorder stopped"))
        #expect(messages.contains("info runtime stopped"))
        #expect(messages.contains("error hook failed"))
        #expect(!entries.contains { $0.level < .info })
        if let drop = entries.first(where: { $0.message == "events dropped" }) {
            #expect(drop.level == .warning)
            #expect(drop.metadata["recorder"] == "logged")
        } else {
            // Fifty events on a capacity of two from one thread: drops are
            // possible but not certain; the statistics have the truth.
        }
        #expect(entries.allSatisfy { $0.metadata["metrics_runtime"] == "diagnostics" })
    }

    @Test func inspectionAddsRegistrationsAndFlushes() throws {
        let entries = try run(mode: .inspection)
        let messages = entries.map { "\($0.level) \($0.message)" }
        #expect(messages.contains("debug registered metric"))
        #expect(messages.contains("debug flushed"))
        #expect(messages.contains("debug recorder created"))
    }

    @Test func modesMapToLevels() {
        #expect(MetricsLogMode.silent.minimumLevel == nil)
        #expect(MetricsLogMode.normal.minimumLevel == .info)
        #expect(MetricsLogMode.inspection.minimumLevel == .debug)
    }
}
