import MVXMetricsTestSupport
import DemoExample
import Foundation
import MVXMetrics
import Synchronization
import Testing

/// The built `mvx-metrics-demo`, run as a user runs it: Ctrl-C (SIGINT) stops
/// it cleanly, with the final snapshot printed and exit code 0.
@Suite struct DemoProcessTests {
    /// The executable, next to the test bundle in the build folder (the build
    /// makes every product; `swift test` and `.ci/run`'s build both do).
    static let executable: String? = {
        let directory = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        let candidate = directory.appendingPathComponent("mvx-metrics-demo").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }()

    @Test(
        .enabled(
            if: RealComponents.shouldRun(executable),
            "mvx-metrics-demo is not built next to the tests (swift build builds it); CI=true makes this a failure"),
        .timeLimit(.minutes(2)))
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
        let log = Mutex("")
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            log.withLock { $0 += text }
        }
        try process.run()
        let output = PendingRead(stdout.fileHandleForReading)

        // Not a terminal: one plain line a second on standard error. Two lines
        // mean the workload has run for a second.
        let running = await eventually { log.withLock { $0.components(separatedBy: "\n[").count } >= 3 }
        #expect(running, "the demo did not report progress: \(log.withLock { $0 })")
        kill(process.processIdentifier, SIGINT)
        let exited = await eventually(timeout: .seconds(60)) { !process.isRunning }
        if !exited { process.terminate() }
        process.waitUntilExit()
        stderr.fileHandleForReading.readabilityHandler = nil

        #expect(exited, "SIGINT did not stop the demo")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let errors = log.withLock { $0 } + String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(errors.contains("The final snapshot is consistent:"), "\(errors)")
        let snapshots = try MetricsJSON.decoder().decode([RecorderSnapshot].self, from: output.wait())
        #expect(snapshots.map(\.entityID) == ["document-storage", "tcp-echo-server", "tcp-stream"])
        let report = ConsistencyReport(snapshots)
        #expect(report.passed, "\(report)")
        #expect(snapshots.allSatisfy { $0.statistics.processed > 0 })
    }
}
