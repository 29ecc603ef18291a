import Logging

/// How much a runtime and its recorders tell their `Logger`, after the
/// original's log modes.
///
/// | mode | what is logged |
/// | --- | --- |
/// | ``silent`` | nothing |
/// | ``normal`` | state changes (`info`), drops (`warning`, at most once a second per recorder), hook and handler failures (`error`) |
/// | ``inspection`` | all of ``normal``, plus registrations, flushes and snapshots (`debug`) |
///
/// Nothing is logged on the path that records an event: drops are counted
/// there and reported by the processing thread.
public enum MetricsLogMode: String, Sendable, Hashable, CaseIterable {
    /// Log nothing.
    case silent
    /// Log state changes, drops and failures.
    case normal
    /// Log everything, including registrations, flushes and snapshots.
    case inspection

    /// The lowest level logged in this mode, or `nil` for ``silent``.
    public var minimumLevel: Logger.Level? {
        switch self {
        case .silent: nil
        case .normal: .info
        case .inspection: .debug
        }
    }
}
