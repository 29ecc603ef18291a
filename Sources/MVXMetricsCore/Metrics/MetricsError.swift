/// The error every MVX Metrics operation throws: a ``code`` you can switch on and
/// a message that says what went wrong and what to do.
///
/// ```swift
/// do {
///     try recorder.register(attempts)
/// } catch {
///     // `error` is a MetricsError: registration throws only that type.
///     guard error.code == .duplicateMetricName else { throw error }
///     // the metric is already registered
/// }
/// ```
///
/// Test the code inside the `catch`, as above, rather than in a
/// `catch … where` clause: Swift 6.3.1 fails to compile a typed-throws `do`
/// whose only clause is `catch let error where …`.
public struct MetricsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a
    /// `default` case.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A metric, dimension, label, unit or event type name breaks the
        /// rules of ``MetricNaming``.
        public static let invalidName = Code("invalidName")
        /// A metric with the same name is already registered in the recorder.
        public static let duplicateMetricName = Code("duplicateMetricName")
        /// Two different Swift types declare the same event type string.
        public static let conflictingEventType = Code("conflictingEventType")
        /// A metric declares no event type it accepts, so it could never change.
        public static let metricAcceptsNoEvents = Code("metricAcceptsNoEvents")
        /// A configuration value is out of range: histogram buckets, a cap, a
        /// queue size, quantiles.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// The operation is not allowed in the component's current lifecycle state.
        public static let invalidState = Code("invalidState")
        /// The queue was full and the overflow policy reports it.
        public static let queueFull = Code("queueFull")
        /// A recorder with the same name already exists in the runtime.
        public static let duplicateRecorder = Code("duplicateRecorder")
        /// No recorder with that name exists in the runtime.
        public static let recorderNotFound = Code("recorderNotFound")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence saying what went wrong and, where it helps, what to do.
    public let message: String

    /// Creates an error. Libraries extending MVX Metrics may throw these too.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "MetricsError.\(code): \(message)" }
}
