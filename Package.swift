// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "mvx-metrics",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        // What a reusable library depends on: events, the recorder contract,
        // metrics and their building blocks, snapshots. No engine, no
        // dependency beyond the toolchain.
        .library(name: "MVXMetricsCore", targets: ["MVXMetricsCore"]),
        // What an application adds: the recorders, the runtime and hooks.
        .library(name: "MVXMetrics", targets: ["MVXMetrics"]),
        .library(name: "MVXMetricsTestKit", targets: ["MVXMetricsTestKit"]),
        .library(name: "MVXMetricsPrometheus", targets: ["MVXMetricsPrometheus"]),
        .library(name: "MVXMetricsHTTP", targets: ["MVXMetricsHTTP"]),
        .library(name: "MVXMetricsServiceLifecycle", targets: ["MVXMetricsServiceLifecycle"]),
        .library(name: "MVXMetricsSwiftMetrics", targets: ["MVXMetricsSwiftMetrics"]),
        .library(name: "MVXMetricsStatsD", targets: ["MVXMetricsStatsD"]),
        .library(name: "MVXMetricsOTel", targets: ["MVXMetricsOTel"]),
        .executable(name: "mvx-metrics-example", targets: ["MVXMetricsExample"]),
        .executable(name: "mvx-metrics-quickstart", targets: ["QuickStart"]),
        // The demo (issue 7): the README's "run it" command.
        .executable(name: "mvx-metrics-demo", targets: ["MVXMetricsDemo"]),
    ],
    // Each integration's dependencies are behind a trait, so that a library
    // that depends on the core alone (`traits: []`) clones and builds swift-log
    // and nothing else: SwiftPM leaves out a dependency that only disabled
    // traits use (test targets are never built for a dependent, so theirs
    // stay unguarded). This package's own build, tests and demo enable them
    // all.
    traits: [
        .trait(
            name: "HTTP", description: "MVXMetricsHTTP, the Hummingbird endpoint for /metrics, /snapshot and /health.",
            enabledTraits: ["ServiceLifecycle"]),
        .trait(name: "ServiceLifecycle", description: "MVXMetricsServiceLifecycle, the runtime as a Service."),
        .trait(
            name: "SwiftMetrics", description: "MVXMetricsSwiftMetrics, the bridges to and from swift-metrics.",
            enabledTraits: ["ServiceLifecycle"]),
        .trait(
            name: "StatsD", description: "MVXMetricsStatsD, a StatsD exporter over UDP.",
            enabledTraits: ["ServiceLifecycle"]),
        .trait(
            name: "OTel", description: "MVXMetricsOTel, OTLP/HTTP export built from snapshots.",
            enabledTraits: ["ServiceLifecycle"]),
        .trait(name: "Demo", description: "The mvx-metrics-demo executable's command line.", enabledTraits: ["HTTP"]),
        .default(enabledTraits: ["HTTP", "ServiceLifecycle", "SwiftMetrics", "StatsD", "OTel", "Demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // No default traits: the endpoint reads no swift-configuration and
        // needs none of Hummingbird's full-Foundation code.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        // The HTTP endpoint's own channel handlers (connection cap, request
        // deadline); Hummingbird builds both packages already.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // gzip for the endpoint's responses, over the system's zlib.
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        // The demo's command line.
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Property-based tests of the reliability suite; tests only.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .target(name: "MVXMetricsCore"),
        .target(
            name: "MVXMetrics",
            dependencies: [
                "MVXMetricsCore", "MVXMetricsLocking", "CMVXMetricsShims",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MVXMetricsTestKit",
            dependencies: ["MVXMetrics", "MVXMetricsLocking"]
        ),
        .target(
            name: "MVXMetricsPrometheus",
            dependencies: ["MVXMetrics", "MVXMetricsLocking"]
        ),
        .target(
            name: "MVXMetricsHTTP",
            dependencies: [
                "MVXMetrics", "MVXMetricsPrometheus",
                .product("Hummingbird", in: "hummingbird", when: "HTTP"),
                .product("HummingbirdCore", in: "hummingbird", when: "HTTP"),
                .product("NIOCore", in: "swift-nio", when: "HTTP"),
                .product("NIOHTTP1", in: "swift-nio", when: "HTTP"),
                .product("NIOHTTPTypes", in: "swift-nio-extras", when: "HTTP"),
                .product("CompressNIO", in: "compress-nio", when: "HTTP"),
                .product("ServiceLifecycle", in: "swift-service-lifecycle", when: "ServiceLifecycle"),
            ]
        ),
        .target(
            name: "MVXMetricsServiceLifecycle",
            dependencies: [
                "MVXMetrics", .product("ServiceLifecycle", in: "swift-service-lifecycle", when: "ServiceLifecycle"),
            ]
        ),
        .target(
            name: "MVXMetricsSwiftMetrics",
            dependencies: [
                "MVXMetrics", "MVXMetricsExportSupport", "MVXMetricsLocking",
                .product("CoreMetrics", in: "swift-metrics", when: "SwiftMetrics"),
                .product("ServiceLifecycle", in: "swift-service-lifecycle", when: "SwiftMetrics"),
            ]
        ),
        .target(
            name: "MVXMetricsStatsD",
            dependencies: [
                "MVXMetrics", "MVXMetricsExportSupport", "MVXMetricsLocking",
                .product("ServiceLifecycle", in: "swift-service-lifecycle", when: "StatsD"),
            ]
        ),
        .target(
            name: "MVXMetricsOTel",
            dependencies: [
                "MVXMetrics", "MVXMetricsExportSupport", "MVXMetricsLocking",
                .product("ServiceLifecycle", in: "swift-service-lifecycle", when: "OTel"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Internal helpers shared by the package's targets; not a product.
        .target(name: "MVXMetricsLocking"),
        // What the tests share: real-component discovery, tool runs, a step clock.
        .target(name: "MVXMetricsTestSupport", path: "Tests/Support"),
        // What every exporter service shares: the export loop, deltas, series keys.
        .target(
            name: "MVXMetricsExportSupport",
            dependencies: [
                "MVXMetrics", "MVXMetricsLocking",
                .product("ServiceLifecycle", in: "swift-service-lifecycle", when: "ServiceLifecycle"),
            ]
        ),
        .target(name: "CMVXMetricsShims"),
        // Libraries, as a reusable component would be one: they depend on
        // the API alone, never on the engine.
        .target(
            name: "DocumentStorageExample",
            dependencies: ["MVXMetricsCore"],
            path: "Examples/DocumentStorage"
        ),
        .target(
            name: "TCPStreamExample",
            dependencies: ["MVXMetricsCore"],
            path: "Examples/TCPStream"
        ),
        .executableTarget(
            name: "MVXMetricsExample",
            dependencies: ["MVXMetrics", "DocumentStorageExample", "TCPStreamExample"],
            path: "Examples/Runner"
        ),
        .executableTarget(
            name: "QuickStart",
            dependencies: ["MVXMetrics"],
            path: "Examples/QuickStart"
        ),
        // The API's building blocks, tested without the engine.
        .testTarget(
            name: "MVXMetricsCoreTests",
            dependencies: ["MVXMetricsCore", "MVXMetricsTestSupport"]
        ),
        .testTarget(
            name: "MVXMetricsTests",
            dependencies: [
                "MVXMetrics", "MVXMetricsTestKit", "MVXMetricsTestSupport",
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        // The reliability suite (RELIABILITY.md): properties, soak, faults, hostile input.
        .testTarget(
            name: "MVXMetricsReliabilityTests",
            dependencies: [
                "MVXMetrics", "MVXMetricsPrometheus", "MVXMetricsHTTP", "MVXMetricsTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MVXMetricsPrometheusTests",
            dependencies: [
                "MVXMetricsTestSupport", "MVXMetricsPrometheus", "MVXMetricsTestKit", "DocumentStorageExample",
                "TCPStreamExample",
            ]
        ),
        .testTarget(
            name: "MVXMetricsHTTPTests",
            dependencies: [
                "MVXMetricsTestSupport", "MVXMetricsHTTP", "MVXMetricsTestKit", "TCPStreamExample",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .testTarget(
            name: "MVXMetricsServiceLifecycleTests",
            dependencies: [
                "MVXMetricsServiceLifecycle", "MVXMetricsTestKit",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "MVXMetricsSwiftMetricsTests",
            dependencies: [
                "MVXMetricsSwiftMetrics", "MVXMetricsTestKit", "MVXMetricsHTTP", "MVXMetricsTestSupport",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MVXMetricsStatsDTests",
            dependencies: [
                "MVXMetricsTestSupport", "MVXMetricsStatsD", "MVXMetricsTestKit",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MVXMetricsOTelTests",
            dependencies: [
                "MVXMetricsTestSupport",
                "MVXMetricsOTel", "MVXMetricsTestKit", "MVXMetricsServiceLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "ExamplesTests",
            dependencies: [
                "MVXMetricsTestSupport", "MVXMetrics", "MVXMetricsTestKit", "DocumentStorageExample",
                "TCPStreamExample",
            ]
        ),
        .testTarget(
            name: "MVXMetricsTestKitTests",
            dependencies: ["MVXMetrics", "MVXMetricsTestKit"]
        ),
        // The demo (issue 7): its workload, terminal view and live page, the
        // command that runs them, and their tests. Not part of the library.
        .target(
            name: "DemoExample",
            dependencies: [
                "MVXMetrics", "MVXMetricsHTTP", "MVXMetricsPrometheus", "MVXMetricsLocking", "DocumentStorageExample",
                "TCPStreamExample", .product("ArgumentParser", in: "swift-argument-parser", when: "Demo"),
                .product("Hummingbird", in: "hummingbird", when: "HTTP"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/Demo"
        ),
        .executableTarget(
            name: "MVXMetricsDemo",
            dependencies: ["DemoExample"],
            path: "Examples/DemoMain"
        ),
        .testTarget(
            name: "DemoTests",
            dependencies: ["MVXMetricsTestSupport", "DemoExample", "MVXMetricsHTTP", "TCPStreamExample"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Every unsafe construct in the libraries is marked where it is (`unsafe`,
// `@safe`, `@unsafe`), each type with its reason.
for target in package.targets where target.type == .regular && target.path == nil && !target.name.hasPrefix("C") {
    target.swiftSettings = (target.swiftSettings ?? []) + [.strictMemorySafety()]
}

extension Target.Dependency {
    /// A product of `package` that this package uses only while `trait` is on.
    static func product(_ name: String, in package: String, when trait: String) -> Self {
        .product(name: name, package: package, condition: .when(traits: [trait]))
    }
}
