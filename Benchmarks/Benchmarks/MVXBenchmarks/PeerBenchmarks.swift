import Benchmark
import BenchmarkWorkload
import CoreMetrics
import Metrics
import Prometheus

/// The peers on the same work: swift-prometheus used directly, and the
/// swift-metrics API with swift-prometheus as its backend.
enum PeerBenchmarks {
    static func register() {
        registerPrometheusDirect()
        registerSwiftMetricsHeld()
        registerSwiftMetricsPerOperation()
    }

    /// swift-prometheus's handles, made once: a counter per outcome label
    /// value, a bytes counter, an 11-bucket duration histogram.
    final class PrometheusHandles: Sendable {
        let registry = PrometheusCollectorRegistry()
        let attempts: [Prometheus.Counter]
        let bytes: Prometheus.Counter
        let duration: DurationHistogram

        init() {
            let registry = registry
            attempts = DocumentSaveOutcome.allCases.map { outcome in
                registry.makeCounter(
                    descriptor: Self.descriptor("document_storage_save_attempts", unit: "total"),
                    labels: [("outcome", outcome.label)])
            }
            bytes = registry.makeCounter(descriptor: Self.descriptor("document_storage_save_bytes", unit: "total"))
            duration = registry.makeDurationHistogram(
                descriptor: Self.descriptor("document_storage_save_duration", unit: "seconds"),
                buckets: Workload.durationBucketBounds.map { .nanoseconds(Int64($0 * 1e9)) })
        }

        private static func descriptor(_ name: String, unit: String) -> MetricNameDescriptor {
            MetricNameDescriptor(metricName: name, unitName: unit, helpText: "")
        }

        @inline(__always)
        func record(_ event: DocumentSaveAttempt) {
            attempts[Int(event.outcome.rawValue)].increment()
            bytes.increment(by: Int64(event.contentSize.bytes))
            duration.record(.nanoseconds(event.duration.nanoseconds))
        }
    }

    static func registerPrometheusDirect() {
        for threads in [1, 2] {
            let state = BenchmarkState<PrometheusHandles>()
            Benchmark(
                "swift-prometheus, handles held, \(threads) thread\(threads == 1 ? "" : "s")",
                configuration: Harness.configuration(.kilo)
            ) { benchmark in
                let handles = state.current
                if threads == 1 {
                    Harness.runOneThread(benchmark, next: &state.next) { handles.record($0) }
                } else {
                    Harness.runTwoThreads(benchmark, helper: state.helper, next: &state.next) { handles.record($0) }
                }
            } setup: {
                state.set(
                    PrometheusHandles(),
                    helperJob: threads == 1
                        ? nil
                        : { handles, range in
                            for index in range { handles.record(Workload.event(index)) }
                        })
            } teardown: {
                state.clear()
            }
        }
    }

    /// The process-wide swift-metrics backend: swift-prometheus, on a registry
    /// of its own. `MetricsSystem.bootstrap` may run once per process.
    static let swiftMetricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// swift-metrics handles, made once.
    final class SwiftMetricsHandles: Sendable {
        let attempts: [CoreMetrics.Counter]
        let bytes: CoreMetrics.Counter
        let duration: CoreMetrics.Timer

        init() {
            _ = PeerBenchmarks.swiftMetricsRegistry
            attempts = DocumentSaveOutcome.allCases.map { outcome in
                CoreMetrics.Counter(
                    label: "held_document_storage_save_attempts_total", dimensions: [("outcome", outcome.label)])
            }
            bytes = CoreMetrics.Counter(label: "held_document_storage_save_bytes_total")
            duration = CoreMetrics.Timer(label: "held_document_storage_save_duration_seconds")
        }

        @inline(__always)
        func record(_ event: DocumentSaveAttempt) {
            attempts[Int(event.outcome.rawValue)].increment()
            bytes.increment(by: event.contentSize.bytes)
            duration.recordNanoseconds(event.duration.nanoseconds)
        }
    }

    static func registerSwiftMetricsHeld() {
        for threads in [1, 2] {
            let state = BenchmarkState<SwiftMetricsHandles>()
            Benchmark(
                "swift-metrics + prometheus, handles held, \(threads) thread\(threads == 1 ? "" : "s")",
                configuration: Harness.configuration(.kilo)
            ) { benchmark in
                let handles = state.current
                if threads == 1 {
                    Harness.runOneThread(benchmark, next: &state.next) { handles.record($0) }
                } else {
                    Harness.runTwoThreads(benchmark, helper: state.helper, next: &state.next) { handles.record($0) }
                }
            } setup: {
                state.set(
                    SwiftMetricsHandles(),
                    helperJob: threads == 1
                        ? nil
                        : { handles, range in
                            for index in range { handles.record(Workload.event(index)) }
                        })
            } teardown: {
                state.clear()
            }
        }
    }

    /// Handles made for every operation, as code whose labels vary does.
    @inline(__always)
    static func recordWithNewHandles(_ event: DocumentSaveAttempt) {
        CoreMetrics.Counter(
            label: "per_op_document_storage_save_attempts_total", dimensions: [("outcome", event.outcome.label)]
        )
        .increment()
        CoreMetrics.Counter(label: "per_op_document_storage_save_bytes_total").increment(by: event.contentSize.bytes)
        CoreMetrics.Timer(label: "per_op_document_storage_save_duration_seconds").recordNanoseconds(
            event.duration.nanoseconds)
    }

    static func registerSwiftMetricsPerOperation() {
        for threads in [1, 2] {
            let state = BenchmarkState<Void>()
            Benchmark(
                "swift-metrics + prometheus, handles per operation, \(threads) thread\(threads == 1 ? "" : "s")",
                configuration: Harness.configuration(.kilo)
            ) { benchmark in
                if threads == 1 {
                    Harness.runOneThread(benchmark, next: &state.next) { recordWithNewHandles($0) }
                } else {
                    Harness.runTwoThreads(benchmark, helper: state.helper, next: &state.next) {
                        recordWithNewHandles($0)
                    }
                }
            } setup: {
                _ = swiftMetricsRegistry
                state.set(
                    (),
                    helperJob: threads == 1
                        ? nil
                        : { _, range in
                            for index in range { recordWithNewHandles(Workload.event(index)) }
                        })
            } teardown: {
                state.clear()
            }
        }
    }
}
