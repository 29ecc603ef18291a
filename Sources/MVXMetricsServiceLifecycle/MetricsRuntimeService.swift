import MVXMetrics
import ServiceLifecycle

/// A `MetricsRuntime` as a swift-service-lifecycle `Service`: the
/// server way to run it.
///
/// Add it to the `ServiceGroup` that runs your application, before the
/// services that record into it: graceful shutdown (SIGTERM, say) stops
/// services in reverse order, so your producers stop first, and then the
/// runtime stops every recorder, each processing every event it accepted.
///
/// A group starts its services concurrently. Start the runtime yourself before
/// running the group if producers record from their first instant: a recorder
/// that has not started keeps only `QueuedMetricsRecorder.capacity`
/// events per thread and event type, and drops (and counts) the rest.
///
/// ```swift
/// let runtime = MetricsRuntime()
/// try runtime.start()
/// let recorder = try runtime.makeRecorder(entityID: "http")
/// let group = ServiceGroup(
///     services: [MetricsRuntimeService(runtime: runtime), httpServer],
///     gracefulShutdownSignals: [.sigterm],
///     logger: logger)
/// try await group.run()
/// ```
public struct MetricsRuntimeService: Service {
    /// The runtime this service runs.
    public let runtime: MetricsRuntime

    /// Creates a service for `runtime`; the runtime is started by `run()` if
    /// it has not been started yet.
    public init(runtime: MetricsRuntime) {
        self.runtime = runtime
    }

    /// Starts the runtime (if needed), waits for graceful shutdown or
    /// cancellation, then shuts the runtime down, processing what every
    /// recorder accepted.
    public func run() async throws {
        if runtime.state == .created { try await runtime.start() }
        // Cancellation ends the wait as well as graceful shutdown does; both
        // end in a full shutdown.
        try? await gracefulShutdown()
        await runtime.shutdown()
    }
}
