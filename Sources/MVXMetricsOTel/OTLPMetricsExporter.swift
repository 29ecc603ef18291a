import Foundation
import Logging
import MVXMetrics
import MVXMetricsExportSupport
import MVXMetricsLocking
import ServiceLifecycle

/// Exports snapshots over OTLP/HTTP (protobuf) to an OpenTelemetry collector,
/// exactly as they are.
///
/// Each export is built from the snapshots themselves, not replayed through
/// another metrics API: every distribution arrives with its own buckets and
/// its exact sum, count, min and max; every series with its unit, its
/// description and the recorder's start as its start time, series still at
/// zero included. Run it as a `Service` in your `ServiceGroup`: it exports
/// every ``Configuration/interval``, and once more on graceful shutdown.
///
/// ```swift
/// let runtime = MetricsRuntime()
/// let otlp = OTLPMetricsExporter(
///     runtime: runtime,
///     configuration: .init(
///         serviceName: "document-service",
///         endpoint: URL(string: "http://127.0.0.1:4318/v1/metrics")!))
/// // ServiceGroup(services: [otlp, MetricsRuntimeService(runtime: runtime), app], ...)
/// // (first in the group: it stops last, and its final export has everything)
/// ```
///
/// A collector that is down, refuses or never answers costs only exports:
/// recording and the runtime go on, each export gives up after
/// ``Configuration/timeout``, every failure is logged and counted in
/// ``statistics``, graceful shutdown ends within about one timeout, and the
/// next export that gets through carries everything (totals, or with
/// ``Temporality/delta`` the differences since the last success).
///
/// It sends with Foundation's `URLSession`, so this target builds no package
/// beyond swift-service-lifecycle.
public final class OTLPMetricsExporter: Service, Sendable {
    private let configuration: Configuration
    private let snapshots: @Sendable () async -> [RecorderSnapshot]
    private let transport: OTLPHTTPTransport
    private let builder: OTLPRequestBuilder
    private let state = LockedValue(State())

    private struct State {
        var baseline = DeltaBaseline()
        var statistics = Statistics()
        var failingSince: UInt64?
    }

    /// Creates an exporter of whatever `snapshots` returns at each export.
    public init(
        configuration: Configuration, snapshots: @escaping @Sendable () async -> [RecorderSnapshot]
    ) {
        self.configuration = configuration
        self.snapshots = snapshots
        transport = OTLPHTTPTransport(timeout: configuration.timeout)
        builder = OTLPRequestBuilder(
            resourceAttributes: configuration.resourceAttributes, entityAttribute: configuration.entityAttribute,
            temporality: configuration.temporality, scopeName: "mvx-metrics")
    }

    /// Creates an exporter of every recorder of `runtime`, each export taken
    /// after a flush, so it has every event recorded before it.
    public convenience init(runtime: MetricsRuntime, configuration: Configuration) {
        self.init(configuration: configuration) { await runtime.flushedSnapshot() }
    }

    /// What the exporter has sent and seen go wrong so far.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Exports now, once. ``run()`` calls it on its interval; call it
    /// yourself only while ``run()`` is not running, since two exports at
    /// once would count one delta twice.
    ///
    /// - Throws: ``OTLPExportError`` when the collector was not reached or
    ///   did not answer 200 in time; it is counted and logged too.
    public func export() async throws(OTLPExportError) {
        let snapshots = await snapshots()
        let request = state.withLock { [builder] in builder.build(snapshots, baseline: $0.baseline) }
        let answer: [UInt8]
        do {
            answer = try await transport.post(request.body, to: configuration.endpoint, headers: configuration.headers)
        } catch {
            let failures = state.withLock { state in
                state.statistics.exportFailures += 1
                if state.failingSince == nil { state.failingSince = state.statistics.exportFailures }
                return state.statistics.exportFailures
            }
            configuration.logger.warning(
                "OTLP export failed",
                metadata: [
                    "error": "\(error)", "endpoint": "\(configuration.endpoint)", "failures": "\(failures)",
                ])
            throw error
        }
        let partial = ProtobufReader.partialSuccess(in: answer)
        let recovered = state.withLock { state -> UInt64? in
            state.baseline.commit(request.sent)
            state.statistics.exports += 1
            state.statistics.dataPointsSent += UInt64(request.dataPoints)
            if let partial, partial.rejectedDataPoints > 0 {
                state.statistics.dataPointsRejected += UInt64(partial.rejectedDataPoints)
            }
            defer { state.failingSince = nil }
            return state.failingSince.map { state.statistics.exportFailures - $0 + 1 }
        }
        if let recovered {
            configuration.logger.info("OTLP export succeeded again", metadata: ["failures": "\(recovered)"])
        }
        if let partial {
            configuration.logger.warning(
                "the collector rejected part of an OTLP export",
                metadata: ["rejected": "\(partial.rejectedDataPoints)", "reason": "\(partial.errorMessage)"])
        }
    }

    /// Exports every ``Configuration/interval`` until graceful shutdown, then
    /// once more (bounded by ``Configuration/timeout``), so the collector
    /// gets the final state; on cancellation it returns at once.
    public func run() async throws {
        await PeriodicExport.run(every: configuration.interval) { try? await self.export() }
    }
}
