import ArgumentParser
import Foundation
import MVXMetrics
import MVXMetricsHTTP
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `mvx-metrics-demo`: runs the instrumented example service, shows its
/// metrics live in the terminal and on a web page, and checks the final
/// snapshot when it stops.
public struct DemoCommand: AsyncParsableCommand {
    /// The command's name and help text.
    public static let configuration = CommandConfiguration(
        commandName: "mvx-metrics-demo",
        abstract: "Runs an instrumented example service and shows its metrics live.",
        discussion: """
            A document storage saves documents (some too large, some badly named, some into a \
            missing folder) and TCP clients talk to echo servers on 127.0.0.1 over real sockets \
            (with timeouts, refusals and remote disconnects). Both only report facts; metrics \
            on a MetricsRuntime's queued recorders turn them into the numbers you see.

            While it runs, http://127.0.0.1:9464/ (or the port printed) shows a live page, and \
            /metrics, /snapshot and /health serve Prometheus text, JSON snapshots and health checks. \
            Ctrl-C (or SIGTERM, SIGHUP) or the end of --duration stops it cleanly: the recorders \
            are flushed and the final snapshot is printed and checked. The exit code is 1 when the \
            check fails or the snapshot cannot be written.
            """)

    /// How long to run, in seconds; 0 runs until Ctrl-C.
    @Option(help: ArgumentHelp("How long to run; 0 runs until Ctrl-C.", valueName: "seconds"))
    public var duration: Double = 30

    /// Document saves per second; the TCP clients make as many exchanges.
    @Option(help: ArgumentHelp("Document saves per second; the TCP clients make as many exchanges.", valueName: "n"))
    public var rate: Int = 200

    /// The HTTP port; nil prefers 9464 and falls back to a free one.
    @Option(
        help: ArgumentHelp(
            "The HTTP port (default \(DemoConfiguration.defaultPort), or a free one if it is busy; 0 picks a free one).",
            valueName: "port"))
    public var port: Int?

    /// Whether to print the final snapshot as JSON on standard output.
    @Flag(help: "Print the final snapshot as JSON on standard output; the live view goes to standard error.")
    public var json = false

    /// The most HTTP connections open at once.
    @Option(
        name: .customLong("max-connections"),
        help: ArgumentHelp(
            "The most HTTP connections open at once; more are closed as soon as they are accepted.",
            valueName: "n"))
    public var maximumConnections: Int = DemoConfiguration().maximumConnections

    /// Whether to run without the HTTP endpoint.
    @Flag(name: .customLong("no-serve"), help: "Do not serve HTTP (no live page, /metrics, /snapshot or /health).")
    public var noServe = false

    /// Whether to print the catalog of the demo's metrics, and how, instead of running.
    @Option(
        help: ArgumentHelp(
            "Print the catalog of the demo's metrics (json or markdown) and exit, without running.",
            valueName: "format"))
    public var catalog: DemoCatalog.Format?

    /// Whether to print the health checks as Prometheus alerting rules instead of running.
    @Flag(
        name: .customLong("alerting-rules"),
        help: "Print the demo's health checks as Prometheus alerting rules (YAML) and exit, without running.")
    public var alertingRules = false

    /// The defaults: 30 seconds, 200 saves per second, the preferred port.
    public init() {}

    /// Refuses nonsense before anything starts.
    public func validate() throws {
        guard duration.isFinite, duration >= 0 else { throw ValidationError("--duration must be 0 or more seconds.") }
        guard (1...100_000).contains(rate) else { throw ValidationError("--rate must be between 1 and 100000.") }
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be between 0 and 65535.") }
        if noServe, port != nil { throw ValidationError("--port and --no-serve exclude each other.") }
        if catalog != nil, alertingRules {
            throw ValidationError("--catalog and --alerting-rules exclude each other.")
        }
        guard (1...1_000_000).contains(maximumConnections) else {
            throw ValidationError("--max-connections must be between 1 and 1000000.")
        }
    }

    /// The demo these options describe.
    public var demoConfiguration: DemoConfiguration {
        let serving: DemoConfiguration.Serving =
            if noServe { .off } else if let port { .port(port) } else { .preferredPort(DemoConfiguration.defaultPort) }
        return DemoConfiguration(
            duration: duration > 0 ? .milliseconds(Int64((duration * 1000).rounded())) : nil, rate: rate,
            serving: serving, maximumConnections: maximumConnections)
    }

