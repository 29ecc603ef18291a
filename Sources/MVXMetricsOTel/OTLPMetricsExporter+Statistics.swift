extension OTLPMetricsExporter {
    /// What the exporter has sent and seen go wrong.
    public struct Statistics: Sendable, Hashable {
        /// Exports the collector answered with 200.
        public var exports: UInt64 = 0
        /// Data points those exports carried.
        public var dataPointsSent: UInt64 = 0
        /// Exports that failed: refused or reset connections, error answers,
        /// no answer within the timeout (``OTLPExportError``). Each is also
        /// logged as a warning.
        public var exportFailures: UInt64 = 0
        /// Data points a collector said it rejected in an answer of 200
        /// (OTLP's partial success), also logged as a warning.
        public var dataPointsRejected: UInt64 = 0
    }
}
