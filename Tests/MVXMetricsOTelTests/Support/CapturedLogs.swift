import Foundation
import Logging

/// Every message logged through its handlers, for checking what was reported.
final class CapturedLogs: @unchecked Sendable {
    // @unchecked: `entries` is only touched under `lock`.
    private let lock = NSLock()
    private var entries: [(Logger.Level, String)] = []

    func handler() -> some LogHandler { Handler(logs: self) }

    func messages(at level: Logger.Level) -> [String] {
        lock.withLock { entries.filter { $0.0 == level }.map(\.1) }
    }

    fileprivate func append(_ level: Logger.Level, _ message: String) {
        lock.withLock { entries.append((level, message)) }
    }

    private struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            logs.append(event.level, event.message.description)
        }
    }
}
