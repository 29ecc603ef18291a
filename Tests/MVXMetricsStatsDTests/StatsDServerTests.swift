import Foundation
import Logging
import MVXMetricsStatsD
import MVXMetricsTestKit
import MVXMetricsTestSupport
import ServiceLifecycle
import Testing

private enum Outcome: MetricCase { case success, failure }

private struct Upload: MetricEvent {
    static let eventType = "statsd_server_test.upload.attempt"
    var outcome: Outcome
    var size: ByteCount
    var duration: Duration
    var queueDepth: Double
}

/// A real StatsD server (navdoon) receives what the exporter sends, and its
/// flushed aggregates match the snapshot.
@Suite(.serialized) struct StatsDServerTests {
    @Test(
        .enabled(
            if: RealComponents.shouldRun(RealComponents.navdoon), "navdoon is not installed (bash .ci/run installs it)")
    )
    func navdoonFlushesTheSnapshotsValues() async throws {
        let navdoon = try #require(RealComponents.navdoon, "navdoon is required under CI")
        let server = try NavdoonServer(executable: navdoon)
        defer { server.discard() }

        try await server.waitUntilListening()

        let runtime = MetricsRuntime()
        try await runtime.start()
        let exporter = try StatsDExporter(
            runtime: runtime, configuration: .init(port: server.port, prefix: "mvx", interval: .milliseconds(200)))
        let recorder = try runtime.makeRecorder(entityID: "uploads", overflowPolicy: .block)
        try recorder.register(OutcomeMetric("uploads.attempts", of: Upload.self, outcome: \.outcome))
        try recorder.register(SumMetric("uploads.bytes", of: Upload.self, value: \.size))
        try recorder.register(
            LastValueMetric("uploads.queue", of: Upload.self, dimension: "depth", value: \.queueDepth))
        try recorder.register(
            DistributionMetric(
                "uploads.duration", of: Upload.self, buckets: try HistogramBuckets([0.005, 0.05, 0.5]),
                value: \.duration))
        func record(_ indices: Range<Int>) {
            for index in indices {
                recorder.record(
                    Upload(
                        outcome: index % 6 == 0 ? .failure : .success, size: ByteCount(100 + index),
                        duration: .milliseconds([2, 20, 200][index % 3]), queueDepth: Double(index % 9)))
            }
        }
        // The exporter runs as a service: the first half arrives through its
        // interval, the second through its last export on graceful shutdown.
        let group = ServiceGroup(
            services: [exporter], gracefulShutdownSignals: [], cancellationSignals: [],
            logger: Logger(label: "statsd-server-test"))
        try await withThrowingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            record(0..<60)
            try await server.poll(deadline: .seconds(30)) { $0.counters["mvx.uploads.uploads.attempts"] == 60 }
            record(60..<120)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let snapshot = await recorder.snapshot()

        let attempts = try #require(snapshot["uploads.attempts"])
        try await server.poll(deadline: .seconds(30)) { flushed in
            flushed.counters["mvx.uploads.uploads.attempts"] == Double(attempts.count("total") ?? 0)
                && flushed.timerCounts["mvx.uploads.uploads.duration"] == 120
        }
        let flushed = server.flushed()
        #expect(flushed.counters["mvx.uploads.uploads.attempts"] == 120)
        #expect(
            flushed.counters["mvx.uploads.uploads.attempts.success_total"] == Double(attempts.count("success_total")!))
        #expect(
            flushed.counters["mvx.uploads.uploads.attempts.failure_total"] == Double(attempts.count("failure_total")!))
        #expect(flushed.counters["mvx.uploads.uploads.bytes"] == snapshot["uploads.bytes"]?.value("total"))
        #expect(flushed.gauges["mvx.uploads.uploads.queue.depth"] == snapshot["uploads.queue"]?.value("depth"))
        #expect(flushed.timerCounts["mvx.uploads.uploads.duration"] == 120)
        // Timings are sent at their bucket's bound (5, 50 and 200 ms here: the
        // last clamped to the maximum): the server's extremes match the snapshot's.
        let distribution = try #require(snapshot["uploads.duration"]?.distribution("distribution"))
        #expect(flushed.timerMaxima["mvx.uploads.uploads.duration"] == (distribution.max ?? 0) * 1000)
        #expect(exporter.statistics.datagramsDropped == 0)
        await runtime.shutdown()
    }
}

