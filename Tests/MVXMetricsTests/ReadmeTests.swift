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

    @Test func productionPathSnippetIsTheCompiledTest() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let test = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/ExamplesTests/ReadmeProductionPathTests.swift"),
            encoding: .utf8)
        let lines = test.components(separatedBy: "\n")
        let begin = try #require(lines.firstIndex { $0.contains("// README: production-path begin") })
        let end = try #require(lines.firstIndex { $0.contains("// README: production-path end") })
        let snippet = lines[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        #expect(readme.contains("```swift\n" + snippet.joined(separator: "\n") + "\n```\n"))
    }

    @Test func readmeStatesTheCommands() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("swift test"))
        #expect(readme.contains("swift run mvx-metrics-example"))
    }
}
