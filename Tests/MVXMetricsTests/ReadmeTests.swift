import Foundation
import Testing

/// The README's quick start is `Examples/QuickStart/main.swift`, which the
/// build compiles and CI runs; this test keeps the two texts identical.
@Suite struct ReadmeTests {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func quickStartIsTheCompiledExample() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(
            contentsOf: Self.root.appendingPathComponent("Examples/QuickStart/main.swift"), encoding: .utf8)
        #expect(readme.contains("```swift\n" + example + "```\n"))
    }

    @Test(arguments: [
        ("Tests/ExamplesTests/ReadmeProductionPathTests.swift", "production-path"),
        ("Tests/ExamplesTests/DocumentStorageTests.swift", "testing-coverage"),
        ("Tests/ExamplesTests/ReadmeSplitMetricsTests.swift", "split-metrics"),
        ("Tests/MVXMetricsPrometheusTests/ReadmeCatalogTests.swift", "catalog"),
    ])
    func markedSnippetIsTheCompiledTest(file: String, marker: String) throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let test = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
        let lines = test.components(separatedBy: "\n")
        let begin = try #require(lines.firstIndex { $0.contains("// README: \(marker) begin") })
        let end = try #require(lines.firstIndex { $0.contains("// README: \(marker) end") })
        let snippet = lines[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        #expect(readme.contains("```swift\n" + snippet.joined(separator: "\n") + "\n```\n"), "\(marker)")
    }

    @Test func readmeStatesTheCommands() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("swift test"))
        #expect(readme.contains("swift run mvx-metrics-example"))
        #expect(readme.contains("```sh\nswift run mvx-metrics-demo\n```"))
    }

    @Test func everyPictureTheReadmeShowsIsCommitted() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let pictures = readme.components(separatedBy: "](").dropFirst().compactMap { rest -> String? in
            guard let end = rest.firstIndex(of: ")") else { return nil }
            let target = String(rest[..<end])
            return target.hasSuffix(".png") ? target : nil
        }
        #expect(pictures.contains("docs/live-page.png"))
        for picture in pictures {
            let data = try Data(contentsOf: Self.root.appendingPathComponent(picture))
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(picture) is not a PNG")
        }
    }
}
