// A driver for profilers: runs one contender of the benchmark workload for
// a number of events, with nothing else in the process, and prints the time
// per event. Run it under `valgrind --tool=callgrind` or `perf record`:
//
//     swift build -c release --package-path Benchmarks --product mvx-profile
//     perf record -g Benchmarks/.build/release/mvx-profile e2e 20000000
//     valgrind --tool=callgrind Benchmarks/.build/release/mvx-profile inline 1000000
//
// Scenarios: inline, producer, producer-any, e2e, prometheus (events), and
// render-text, render-json (renders of a snapshot of 1,000 metrics).

import BenchmarkWorkload
import MVXMetrics
import MVXMetricsPrometheus
import Prometheus

#if canImport(Glibc)
    import Glibc
#endif

func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

@inline(never)
func opaque(_ recorder: QueuedMetricsRecorder) -> any MetricsRecorder { recorder }

/// Records `count` events into recorders whose runtime never starts, in
/// batches that fit their lanes; returns the nanoseconds spent recording.
func produce(_ count: Int, erased: Bool) throws -> UInt64 {
    let batch = 4096
    var spent: UInt64 = 0
    var next = 0
    while next < count {
        let runtime = MetricsRuntime(configuration: .init(name: "profile", defaultCapacity: batch + 1))
        let recorder = try runtime.makeRecorder(entityID: "document-storage")
        try DocumentMetrics.register(in: recorder)
        let producer = opaque(recorder)
        let first = next
        recorder.record(Workload.event(first))
        let start = now()
        if erased {
            for index in (first + 1)...(first + batch) { producer.record(Workload.event(index)) }
        } else {
            for index in (first + 1)...(first + batch) { recorder.record(Workload.event(index)) }
        }
        spent += now() - start
        next = first + batch + 1
        runtime.shutdown()
        DocumentMetrics.verify(recorder.snapshot(), events: first..<next, context: "producer")
    }
    return spent
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[2]) else {
    print("usage: mvx-profile inline|producer|producer-any|e2e|prometheus EVENTS")
    print("       mvx-profile render-text|render-json RENDERS")
    exit(2)
}

let spent: UInt64
switch arguments[1] {
case "inline":
    let recorder = InlineMetricsRecorder(entityID: "document-storage")
    try DocumentMetrics.register(in: recorder)
    let start = now()
    for index in 0..<count { recorder.record(Workload.event(index)) }
    spent = now() - start
    DocumentMetrics.verify(recorder.snapshot(), events: 0..<count, context: "inline")
case "producer", "producer-any":
    spent = try produce(count, erased: arguments[1] == "producer-any")
case "e2e":
    let runtime = MetricsRuntime(configuration: .init(name: "profile", defaultOverflowPolicy: .block))
    try runtime.start()
    let recorder = try runtime.makeRecorder(entityID: "document-storage")
    try DocumentMetrics.register(in: recorder)
    let start = now()
    for index in 0..<count { recorder.record(Workload.event(index)) }
    try recorder.flush()
    spent = now() - start
    DocumentMetrics.verify(recorder.snapshot(), events: 0..<count, context: "end to end")
    runtime.shutdown()
case "prometheus":
    let registry = PrometheusCollectorRegistry()
    let attempts = DocumentSaveOutcome.allCases.map { outcome in
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "attempts", unitName: "total", helpText: ""),
            labels: [("outcome", outcome.label)])
    }
    let bytes = registry.makeCounter(
        descriptor: MetricNameDescriptor(metricName: "bytes", unitName: "total", helpText: ""))
    let duration = registry.makeDurationHistogram(
        descriptor: MetricNameDescriptor(metricName: "duration", unitName: "seconds", helpText: ""),
        buckets: Workload.durationBucketBounds.map { .nanoseconds(Int64($0 * 1e9)) })
    let start = now()
    for index in 0..<count {
        let event = Workload.event(index)
        attempts[Int(event.outcome.rawValue)].increment()
        bytes.increment(by: Int64(event.contentSize.bytes))
        duration.record(.nanoseconds(event.duration.nanoseconds))
    }
    spent = now() - start
case "render-text", "render-json":
    struct Ping: MetricEvent { static let eventType = "bench.render.ping" }
    let recorder = InlineMetricsRecorder(entityID: "render")
    for index in 0..<1000 {
        try recorder.register(
            EventCountMetric("bench.render.counter_\(String(index + 10_000).dropFirst())", of: Ping.self))
    }
    recorder.record(Ping())
    let exposition = PrometheusExposition(format: .text)
    var bytes = 0
    let start = now()
    for _ in 0..<count {
        let snapshot = recorder.snapshot()
        bytes &+=
            arguments[1] == "render-text" ? exposition.renderBytes([snapshot]).count : try snapshot.jsonData().count
    }
    spent = now() - start
    precondition(bytes > 0)
default:
    print("unknown scenario \(arguments[1])")
    exit(2)
}
print("\(arguments[1]): \(count) events, \(Double(spent) / Double(count)) ns per event")
