import Logging

/// A `Logger` filtered by a ``MetricsLogMode``, with the component's identity
/// attached as metadata.
struct Diagnostics: Sendable {
    let logger: Logger?
    let mode: MetricsLogMode

    init(logger: Logger?, mode: MetricsLogMode, metadata: Logger.Metadata = [:]) {
        if var logger {
            for (key, value) in metadata { logger[metadataKey: key] = value }
            self.logger = logger
        } else {
            self.logger = nil
        }
        self.mode = mode
    }

    func adding(_ metadata: Logger.Metadata) -> Diagnostics {
        Diagnostics(logger: logger, mode: mode, metadata: metadata)
    }

    func log(
        _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message,
        _ metadata: @autoclosure () -> Logger.Metadata? = nil
    ) {
        guard let logger, let minimum = mode.minimumLevel, level >= minimum else { return }
        logger.log(level: level, message(), metadata: metadata())
    }
}
