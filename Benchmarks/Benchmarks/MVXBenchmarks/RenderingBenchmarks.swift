import Benchmark
import BenchmarkWorkload
import Foundation
import MVXMetrics
import MVXMetricsPrometheus
import Prometheus

/// Rendering 1,000 metrics for a scrape: MVX's snapshot as Prometheus text
/// (`MVXMetricsPrometheus`, with its defaults, so the recorder's statistics
/// families are rendered too) and as JSON, and swift-prometheus rendering
/// 1,000 counters as its text format. Each MVX rendering is measured with the
/// snapshot taken inside the measurement (what a scrape costs) and of a
/// snapshot taken before it (the rendering alone).
enum RenderingBenchmarks {
    static let metricCount = 1000

    /// The event the rendered metrics count.
    struct Ping: MetricEvent {
        static let eventType = "bench.render.ping"
    }

    static func register() {
        registerSwiftPrometheus()
        registerMVXPrometheusText()
        registerMVXJSON()
    }

    static func metricName(_ index: Int) -> String {
        "bench.render.counter_\(String(index + 10_000).dropFirst())"
    }

    /// A recorder with 1,000 counters, each of which counted a few events.
    static func makeRecorder() throws -> InlineMetricsRecorder {
        let recorder = InlineMetricsRecorder(entityID: "render")
        for index in 0..<metricCount {
            try recorder.register(EventCountMetric(metricName(index), of: Ping.self))
        }
        for _ in 0..<3 { recorder.record(Ping()) }
        return recorder
    }

    static func registerSwiftPrometheus() {
        let state = BenchmarkState<(PrometheusCollectorRegistry, [UInt8])>()
        Benchmark(
            "swift-prometheus, render 1,000 counters", configuration: Harness.configuration(.one)
        ) { benchmark in
            var (registry, buffer) = state.current
            buffer.removeAll(keepingCapacity: true)
            benchmark.startMeasurement()
            registry.emit(into: &buffer)
            benchmark.stopMeasurement()
            precondition(buffer.count > metricCount * 20, "rendered only \(buffer.count) bytes")
            blackHole(buffer)
        } setup: {
            let registry = PrometheusCollectorRegistry()
            for index in 0..<metricCount {
                let name = metricName(index).replacingOccurrences(of: ".", with: "_")
                registry.makeCounter(
                    descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: "")
                )
                .increment(by: Int64(3))
            }
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            state.set((registry, buffer))
        } teardown: {
            state.clear()
        }
    }

    static func registerMVXPrometheusText() {
        for includesSnapshot in [true, false] {
            let state = BenchmarkState<(InlineMetricsRecorder, RecorderSnapshot)>()
            let name =
                includesSnapshot
                ? "MVX snapshot + Prometheus text, 1,000 metrics"
                : "MVX Prometheus text of a taken snapshot, 1,000 metrics"
            let exposition = PrometheusExposition(format: .text)
            Benchmark(name, configuration: Harness.configuration(.one)) { benchmark in
                let (recorder, taken) = state.current
                benchmark.startMeasurement()
                let snapshot = includesSnapshot ? recorder.snapshot() : taken
                let text = exposition.renderBytes([snapshot])
                benchmark.stopMeasurement()
                precondition(snapshot.metrics.count == metricCount && text.count > metricCount * 20)
                blackHole(text)
            } setup: {
                let recorder = try makeRecorder()
                state.set((recorder, recorder.snapshot()))
            } teardown: {
                state.clear()
            }
        }
    }

    static func registerMVXJSON() {
        for includesSnapshot in [true, false] {
            let state = BenchmarkState<(InlineMetricsRecorder, RecorderSnapshot)>()
            let name =
                includesSnapshot
                ? "MVX snapshot + JSON, 1,000 metrics" : "MVX JSON of a taken snapshot, 1,000 metrics"
            Benchmark(name, configuration: Harness.configuration(.one)) { benchmark in
                let (recorder, taken) = state.current
                benchmark.startMeasurement()
                let snapshot = includesSnapshot ? recorder.snapshot() : taken
                let json = try! snapshot.jsonData()
                benchmark.stopMeasurement()
                precondition(snapshot.metrics.count == metricCount && json.count > metricCount * 20)
                blackHole(json)
            } setup: {
                let recorder = try makeRecorder()
                state.set((recorder, recorder.snapshot()))
            } teardown: {
                state.clear()
            }
        }
    }
}
