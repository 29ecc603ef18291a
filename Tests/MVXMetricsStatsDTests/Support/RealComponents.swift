import Foundation

/// The real tools these tests check the exposition with: found on `PATH`, or
/// given by `.ci/run` through the environment.
///
/// Locally a missing tool skips its test, with the reason shown. Under CI
/// (`CI=true`) the test runs anyway and fails on the missing tool: a real
/// check is never silently skipped there.
enum RealComponents {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The `navdoon` StatsD server from PyPI: `MVX_NAVDOON`, set by `.ci/run` to
    /// the one in the virtual environment it creates, or found on `PATH`.
    static let navdoon: String? = {
        if let path = ProcessInfo.processInfo.environment["MVX_NAVDOON"],
            FileManager.default.isExecutableFile(atPath: path)
        {
            return path
        }
        return executable("navdoon")
    }()

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

/// The outcome of running a tool.
struct ToolRun {
    let status: Int32
    let output: String
    let errors: String
}

/// Runs `executable` with `arguments`, feeding `input` to its standard input.
func runTool(_ executable: String, _ arguments: [String], input: String = "") throws -> ToolRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Read both streams while writing, so a full pipe cannot stall the tool.
    let outputReader = Thread.detachedRead(stdout.fileHandleForReading)
    let errorReader = Thread.detachedRead(stderr.fileHandleForReading)
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    process.waitUntilExit()
    return ToolRun(
        status: process.terminationStatus, output: String(decoding: outputReader.wait(), as: UTF8.self),
        errors: String(decoding: errorReader.wait(), as: UTF8.self))
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

extension Thread {
    static func detachedRead(_ handle: FileHandle) -> PendingRead { PendingRead(handle) }
}
