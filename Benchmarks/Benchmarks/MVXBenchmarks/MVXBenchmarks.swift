import Benchmark
import BenchmarkWorkload

/// Every benchmark of the suite. `run-benchmarks` (next to Package.swift) runs
/// them with the Python original and prints the ratio table.
let benchmarks: @Sendable () -> Void = {
    MVXRecorderBenchmarks.register()
    PeerBenchmarks.register()
    FloorBenchmarks.register()
    RenderingBenchmarks.register()
}
