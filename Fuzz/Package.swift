// swift-tools-version: 6.2
import PackageDescription

// libFuzzer harnesses for the library (issue 16), a package of their own so
// that the root package's `swift build` and `swift test` never see them. They
// only link when built with the fuzzer sanitizer, which instruments the
// library's code too:
//
//     swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address --scratch-path ../.build-fuzz
//
// README.md says how to run one; `.ci/fuzz` builds and runs them all.
let prometheus = Target.Dependency.product(name: "MVXMetricsPrometheus", package: "mvx-metrics")
let metrics = Target.Dependency.product(name: "MVXMetrics", package: "mvx-metrics")

let package = Package(
    name: "mvx-metrics-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "mvx-metrics", path: "..")],
    targets: [
        // The Prometheus text and OpenMetrics renderers, fed decoded snapshots.
        .executableTarget(name: "ExpositionFuzzer", dependencies: [metrics, prometheus]),
        // The snapshot JSON decoder, fed raw bytes.
        .executableTarget(name: "SnapshotJSONFuzzer", dependencies: [metrics]),
        // The HTTP Accept negotiation, fed raw header text.
        .executableTarget(name: "AcceptHeaderFuzzer", dependencies: [prometheus]),
    ],
    swiftLanguageModes: [.v6]
)
