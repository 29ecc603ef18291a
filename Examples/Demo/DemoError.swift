/// Why the demo could not start.
public struct DemoError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, and what to do about it.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
