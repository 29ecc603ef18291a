import Foundation
import MVXMetricsTestSupport
import Testing

/// The demo's exit code tells a script whether the run can be trusted: an
/// output it could not write is a failure, not a success.
@Suite struct DemoExitCodeTests {
    @Test(.enabled(if: RealComponents.shouldRun(DemoChild.executable)), .timeLimit(.minutes(2)))
    func aSnapshotThatCannotBeWrittenEndsWithExitCode1() async throws {
        let executable = try #require(DemoChild.executable, "mvx-metrics-demo is required under CI=true")
        // A full disk: every write to /dev/full fails with ENOSPC.
        let demo = try DemoChild(
            executable: executable, arguments: ["--duration", "0.5", "--no-serve", "--json", "--rate", "50"],
            standardOutput: "/dev/full")
        let exit = await demo.waitForExit()
        #expect(
            exit == .code(1), "\(exit.map(String.init(describing:)) ?? "no exit"): \(demo.standardError.suffix(800))")
        #expect(demo.standardError.contains("could not write the final snapshot to standard output"))
        // The run itself was fine: its report says so.
        #expect(demo.standardError.contains("The final snapshot is consistent:"))
    }
}
