import Logging
import Synchronization

/// Counts the export failures swift-otel reports, and passes every message on.
///
/// swift-otel's periodic reader catches a failed or timed-out export and only
/// logs it (a warning, "Failed to export metrics."); its diagnostic logger is
/// the one place a failure can be seen, so the count is taken there. Warnings
/// always reach this handler, whatever level the configuration asks for, so
/// the count does not depend on it; only messages at that level go on to the
/// wrapped handler.
struct ExportFailureCountingLogHandler: LogHandler {
    /// The message swift-otel 1.6 logs for each failed export.
    static let failureMessage = "Failed to export metrics."

    private var wrapped: any LogHandler
    private let failures: ExportFailureCount

    init(wrapping wrapped: any LogHandler, failures: ExportFailureCount) {
        self.wrapped = wrapped
        self.failures = failures
    }

    var logLevel: Logger.Level {
        get { min(wrapped.logLevel, .warning) }
        set { wrapped.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        if event.level >= .warning, event.message.description == Self.failureMessage {
            failures.count.add(1, ordering: .relaxed)
        }
        if event.level >= wrapped.logLevel {
            wrapped.log(event: event)
        }
    }
}

/// The failure count the handler and the exporter share.
final class ExportFailureCount: Sendable {
    let count = Atomic<UInt64>(0)
}