    /// Runs the demo until its duration passes or Ctrl-C, then prints the
    /// final snapshot's checks (and, with `--json`, the snapshot); with
    /// `--catalog` or `--alerting-rules`, prints those instead and returns.
    public func run() async throws {
        if catalog != nil || alertingRules {
            let text = try catalog.map(DemoCatalog.text) ?? DemoCatalog.alertingRules()
            guard Terminal.write(text, to: STDOUT_FILENO) else {
                throw DemoError("could not write to standard output (\(String(cString: strerror(errno))))")
            }
            return
        }
        // With --json, standard output carries the JSON alone.
        let output = Terminal(descriptor: json ? STDERR_FILENO : STDOUT_FILENO)
        // Installed by main already; here too for a command run in-process.
        DemoInterrupts.install()
        DemoInterrupts.restoresCursor(on: output.isInteractive ? output.descriptor : nil)
        let demo = try Demo(configuration: demoConfiguration)
        let watcher = DemoInterrupts.watch { demo.requestStop() }
        defer { watcher.cancel() }
        let address = try await demo.start()

        for note in demo.notes { output.print("note: \(note)") }
        if let address {
            output.print("Live page: \(address) · also /metrics, /snapshot and /health")
        }
        let view = LiveView(address: address, duration: demo.configuration.duration, usesColor: output.usesColor)
        var meter = RateMeter()
        var rates: [String: Double] = [:]
        output.begin()
        await demo.run(refreshEvery: output.isInteractive ? .milliseconds(250) : .seconds(1)) { elapsed in
            let snapshots = await demo.runtime.snapshot()
            rates = meter.update(snapshots)
            if output.isInteractive {
                output.redraw(view.frame(snapshots, rates: rates, elapsed: elapsed))
            } else {
                output.print(view.line(snapshots, rates: rates, elapsed: elapsed))
            }
        }

        let outcome = await demo.stop()
        let final = view.frame(outcome.snapshots, rates: rates, elapsed: outcome.elapsed)
        if output.isInteractive {
            output.redraw(final)
            output.end()
        } else {
            output.print()
            for line in final { output.print(line) }
        }
        output.print()
        let processed = outcome.snapshots.reduce(0) { $0 + $1.statistics.processed }
        output.print(
            "Stopped after \(DemoFormat.fixed(LiveView.seconds(outcome.elapsed), digits: 1)) s; "
                + "\(DemoFormat.count(processed)) events processed. The final snapshot "
                + (outcome.report.passed ? "is consistent:" : "is NOT consistent:"))
        for check in outcome.report.checks {
            output.print("  \(check.passed ? "✓" : "✗") \(check.name) (\(check.detail))")
        }
        if let http = outcome.http, let cap = outcome.httpConnectionCap {
            output.print(Self.describe(http, cap: cap))
        }
        if json {
            let data = try MetricsJSON.encoder(prettyPrinted: true).encode(outcome.snapshots)
            guard Terminal.write(String(decoding: data, as: UTF8.self) + "\n", to: STDOUT_FILENO) else {
                throw DemoError(
                    "could not write the final snapshot to standard output (\(String(cString: strerror(errno))))")
            }
        }
        // A run whose own check fails must not look like a success to a script.
        if !outcome.report.passed { throw ExitCode.failure }
    }

    /// The HTTP endpoint's line in the report.
    static func describe(_ http: MetricsHTTPServer.Statistics, cap: Int) -> String {
        let parts: [String] = [
            "\(DemoFormat.count(UInt64(http.connectionsAccepted))) connections served",
            "\(DemoFormat.count(UInt64(http.connectionsRefused))) refused over the cap of \(cap)",
            "\(DemoFormat.count(UInt64(http.acceptFailures))) accept failures",
            "\(DemoFormat.count(UInt64(http.requestsTimedOut))) requests timed out",
            "\(DemoFormat.count(UInt64(http.clientErrors))) client errors",
            "\(DemoFormat.count(UInt64(http.serverErrors))) server errors",
        ]
        return "HTTP: " + parts.joined(separator: ", ")
    }
}
