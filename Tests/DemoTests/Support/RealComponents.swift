import Foundation

/// The real browser the live page is checked with: Debian's `chromium`, which
/// `.ci/run` installs.
///
/// Locally a missing browser skips its test, with the reason shown. Under CI
/// (`CI=true`) the test runs anyway and fails on the missing browser: a real
/// check is never silently skipped there.
enum RealComponents {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// `chromium` (Debian), or `chromium-browser` / `google-chrome` elsewhere.
    static let chromium = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(executable).first

    /// Whether a test of a tool at `path` should run: it is there, or CI demands it.
    static func shouldRun(_ path: String?) -> Bool { path != nil || isCI }

    static func executable(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        for directory in paths + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// What a tool printed, and how it ended.
struct ToolRun {
    let status: Int32
    let output: String
    let errors: String
}

/// Runs `executable` with `arguments`; kills it if it outlives `timeout`.
func runTool(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(90)) throws -> ToolRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    // Read both streams while it runs, so a full pipe cannot stall it.
    let output = PendingRead(stdout.fileHandleForReading)
    let errors = PendingRead(stderr.fileHandleForReading)
    let seconds = Double(timeout.components.seconds)
    if exited.wait(timeout: .now() + seconds) == .timedOut {
        process.terminate()
        exited.wait()
    }
    return ToolRun(
        status: process.terminationStatus, output: String(decoding: output.wait(), as: UTF8.self),
        errors: String(decoding: errors.wait(), as: UTF8.self))
}

/// Reads a file handle to its end on a thread of its own.
final class PendingRead: @unchecked Sendable {
    // @unchecked: `data` is written before `done` is signalled and read after.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
