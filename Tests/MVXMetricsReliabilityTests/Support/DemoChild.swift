import Foundation
import MVXMetricsTestSupport
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The built `mvx-metrics-demo`, started as a child process for the attacks
/// that need a process of their own: a descriptor limit (`ulimit -n`) only it
/// has, and signals at any moment of its life.
///
/// Started with `posix_spawn`, its standard output and error going to files in
/// a folder of its own, which is also its `TMPDIR` (so a temporary folder it
/// leaves behind is seen). With `blockingSignals`, it starts with SIGINT,
/// SIGTERM and SIGHUP blocked, as a launcher that cares does, so a signal sent
/// before its `main` runs waits for its handler instead of ending it.
final class DemoChild: Sendable {
    /// The built demo (``RealComponents/demo``).
    static let executable = RealComponents.demo

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 on), which
    /// Swift's Glibc module does not declare.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
        {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            else { return nil }
            return unsafeBitCast(
                symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }()

    let pid: pid_t
    let folder: URL
    private let status = Mutex<Int32?>(nil)

    /// Where the demo keeps its temporary files.
    var temporaryFolder: URL { folder.appendingPathComponent("tmp") }

    /// Starts the demo with `arguments`; with `descriptorLimit`, through
    /// `sh -c 'ulimit -n …'`.
    /// `standardOutput` replaces the file standard output goes to (`/dev/full`, say).
    init(
        executable: String, arguments: [String], descriptorLimit: Int? = nil, blockingSignals: Bool = false,
        standardOutput: String? = nil
    ) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        var argv = [executable] + arguments
        var path = executable
        if let descriptorLimit {
            path = "/bin/sh"
            argv = ["/bin/sh", "-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\""] + argv
        }
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = folder.appendingPathComponent("tmp").path
        let envp = environment.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // Nothing else of the test process's: its sockets and pipes (not all
        // opened close-on-exec) would count against the child's own limit.
        if let closeFrom = Self.closeFrom { _ = closeFrom(&actions, 3) }
        posix_spawn_file_actions_addopen(
            &actions, 1, standardOutput ?? folder.appendingPathComponent("stdout").path, O_WRONLY | O_CREAT | O_TRUNC,
            0o644)
        posix_spawn_file_actions_addopen(
            &actions, 2, folder.appendingPathComponent("stderr").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, number) }
        // Default actions for the three, whatever the test runner set.
        posix_spawnattr_setsigdefault(&attributes, &signals)
        var mask = sigset_t()
        sigemptyset(&mask)
        if blockingSignals { mask = signals }
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var child: pid_t = 0
        let result = withCStrings(argv) { argv in
            withCStrings(envp) { envp in posix_spawn(&child, path, &actions, &attributes, argv, envp) }
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .ENOEXEC) }
        pid = child
    }

    deinit {
        if status.withLock({ $0 }) == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// What it wrote to standard error so far.
    var standardError: String {
        (try? String(contentsOf: folder.appendingPathComponent("stderr"), encoding: .utf8)) ?? ""
    }

    /// What it wrote to standard output so far.
    var standardOutput: Data {
        (try? Data(contentsOf: folder.appendingPathComponent("stdout"))) ?? Data()
    }

    /// The port its live page announces, once it does (within `timeout`).
    func port(timeout: Duration = .seconds(60)) async -> Int? {
        let deadline = ContinuousClock.now + timeout.scaled
        while ContinuousClock.now < deadline {
            if let range = standardError.range(of: #"http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                let address = standardError[range]
                return Int(address.dropFirst("http://127.0.0.1:".count).dropLast())
            }
            if hasExited { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Whether the process has ended (reaping it if so).
    var hasExited: Bool {
        status.withLock { status in
            if status != nil { return true }
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
            return status != nil
        }
    }

    /// Waits up to `timeout` for the process to end; nil if it did not.
    func waitForExit(timeout: Duration = .seconds(60)) async -> Exit? {
        let deadline = ContinuousClock.now + timeout.scaled
        while ContinuousClock.now < deadline {
            if hasExited, let raw = status.withLock({ $0 }) {
                let signal = raw & 0x7f
                return signal == 0 ? .code((raw >> 8) & 0xff) : .signal(signal)
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// How a process ended.
    enum Exit: Equatable, CustomStringConvertible {
        case code(Int32)
        case signal(Int32)

        var description: String {
            switch self {
            case .code(let code): "exit code \(code)"
            case .signal(let signal): "signal \(signal)"
            }
        }
    }
}

/// Calls `body` with a NULL-terminated C array of `strings`.
private func withCStrings<Result>(
    _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
) -> Result {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
