import DemoExample

/// `swift run mvx-metrics-demo`. The command lives in Examples/Demo with the
/// rest of the demo, where tests can reach it; this entry point traps Ctrl-C,
/// SIGTERM and SIGHUP before anything else happens, then runs the command.
@main
enum DemoMain {
    static func main() async {
        DemoInterrupts.install()
        await DemoCommand.main()
    }
}
