// A driver for profilers: runs one contender of the benchmark workload for
// a number of events, with nothing else in the process, and prints the time
// per event. Run it under `valgrind --tool=callgrind` or `perf record`:
//
//     swift build -c release --package-path Benchmarks --product mvx-profile
//     perf record -g Benchmarks/.build/release/mvx-profile e2e 20000000
//     valgrind --tool=callgrind Benchmarks/.build/release/mvx-profile inline 1000000
//
// Scenarios: inline, producer, producer-any, e2e, prometheus (events), and
// render-text, render-json (renders of a snapshot of 1,000 metrics), and
// register-ascending, register-descending, register-random, register-prometheus
// (METRICS counters made, names in that order, or by swift-prometheus), and
// e2e-idle-N (end to end with N idle producer threads x 100 event types
// that recorded once, then the cost of flushing the empty recorder),
// memory-N (N producer threads x 100 event types of 24 bytes, EVENTS each,
// interleaved, into a running recorder with the block policy; prints how
// much resident memory grew), series-text and series-prometheus (SERIES
// labelled series of one counter, then a snapshot and its Prometheus text
// five times, or swift-prometheus's text of as many labelled counters),
// record-types-N (`record` alone, with N event types registered; measure it
// with `--toggle-collect='*recordLoop*'`), histogram-distribution and
// histogram-exponential (the workload's durations recorded into a
// `Distribution` with the Prometheus buckets and three quantiles, or into an
// `ExponentialHistogram`; `--toggle-collect='*HistogramLoop*'`). `check-instructions` runs some of
// them under callgrind against `Thresholds/instructions.json`.

import BenchmarkWorkload
import Dispatch
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

/// Records the workload's first `count` durations into `histogram`.
@inline(never)
func distributionHistogramLoop(_ histogram: inout Distribution<Nanoseconds>, _ count: Int) {
    for index in 0..<count { histogram.record(Workload.event(index).duration) }
}

/// Records the workload's first `count` durations into `histogram`.
@inline(never)
func exponentialHistogramLoop(_ histogram: inout ExponentialHistogram<Nanoseconds>, _ count: Int) {
    for index in 0..<count { histogram.record(Workload.event(index).duration) }
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

/// A binary code spelled in types, so a loop can make as many distinct event
/// types as it needs at run time.
protocol TypeCode { static var code: String { get } }
enum CodeEnd: TypeCode { static var code: String { "" } }
enum Code0<Rest: TypeCode>: TypeCode { static var code: String { "0" + Rest.code } }
enum Code1<Rest: TypeCode>: TypeCode { static var code: String { "1" + Rest.code } }

/// An event type with nothing in it, so a loop can make one of any type.
protocol EmptyEvent: MetricEvent { init() }

/// One of the event types a program has besides the measured one, as
/// large as the measured one (24 bytes).
struct FillerEvent<Code: TypeCode>: EmptyEvent {
    static var eventType: String { "bench.filler.t" + Code.code }
    var first: UInt64 = 0
    var second: UInt64 = 0
    var third: UInt64 = 0
}

/// Registers a counter of the filler type numbered `value`, spelled in `bits` bits.
func registerFiller(bits: Int, value: Int, in recorder: QueuedMetricsRecorder) throws {
    try withFiller(CodeEnd.self, bits: bits, value: value) { try registerCounter(of: $0, in: recorder) }
}

func registerCounter<Event: EmptyEvent>(of type: Event.Type, in recorder: QueuedMetricsRecorder) throws {
    try recorder.register(EventCountMetric(Event.eventType + ".count", of: type))
}

/// Calls `body` with the filler type numbered `value`, spelled in `bits` bits.
func withFiller<Code: TypeCode>(
    _ code: Code.Type, bits: Int, value: Int, _ body: (any EmptyEvent.Type) throws -> Void
) rethrows {
    guard bits > 0 else { return try body(FillerEvent<Code>.self) }
    if value & 1 == 0 {
        try withFiller(Code0<Code>.self, bits: bits - 1, value: value >> 1, body)
    } else {
        try withFiller(Code1<Code>.self, bits: bits - 1, value: value >> 1, body)
    }
}

func record<Event: EmptyEvent>(_ type: Event.Type, times: Int, into recorder: QueuedMetricsRecorder) {
    for _ in 0..<times { recorder.record(Event()) }
}

/// The process's resident memory now, in bytes (Linux).
func residentBytes() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 128)
    guard fgets(&line, Int32(line.count), file) != nil else { return 0 }
    // "size resident shared ...", in pages.
    let fields = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        .split(separator: " ")
    guard fields.count > 1, let resident = Int(fields[1]) else { return 0 }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Starts `count` threads running `body(index)`; join them with `pthread_join`.
func startThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) -> [pthread_t] {
    final class Job: @unchecked Sendable {
        let body: @Sendable (Int) -> Void
        let index: Int
        init(_ body: @escaping @Sendable (Int) -> Void, _ index: Int) {
            self.body = body
            self.index = index
        }
    }
    var threads: [pthread_t] = []
    for index in 0..<count {
        var thread = pthread_t()
        let job = Unmanaged.passRetained(Job(body, index)).toOpaque()
        let result = pthread_create(
            &thread, nil,
            { raw in
                let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
                job.body(job.index)
                return nil
            }, job)
        precondition(result == 0, "pthread_create failed")
        threads.append(thread)
    }
    return threads
}

/// The measured loop: `count` calls of `record` and nothing else.
@inline(never)
func recordLoop(_ recorder: QueuedMetricsRecorder, _ count: Int) {
    for index in 0..<count { recorder.record(Workload.event(index)) }
}

/// The measured registrations: one counter per name and nothing else.
@inline(never)
func registerLoop<Event: MetricEvent>(_ names: [String], of type: Event.Type, in recorder: QueuedMetricsRecorder) throws
{
    for name in names { try recorder.register(EventCountMetric(name, of: type)) }
}

/// The names of `count` metrics in the order a registration scenario uses.
func metricNames(_ count: Int, order: Substring) -> [String] {
    var names = (0..<count).map { "bench.register.m" + String(String($0 + 10_000_000).dropFirst()) }
    switch order {
    case "descending": names.reverse()
    case "random":
        // A fixed linear congruential sequence, so every run registers the same order.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for index in stride(from: names.count - 1, to: 0, by: -1) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            names.swapAt(index, Int((state >> 33) % UInt64(index + 1)))
        }
    default: break
    }
    return names
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
case "register-prometheus":
    let descriptors = metricNames(count, order: "ascending").map {
        MetricNameDescriptor(metricName: String($0.map { $0 == "." ? "_" : $0 }), unitName: "", helpText: "")
    }
    let registry = PrometheusCollectorRegistry()
    let start = now()
    for descriptor in descriptors { _ = registry.makeCounter(descriptor: descriptor) }
    spent = now() - start
case let scenario where scenario.hasPrefix("register-"):
    struct Ping: MetricEvent { static let eventType = "bench.register.ping" }
    let names = metricNames(count, order: scenario.dropFirst("register-".count))
    let runtime = MetricsRuntime(configuration: .init(name: "profile"))
    try runtime.start()
    let recorder = try runtime.makeRecorder(entityID: "register")
    let start = now()
    try registerLoop(names, of: Ping.self, in: recorder)
    spent = now() - start
    precondition(recorder.metricNames.count == count)
    runtime.shutdown()
case let scenario where scenario.hasPrefix("record-types-"):
    // The measured type is registered last, after `types - 1` others, into a
    // recorder that never starts and whose lane holds every event.
    guard let types = Int(scenario.dropFirst("record-types-".count)), types >= 1 else {
        print("usage: mvx-profile record-types-N EVENTS, N >= 1")
        exit(2)
    }
    let runtime = MetricsRuntime(configuration: .init(name: "profile", defaultCapacity: count + 1))
    let recorder = try runtime.makeRecorder(entityID: "document-storage")
    for value in 0..<(types - 1) { try registerFiller(bits: 11, value: value, in: recorder) }
    try DocumentMetrics.register(in: recorder)
    let start = now()
    recordLoop(recorder, count)
    spent = now() - start
    precondition(recorder.statistics.pending == UInt64(count))
    runtime.shutdown()
case let scenario where scenario.hasPrefix("e2e-idle-"):
    // `threads` threads, alive for the whole run, each record one event of
    // each of 100 types; then one busy producer records `count` events end
    // to end, and the empty recorder is flushed 1,000 times.
    guard let threads = Int(scenario.dropFirst("e2e-idle-".count)), threads >= 0 else {
        print("usage: mvx-profile e2e-idle-N EVENTS, N >= 0")
        exit(2)
    }
    let runtime = MetricsRuntime(configuration: .init(name: "profile", defaultOverflowPolicy: .block))
    try runtime.start()
    let recorder = try runtime.makeRecorder(entityID: "document-storage")
    for value in 0..<100 { try registerFiller(bits: 7, value: value, in: recorder) }
    try DocumentMetrics.register(in: recorder)
    let recorded = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    let idleThreads = startThreads(threads) { _ in
        for value in 0..<100 {
            withFiller(CodeEnd.self, bits: 7, value: value) { record($0, times: 1, into: recorder) }
        }
        recorded.signal()
        finished.wait()
    }
    for _ in 0..<threads { recorded.wait() }
    try recorder.flush()
    let start = now()
    for index in 0..<count { recorder.record(Workload.event(index)) }
    try recorder.flush()
    spent = now() - start
    let flushes = 1000
    let flushStart = now()
    for _ in 0..<flushes { try recorder.flush() }
    let flushSpent = now() - flushStart
    print("flush of the empty recorder: \(Double(flushSpent) / Double(flushes) / 1000) us")
    for _ in 0..<threads { finished.signal() }
    for thread in idleThreads { pthread_join(thread, nil) }
    let snapshot = recorder.snapshot()
    precondition(snapshot.statistics.processed == UInt64(count + threads * 100))
    runtime.shutdown()
