import DemoExample
import Testing

/// The command line: its defaults make the no-argument run, and nonsense is
/// refused before anything starts.
@Suite struct DemoCommandTests {
    @Test func theDefaultsRunHalfAMinuteOnThePreferredPort() throws {
        let command = try DemoCommand.parse([])
        let configuration = command.demoConfiguration
        #expect(configuration.duration == .seconds(30))
        #expect(configuration.rate == 200)
        #expect(configuration.serving == .preferredPort(9464))
        #expect(!command.json)
    }

    @Test func optionsMapToTheConfiguration() throws {
        let command = try DemoCommand.parse(["--duration", "2.5", "--rate", "50", "--port", "0", "--json"])
        #expect(command.demoConfiguration.duration == .milliseconds(2500))
        #expect(command.demoConfiguration.rate == 50)
        #expect(command.demoConfiguration.serving == .port(0))
        #expect(command.json)
        #expect(try DemoCommand.parse(["--duration", "0"]).demoConfiguration.duration == nil)
        #expect(try DemoCommand.parse(["--no-serve"]).demoConfiguration.serving == .off)
    }

    @Test(arguments: [
        ["--rate", "0"], ["--duration", "-1"], ["--port", "70000"], ["--no-serve", "--port", "9464"], ["--bogus"],
    ])
    func nonsenseIsRefused(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try DemoCommand.parse(arguments) }
    }
}
