// swift-tools-version: 6.2
import PackageDescription

// The benchmark harness is a package of its own, so the library never depends
// on it (or on its peers, swift-prometheus and swift-metrics).
let package = Package(
    name: "mvx-metrics-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "mvx-metrics", path: ".."),
        // The MallocInterposer trait gives the harness its malloc counters; naming
        // the traits also leaves out the default RuntimeInterposer trait, whose
        // package is not needed here.
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
    ],
    targets: [
        // The workload shared by the benchmarks and the profiling driver.
        .target(
            name: "BenchmarkWorkload",
            dependencies: [.product(name: "MVXMetrics", package: "mvx-metrics")]
        ),
        // Runs one contender alone, for valgrind and perf.
        .executableTarget(
            name: "mvx-profile",
            dependencies: [
                "BenchmarkWorkload",
                .product(name: "MVXMetrics", package: "mvx-metrics"),
                .product(name: "MVXMetricsPrometheus", package: "mvx-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "MVXBenchmarks",
            dependencies: [
                "BenchmarkWorkload",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MVXMetrics", package: "mvx-metrics"),
                .product(name: "MVXMetricsPrometheus", package: "mvx-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Benchmarks/MVXBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
