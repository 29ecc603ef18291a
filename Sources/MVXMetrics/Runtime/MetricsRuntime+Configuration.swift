import Logging

extension MetricsRuntime {
    /// How a runtime runs and what its recorders default to.
    public struct Configuration: Sendable {
        /// The runtime's name: its processing thread's name and its log label.
        public var name: String
        /// The default capacity of new recorders: the events each producing
        /// thread's lanes may hold together (see
        /// ``QueuedMetricsRecorder/capacity``), rounded up to a power of two.
        public var defaultCapacity: Int
        /// The default overflow policy of new recorders.
        public var defaultOverflowPolicy: QueuedMetricsRecorder.OverflowPolicy
        /// Labels every series of every recorder carries, set once here for
        /// every exporter: `["service": "orders", "environment": "production"]`.
        /// Prometheus and StatsD (with DogStatsD tags) add them to each
        /// series after the dimension's own labels and the entity label, which
        /// win on a clash; OTLP sends them as resource attributes. Names are
        /// made valid by each exporter as dimension labels are. Prometheus
        /// sets `job` and `instance` itself and renames exposed labels of
        /// those names to `exported_job` and `exported_instance`.
        public var commonLabels: [String: String]
        /// Where state changes, drops and failures are logged, if anywhere.
        public var logger: Logger?
        /// How much is logged.
        public var logMode: MetricsLogMode

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - name: the processing thread's name and the log label.
        ///   - defaultCapacity: events each producing thread may have pending
        ///     per event type in a recorder; 8,192 by default.
        ///   - defaultOverflowPolicy: what a full lane does; ``QueuedMetricsRecorder/OverflowPolicy/dropNew`` by default.
        ///   - commonLabels: labels every exported series carries; none by default.
        ///   - logger: where to log; nothing is logged without one.
        ///   - logMode: how much to log.
        public init(
            name: String = "mvx-metrics",
            defaultCapacity: Int = 8192,
            defaultOverflowPolicy: QueuedMetricsRecorder.OverflowPolicy = .dropNew,
            commonLabels: [String: String] = [:],
            logger: Logger? = nil,
            logMode: MetricsLogMode = .normal
        ) {
            self.name = name
            self.defaultCapacity = defaultCapacity
            self.defaultOverflowPolicy = defaultOverflowPolicy
            self.commonLabels = commonLabels
            self.logger = logger
            self.logMode = logMode
        }
    }
}
