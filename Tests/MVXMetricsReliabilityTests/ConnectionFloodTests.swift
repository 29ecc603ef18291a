import Foundation
import MVXMetricsTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A connection flood against the demo (which serves through
/// `MetricsHTTPServer`), in a child process with a descriptor limit of its
/// own: the process must stay up, close what is over its cap at once, count
/// it, and answer a scrape once the flood lets go. Loopback only, bounded in
/// connections and time.
@Suite(.serialized) struct ConnectionFloodTests {
    private static let enabled = RealComponents.shouldRun(DemoChild.executable)

    /// Holds `connections` against a demo limited to `descriptors` with a cap
    /// of `cap`, then checks it still serves and stops cleanly; returns its
    /// final report's HTTP line and how many connections it closed at once.
    private func flood(
        connections: Int, descriptors: Int, cap: Int
    ) async throws -> (report: String, connected: Int, closed: Int, failedConnects: Int) {
        let executable = try #require(DemoChild.executable, "mvx-metrics-demo is required under CI=true")
        raiseDescriptorLimit(to: connections + 256)
        let demo = try DemoChild(
            executable: executable,
            arguments: ["--duration", "0", "--port", "0", "--json", "--rate", "20", "--max-connections", "\(cap)"],
            descriptorLimit: descriptors)
        let port = try #require(await demo.port(), "the demo did not start: \(demo.standardError)")
        // On a thread of its own: connects block, and the cooperative
        // threads are few.
        let held = await HeldConnections.open(port: port, count: connections)
        // What the server closes, it closes at once; give it a moment to get
        // through the accept queue, well within the 10 s a connection that
        // sends nothing is given.
        let connected = held.descriptors.count
        // The cap the server puts in force (lowered to fit the limit).
        let cap = max(1, min(cap, descriptors - 64 - 16))
        _ = await eventually(timeout: .seconds(6)) { held.closedByServer >= connected - cap }
        let closed = held.closedByServer
        #expect(!demo.hasExited, "the flood ended the process: \(demo.standardError.suffix(2000))")
        held.closeAll()
        // Each try on a thread of its own and bounded, so a server still busy
        // with the flood is asked again rather than waited for on one of the
        // cooperative threads, which every other test's server needs.
        let scraped = await eventually(timeout: .seconds(20)) {
            let reply = try? await onThread { try httpGet(port: port, path: "/metrics", timeout: .seconds(5)) }
            return reply?.status == 200
        }
        #expect(scraped, "no scrape answered after the flood")
        kill(demo.pid, SIGINT)
        let exit = await demo.waitForExit()
        #expect(
            exit == .code(0), "\(exit.map(String.init(describing:)) ?? "no exit"): \(demo.standardError.suffix(2000))")
        let report = demo.standardError.split(separator: "\n").last { $0.hasPrefix("HTTP: ") }.map(String.init) ?? ""
        return (report, connected, closed, held.failedConnects)
    }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(3)))
    func aFloodOverTheCapIsClosedAtOnceAndTheProcessLives() async throws {
        let (connections, descriptors, cap) = (600, 256, 128)
        let (report, connected, closed, failedConnects) = try await flood(
            connections: connections, descriptors: descriptors, cap: cap)
        print(
            "connection flood: \(connections) connections against a cap of \(cap) under ulimit -n \(descriptors): "
                + "\(failedConnects) connects failed, \(closed) closed at once, the process alive, "
                + "a scrape answered afterwards, exit 0; \(report)")
        // A connect that timed out (the accept queue full on a loaded
        // machine) may still have reached the server.
        #expect(failedConnects < 10)
        // At least the excess, at once; on a slow run the held ones may reach
        // their 10 s deadline for a first request too. The server's own count
        // below says which were refused.
        #expect(closed >= connected - cap)
        // Each connection the server saw was served or refused, and so was the
        // scrape afterwards. On a slow run (the sanitizer's) held connections
        // reach their deadline during the flood and free places, so fewer than
        // the excess are refused and as many more are served.
        let refused = Self.count("refused over the cap", in: report)
        let served = Self.count("connections served", in: report)
        #expect((connected + 1...connections + 1).contains(served + refused), "\(report)")
        #expect(served > cap && refused > 0, "\(report)")
    }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(3)))
    func aCapAboveTheDescriptorLimitIsLoweredSoTheProcessNeverRunsOut() async throws {
        // A misconfigured cap, above the limit: the server lowers it to
        // 128 - 64 - 16 = 48 and the flood is refused instead of exhausting
        // the process's descriptors (which Swift's executor does not survive).
        let (connections, descriptors, cap) = (300, 128, 1000)
        let (report, connected, closed, failedConnects) = try await flood(
            connections: connections, descriptors: descriptors, cap: cap)
        let effective = descriptors - 64 - 16
        print(
            "descriptor limit: \(connections) connections, cap \(cap) under ulimit -n \(descriptors): lowered to "
                + "\(effective), \(failedConnects) connects failed, \(closed) closed at once, the process alive, "
                + "a scrape answered afterwards, exit 0; \(report)")
        #expect(report.contains("over the cap of \(effective)"), "\(report)")
        #expect(report.contains(" 0 accept failures"), "\(report)")
        #expect(failedConnects < 10)
        #expect(closed >= connected - effective)
        #expect(
            (connected - effective...connections - effective).contains(Self.count("refused over the cap", in: report)),
            "\(report)")
    }

    /// The connections the report says were refused over the cap, or -1.
    /// The number in the report's part that says `what`, or -1.
    private static func count(_ what: String, in report: String) -> Int {
        report.split(separator: ",").first { $0.contains(what) }
            .flatMap { Int($0.prefix { $0 != "r" }.filter(\.isNumber)) } ?? -1
    }
}
