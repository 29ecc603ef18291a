import DemoExample
import Foundation
import MVXMetrics
import MVXMetricsTestSupport
import Synchronization
import Testing

/// The built `mvx-metrics-demo`, run as a user runs it: Ctrl-C (SIGINT) stops
/// it cleanly, with the final snapshot printed and exit code 0.
@Suite struct DemoProcessTests {
    /// The built demo (``RealComponents/demo``).
    static let executable = RealComponents.demo

    @Test(
        .enabled(
            if: RealComponents.shouldRun(executable),
            "mvx-metrics-demo is not built next to the tests (swift build builds it); CI=true makes this a failure"),
        .timeLimit(.minutes(2 * DeadlineScale.factor)))
    func ctrlCStopsCleanlyPrintsTheFinalSnapshotAndExitsWithZero() async throws {
        let executable = try #require(Self.executable, "mvx-metrics-demo is required under CI=true")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--duration", "0", "--no-serve", "--json"]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        // Standard error is read on a thread of its own, not through a
        // `readabilityHandler`: that one is a dispatch source on the pipe,
        // and libdispatch on Linux has crashed the whole test process
        // (a bad pointer in `_dispatch_event_loop_drain`) with such sources
        // and pipes under load.
        let log = Mutex("")
        let errorsRead = DispatchSemaphore(value: 0)
        let errorHandle = stderr.fileHandleForReading
        Thread {
            while case let data = errorHandle.availableData, !data.isEmpty {
                log.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
            errorsRead.signal()
        }.start()
        try process.run()
        let output = PendingRead(stdout.fileHandleForReading)

        // Not a terminal: one plain line a second on standard error. Two lines
        // mean the workload has run for a second.
        let running = await eventually { log.withLock { $0.components(separatedBy: "\n[").count } >= 3 }
        #expect(running, "the demo did not report progress: \(log.withLock { $0 })")
        kill(process.processIdentifier, SIGINT)
        let exited = await eventually(timeout: .seconds(60)) { !process.isRunning }
        if !exited { process.terminate() }
        try await onThread { process.waitUntilExit() }

        #expect(exited, "SIGINT did not stop the demo")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        // The child has exited, so its end of the pipe is closed and the
        // reader is at the end or about to be.
        try await onThread { errorsRead.wait() }
        let errors = log.withLock { $0 }
        #expect(errors.contains("The final snapshot is consistent:"), "\(errors)")
        let written = try await onThread { output.wait() }
        let snapshots = try MetricsJSON.decoder().decode([RecorderSnapshot].self, from: written)
        #expect(snapshots.map(\.entityID) == ["document-storage", "tcp-echo-server", "tcp-stream"])
        let report = ConsistencyReport(snapshots)
        #expect(report.passed, "\(report)")
        #expect(snapshots.allSatisfy { $0.statistics.processed > 0 })
    }
}
