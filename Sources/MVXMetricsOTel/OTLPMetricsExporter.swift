import Logging
import MVXMetrics
import MVXMetricsSwiftMetrics
import OTel
import ServiceLifecycle

/// Exports MVX metrics over OTLP to an OpenTelemetry collector, through
/// swift-otel.
///
/// It pairs a `SwiftMetricsExporter` (a recorder
/// hook that mirrors MVX dimensions into swift-metrics instruments) with
/// swift-otel's metrics backend, made without a global bootstrap. Add
/// ``hook`` to the recorders to export, and run the exporter as a
/// `Service`: it runs swift-otel's periodic reader and exporter, and on
/// graceful shutdown mirrors what changed last so the final export has it.
///
/// ```swift
/// var otel = OTel.Configuration.default
/// otel.serviceName = "document-service"
/// otel.traces.enabled = false
/// otel.logs.enabled = false
/// otel.metrics.otlpExporter.endpoint = "http://127.0.0.1:4318/v1/metrics"
/// let export = try OTLPMetricsExporter(source: runtime, configuration: otel)
/// let recorder = try runtime.createRecorder(named: "storage", hooks: [export.hook])
/// // run `export` in your ServiceGroup
/// ```
///
/// A collector that is down, refuses or never answers costs only exports:
/// recording and the runtime go on, each export gives up after
/// `configuration.metrics.exportTimeout` (and each request after
/// `configuration.metrics.otlpExporter.timeout`), every failure is logged and
/// counted in ``statistics``, and graceful shutdown ends within about one
/// export timeout, its last export included. With the default cumulative
/// temporality, the first export that succeeds again carries every total.
///
/// This target depends on swift-otel with its `OTLPHTTP` trait only; it takes
/// a few minutes to build, which is why the exporter lives apart from the
/// core: users of `MVXMetrics` alone never build it.
public struct OTLPMetricsExporter: Service {
    /// The hook to add to every recorder whose metrics should be exported.
    public let hook: SwiftMetricsExporter
    private let run: @Sendable () async throws -> Void
    private let failures = ExportFailureCount()

    /// What the exporter has seen go wrong.
    public struct Statistics: Sendable, Hashable {
        /// Exports swift-otel gave up on: refused or reset connections, error
        /// responses, and exports past their timeout. Each one is also logged
        /// as a warning to the diagnostic logger.
        public var exportFailures: UInt64
    }

    /// What the exporter has seen go wrong so far.
    public var statistics: Statistics {
        Statistics(exportFailures: failures.count.load(ordering: .relaxed))
    }

    /// Creates the exporter.
    ///
    /// - Parameters:
    ///   - source: where changed metrics are read (usually the runtime).
    ///   - configuration: swift-otel's configuration; only its metrics part is used.
    ///   - interval: how often changed MVX metrics are mirrored into the
    ///     swift-otel instruments (swift-otel exports them on its own interval).
    ///   - diagnosticLogger: where swift-otel's diagnostics go, export failures
    ///     among them, at `configuration.diagnosticLogLevel`; standard error
    ///     (swift-otel's `.console`) when nil. It takes the place of
    ///     `configuration.diagnosticLogger`, which cannot be read back to be
    ///     wrapped for counting failures.
    /// - Throws: swift-otel's configuration errors.
    public init(
        source: any MetricsSnapshotSource, configuration: OTel.Configuration, interval: Duration = .seconds(1),
        diagnosticLogger: Logger? = nil
    ) throws {
        var configuration = configuration
        configuration.traces.enabled = false
        configuration.logs.enabled = false
        let wrapped = diagnosticLogger?.handler ?? StreamLogHandler.standardError(label: "swift-otel")
        let failures = self.failures
        configuration.diagnosticLogger = .custom(
            Logger(label: diagnosticLogger?.label ?? "swift-otel") { _ in
                ExportFailureCountingLogHandler(wrapping: wrapped, failures: failures)
            })
        let backend = try OTel.makeMetricsBackend(configuration: configuration)
        let hook = SwiftMetricsExporter(source: source, factory: backend.factory, interval: interval)
        self.hook = hook
        let service = backend.service
        run = {
            try await withGracefulShutdownHandler {
                try await service.run()
            } onGracefulShutdown: {
                hook.flush()
            }
        }
    }

    /// Runs swift-otel's reader and exporter until graceful shutdown or cancellation.
    public func run() async throws {
        try await run()
    }
}
