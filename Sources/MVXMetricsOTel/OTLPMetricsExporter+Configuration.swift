import Foundation
import Logging

extension OTLPMetricsExporter {
    /// How the points of counters, sums and distributions relate from one
    /// export to the next. Gauges are the same either way.
    public enum Temporality: Sendable, Hashable {
        /// Every point is the total since the recorder began: an export that
        /// fails loses nothing, the next one carries every total. What
        /// Prometheus-style backends expect; the default.
        case cumulative
        /// Every point is what was counted since the last export that got
        /// through (the first, since the recorder began), so failed exports
        /// lose nothing here either. What backends that add up points expect.
        /// The extremes of a distribution are known only for its first point.
        case delta
    }

    /// Where the exporter sends, how often, and what it says of the process.
    public struct Configuration: Sendable {
        /// The collector's OTLP/HTTP metrics endpoint, `http` or `https`.
        public var endpoint: URL
        /// Extra request headers, such as a collector's `Authorization`.
        public var headers: [String: String]
        /// The time between exports.
        public var interval: Duration
        /// How long one export may take, connection and answer together;
        /// graceful shutdown's last export is bounded by it too.
        public var timeout: Duration
        /// Whether points are totals or differences.
        public var temporality: Temporality
        /// The resource's attributes: what every point describes, such as
        /// `service.name`, `service.instance.id` and
        /// `deployment.environment.name`. The recorders' common labels
        /// (`MetricsRuntime.Configuration.commonLabels`) are resource
        /// attributes too; these win over a common label of the same name.
        public var resourceAttributes: [String: String]
        /// The attribute that tells recorders apart, as Prometheus's
        /// `entity_id` label does.
        public var entityAttribute: String
        /// Where failed exports are reported, as warnings.
        public var logger: Logger

        /// A configuration for a service named `serviceName`: the collector on
        /// this host at the standard port, an export every 10 seconds, each
        /// given 10 seconds, cumulative temporality.
        public init(
            serviceName: String,
            endpoint: URL = URL(string: "http://127.0.0.1:4318/v1/metrics")!,
            headers: [String: String] = [:],
            interval: Duration = .seconds(10),
            timeout: Duration = .seconds(10),
            temporality: Temporality = .cumulative,
            resourceAttributes: [String: String] = [:],
            entityAttribute: String = "entity_id",
            logger: Logger = Logger(label: "mvx-metrics-otlp")
        ) {
            self.endpoint = endpoint
            self.headers = headers
            self.interval = interval
            self.timeout = timeout
            self.temporality = temporality
            self.resourceAttributes = resourceAttributes.merging(["service.name": serviceName]) { _, name in name }
            self.entityAttribute = entityAttribute
            self.logger = logger
        }
    }
}
