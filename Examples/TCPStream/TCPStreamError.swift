/// Why a ``TCPStream`` operation did not complete.
public struct TCPStreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The outcome the attempt was measured as.
    public let outcome: TCPStreamOutcome
    /// Why it was refused, when ``outcome`` is ``TCPStreamOutcome/refused``.
    public let refusalReason: TCPStreamRefusalReason?
    /// What went wrong.
    public let message: String

    init(_ outcome: TCPStreamOutcome, _ reason: TCPStreamRefusalReason? = nil, _ message: String) {
        self.outcome = outcome
        self.refusalReason = reason
        self.message = message
    }

    public var description: String { message }
}