case let scenario where scenario.hasPrefix("memory-"):
    // `threads` threads each record `count` events of each of 100 types,
    // 100 of a type at a time, round after round, so every lane is busy at
    // once; the block policy lets each lane fill as far as it may, the worst
    // case for memory. Measured after a flush, with the threads still alive
    // (a thread's exit frees its lanes).
    guard let threads = Int(scenario.dropFirst("memory-".count)), threads > 0, count % 100 == 0 else {
        print("usage: mvx-profile memory-N EVENTS, N > 0, EVENTS a multiple of 100")
        exit(2)
    }
    let types = 100
    let runtime = MetricsRuntime(configuration: .init(name: "profile", defaultOverflowPolicy: .block))
    try runtime.start()
    let recorder = try runtime.makeRecorder(entityID: "memory")
    for value in 0..<types { try registerFiller(bits: 7, value: value, in: recorder) }
    let recorded = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    let before = residentBytes()
    let start = now()
    let producers = startThreads(threads) { _ in
        for _ in 0..<(count / 100) {
            for value in 0..<types {
                withFiller(CodeEnd.self, bits: 7, value: value) { record($0, times: 100, into: recorder) }
            }
        }
        recorded.signal()
        finished.wait()
    }
    for _ in 0..<threads { recorded.wait() }
    try recorder.flush()
    spent = now() - start
    let grown = residentBytes() - before
    let statistics = recorder.statistics
    for _ in 0..<threads { finished.signal() }
    for thread in producers { pthread_join(thread, nil) }
    precondition(statistics.processed == UInt64(threads * types * count) && statistics.dropped == 0)
    print(
        "memory-\(threads): \(threads * types) lanes, \(count) events each: resident memory grew by "
            + "\(Double(grown) / 1_048_576) MB (\(grown / (threads * types)) bytes per lane)")
    runtime.shutdown()
    let events = threads * types * count
    print("\(scenario): \(events) events, \(Double(spent) / Double(events)) ns per event")
    exit(0)
case "series-text":
    // One counter with `count` label values, each its own series; the
    // measured part is a snapshot and its Prometheus text, five times.
    struct Hit: MetricEvent {
        static let eventType = "bench.series.hit"
        let route: String
    }
    let recorder = InlineMetricsRecorder(entityID: "series")
    try recorder.register(LabelCountMetric("bench.series.hits", of: Hit.self, label: "route", cap: count) { $0.route })
    for index in 0..<count { recorder.record(Hit(route: "/route/\(index)")) }
    let exposition = PrometheusExposition(format: .text)
    // The first render lays the series out; later scrapes of the same
    // series reuse the layout.
    let firstStart = now()
    var bytes = exposition.renderBytes([recorder.snapshot()]).count
    let first = Double(now() - firstStart)
    let renders = 5
    var snapshotting: UInt64 = 0
    let start = now()
    for _ in 0..<renders {
        let snapshotStart = now()
        let snapshot = recorder.snapshot()
        snapshotting += now() - snapshotStart
        bytes = exposition.renderBytes([snapshot]).count
    }
    let perRender = Double(now() - start) / Double(renders)
    precondition((recorder.snapshot()["bench.series.hits"]?.dimensions.count ?? 0) >= count)
    print(
        "series-text: \(count) series, \(bytes) bytes, first snapshot and render \(first / 1e6) ms, "
            + "then \(perRender / 1e6) ms per snapshot and render (snapshot \(Double(snapshotting) / Double(renders) / 1e6) ms)"
    )
    exit(0)
case "series-prometheus":
    let registry = PrometheusCollectorRegistry()
    let counters = (0..<count).map { index in
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "bench_series_hits", unitName: "total", helpText: ""),
            labels: [("route", "/route/\(index)")])
    }
    for counter in counters { counter.increment() }
    let renders = 5
    var buffer: [UInt8] = []
    let start = now()
    for _ in 0..<renders {
        buffer.removeAll(keepingCapacity: true)
        registry.emit(into: &buffer)
    }
    let perRender = Double(now() - start) / Double(renders)
    print("series-prometheus: \(count) series, \(buffer.count) bytes, \(perRender / 1e6) ms per render")
    exit(0)
case "histogram-distribution":
    var histogram = try Distribution<Nanoseconds>(buckets: .durations)
    let start = now()
    distributionHistogramLoop(&histogram, count)
    spent = now() - start
    precondition(histogram.count == UInt64(count))
case "histogram-exponential":
    var histogram = try ExponentialHistogram<Nanoseconds>()
    let start = now()
    exponentialHistogramLoop(&histogram, count)
    spent = now() - start
    precondition(histogram.count == UInt64(count) && histogram.positive.totalCount == UInt64(count))
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