/// navdoon on a free UDP port, flushing Graphite lines to a file every second.
///
/// `@unchecked Sendable`: every stored property is set once, in `init`, and
/// `Process` may be asked from any thread.
final class NavdoonServer: @unchecked Sendable {
    let port: Int
    private let process = Process()
    private let folder: URL
    private let flushFile: URL

    struct Flushed {
        /// Counters summed over every flush (each flush holds one interval's growth).
        var counters: [String: Double] = [:]
        /// The last value of each gauge.
        var gauges: [String: Double] = [:]
        /// Timer observation counts summed over every flush.
        var timerCounts: [String: Double] = [:]
        /// The largest timer maximum flushed.
        var timerMaxima: [String: Double] = [:]
    }

    /// Starts navdoon on `port`, or on a free port for nil.
    init(executable: String, port: Int? = nil) throws {
        self.port = try port ?? { try UDPListener().port }()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("navdoon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        flushFile = folder.appendingPathComponent("flush.txt")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--collect-udp", "127.0.0.1:\(self.port)", "--flush-interval", "1", "--flush-file", flushFile.path,
            "--log-level", "WARN", "--log-stderr",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func stop() async {
        await stopProcessOffThread(process)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Kills the server without waiting for it: the cleanup of a `defer`,
    /// where a test cannot suspend.
    func discard() {
        killProcess(process)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Everything flushed so far.
    func flushed() -> Flushed {
        var result = Flushed()
        let text = (try? String(contentsOf: flushFile, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let value = Double(parts[1]) else { continue }
            let name = String(parts[0])
            if name.hasSuffix(".count"), !name.hasSuffix("_total.count") {
                result.timerCounts[String(name.dropLast(6)), default: 0] += value
            } else if name.hasSuffix(".max") {
                let base = String(name.dropLast(4))
                result.timerMaxima[base] = max(result.timerMaxima[base] ?? 0, value)
            } else if name.hasSuffix(".min") || name.hasSuffix(".mean") || name.hasSuffix(".median") {
                continue
            } else if name.hasSuffix(".queue.depth") {
                result.gauges[name] = value
            } else {
                result.counters[name, default: 0] += value
            }
        }
        return result
    }

    /// Polls the flushed aggregates until `condition` holds (bounded by
    /// `deadline`, scaled: ``Swift/Duration/scaled``).
    func waitFor(deadline: Duration, _ condition: (Flushed) -> Bool) throws {
        let end = ContinuousClock.now.advanced(by: deadline.scaled)
        while ContinuousClock.now < end {
            if condition(flushed()) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw NavdoonTimeout(flushed: String((try? String(contentsOf: flushFile, encoding: .utf8))?.suffix(2000) ?? ""))
    }
}

extension NavdoonServer {
    /// Waits until the server listens: a probe counter, sent again every
    /// 100 ms, must come back in a flush (within 60 s, scaled). On a thread
    /// of its own, so the probes keep going out while the cooperative threads
    /// are busy with the other tests starting beside it (a poll that only
    /// sent a probe when a starved task got to run timed out under load).
    func waitUntilListening() async throws {
        try await onThread {
            let probe = try StatsDProbe(port: self.port)
            try self.waitFor(deadline: .seconds(60)) { flushed in
                probe.send("mvx_probe.ready:1|c")
                return flushed.counters["mvx_probe.ready"] != nil
            }
        }
    }

    /// Polls like ``waitFor(deadline:_:)`` but suspends between polls instead
    /// of blocking one of Swift concurrency's few threads, which other tests'
    /// servers and exporters need meanwhile.
    func poll(deadline: Duration, _ condition: (Flushed) -> Bool) async throws {
        let end = ContinuousClock.now.advanced(by: deadline.scaled)
        while ContinuousClock.now < end {
            if condition(flushed()) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        try waitFor(deadline: .zero, condition)
    }
}

struct NavdoonTimeout: Error, CustomStringConvertible {
    let flushed: String
    var description: String { "navdoon did not flush the expected values in time; it flushed:\n\(flushed)" }
}

/// Sends single raw lines, for the readiness probe.
final class StatsDProbe {
    private let descriptor: Int32
    private var address = sockaddr_in()

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
    }

    deinit { close(descriptor) }

    func send(_ line: String) {
        let bytes = Array(line.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                bytes.withUnsafeBytes {
                    sendto(descriptor, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }
}
