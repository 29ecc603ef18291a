// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "mvx-metrics",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "MVXMetrics", targets: ["MVXMetrics"]),
        .library(name: "MVXMetricsTestKit", targets: ["MVXMetricsTestKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2")
    ],
    targets: [
        .target(
            name: "MVXMetrics",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "MVXMetricsTestKit",
            dependencies: ["MVXMetrics"]
        ),
        .testTarget(
            name: "MVXMetricsTests",
            dependencies: ["MVXMetrics", "MVXMetricsTestKit"]
        ),
        .testTarget(
            name: "MVXMetricsTestKitTests",
            dependencies: ["MVXMetrics", "MVXMetricsTestKit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
