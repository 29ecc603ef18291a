/// Where a recorder or a runtime is in its life.
///
/// ```
/// created ──start──▶ starting ──▶ running ──stop──▶ stopping ──▶ stopped
///                       │                                           │
///                       └──────────▶ failed       start again ◀─────┘ (recorders)
/// ```
///
/// Operations in the wrong state throw ``MetricsError`` with code
/// ``MetricsError/Code/invalidState``, saying which state the component is in
/// and which it needs.
public enum LifecycleState: String, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Made, not started. A queued recorder already accepts events and keeps
    /// them until it starts.
    case created
    /// Starting: moving to ``running``.
    case starting
    /// Processing events.
    case running
    /// Stopping: refusing new events, processing the ones already accepted.
    case stopping
    /// Stopped: every accepted event was processed; new ones are dropped and counted.
    case stopped
    /// Could not start (for example, the processing thread could not be created).
    case failed

    public var description: String { rawValue }
}
