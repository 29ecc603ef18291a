import DemoExample

// `swift run mvx-metrics-demo`. The command lives in Examples/Demo with the
// rest of the demo, where tests can reach it; this makes it the entry point,
// which runs its `async` `run()`.
@main
extension DemoCommand {}
