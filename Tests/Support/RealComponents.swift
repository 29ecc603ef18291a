import Foundation

/// The real tools the tests check against: found on `PATH`, or given by
/// `.ci/run` through the environment.
///
/// Locally a missing tool skips its test, with the reason shown. Under CI
/// (`CI=true`) the test runs anyway and fails on the missing tool: a real
/// check is never silently skipped there.
public enum RealComponents {
    /// Whether the tests run under CI.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// `promtool`, from Debian's `prometheus` package.
    public static let promtool = executable("promtool")
    /// The Prometheus server, from the same package.
    public static let prometheus = executable("prometheus")
    /// A Python with `prometheus_client` and `opentelemetry-proto`: `MVX_PYTHON`,
    /// set by `.ci/run` to the virtual environment it creates.
    public static let python: String? = environmentExecutable("MVX_PYTHON")
    /// The `navdoon` StatsD server: `MVX_NAVDOON` (set by `.ci/run`), or on `PATH`.
    public static let navdoon: String? = environmentExecutable("MVX_NAVDOON") ?? executable("navdoon")
    /// Headless Chromium, from Debian's `chromium` package.
    public static let chromium = executable("chromium")

    /// `mvx-metrics-demo`, built next to the test bundle (the build makes
    /// every product; `swift test` and `.ci/run`'s build both do), or `nil`.
    public static let demo: String? = {
        let directory = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        let candidate = directory.appendingPathComponent("mvx-metrics-demo").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }()

    /// Whether a test of a tool at `path` should run: it is there, or CI demands it.
    public static func shouldRun(_ path: String?) -> Bool { path != nil || isCI }

    /// The executable `name` on `PATH`, or `nil`.
    public static func executable(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        for directory in paths + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func environmentExecutable(_ variable: String) -> String? {
        guard let path = ProcessInfo.processInfo.environment[variable],
            FileManager.default.isExecutableFile(atPath: path)
        else { return nil }
        return path
    }
}
