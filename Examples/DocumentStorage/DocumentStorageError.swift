/// Why ``DocumentStorage`` could not save or load a document.
public struct DocumentStorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The outcome the failed attempt was measured as.
    public let outcome: DocumentSaveOutcome
    /// What went wrong.
    public let message: String

    public var description: String { message }
}
