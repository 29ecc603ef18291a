import Foundation

/// The outcome of running a tool to completion.
public struct ToolRun: Sendable {
    public let status: Int32
    public let output: String
    public let errors: String
}

/// Runs `executable` with `arguments`, feeding `input` to its standard input,
/// and waits for it to exit; stops it (see ``stopProcess(_:)``) if it outlives
/// `timeout` (scaled, ``Swift/Duration/scaled``), so a hung tool fails its
/// test instead of stalling the run.
///
/// The tool is waited for on a thread of its own: a test that ran it on a
/// cooperative thread would hold one of the few there are (two on two
/// cores) for as long as the tool runs, and the HTTP servers of the tests
/// running beside it would stop answering meanwhile.
public func runTool(
    _ executable: String, _ arguments: [String], input: String = "", timeout: Duration = .seconds(120)
) async throws -> ToolRun {
    try await onThread { try runToolOnThisThread(executable, arguments, input: input, timeout: timeout) }
}

private func runToolOnThisThread(
    _ executable: String, _ arguments: [String], input: String, timeout: Duration
) throws -> ToolRun {
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
    let output = PendingRead(stdout.fileHandleForReading)
    let errors = PendingRead(stderr.fileHandleForReading)
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let deadline = ContinuousClock.now.advanced(by: timeout.scaled)
    while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
    stopProcess(process)
    return ToolRun(
        status: process.terminationStatus, output: String(decoding: output.wait(), as: UTF8.self),
        errors: String(decoding: errors.wait(), as: UTF8.self))
}

/// Stops a server process the tests started: SIGTERM, then SIGKILL if it has
/// not exited within three seconds. The test process may ignore SIGTERM (a
/// `ServiceGroup` test installs a handler), and children inherit that, so
/// SIGTERM alone cannot be relied on.
public func stopProcess(_ process: Process) {
    guard process.isRunning else { return }
    process.terminate()
    let deadline = ContinuousClock.now.advanced(by: .seconds(3))
    while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
}

/// Stops `process` like ``stopProcess(_:)``, waiting on a thread of its own:
/// a test task that waited in place would hold one of the few cooperative
/// threads for up to three seconds.
public func stopProcessOffThread(_ process: Process) async {
    _ = try? await onThread { stopProcess(process) }
}

/// Kills `process` (SIGKILL) without waiting for it to end: the cleanup in a
/// `defer` of an async test, which cannot suspend and must not block.
public func killProcess(_ process: Process) {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
}

/// Reads a file handle to its end on a thread of its own.
public final class PendingRead: @unchecked Sendable {
    // @unchecked: `data` is written before `done` is signalled and read after.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading `handle` to its end.
    public init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    /// Everything read, once the handle reached its end.
    public func wait() -> Data {
        done.wait()
        return data
    }
}
