import Foundation
import MVXMetricsCore

/// Saves documents as files in a folder, and reports every save attempt as a
/// ``DocumentSaveAttempt`` fact.
///
/// The component knows what a save attempt is and how it ended. It does not
/// know which metrics exist, how they are aggregated, or where they go: it
/// hands the fact to its recorder and goes on.
///
/// ```swift
/// let recorder = InlineMetricsRecorder(entityID: "document-storage")
/// for metric in try DocumentStorageMetrics.all() { try recorder.register(metric) }
/// let storage = DocumentStorage(directory: folder, metrics: recorder)
/// try storage.saveDocument(named: "report.txt", content: Array("hello".utf8))
/// ```
public final class DocumentStorage<C: Clock>: Sendable where C.Duration == Duration {
    /// The folder documents are saved in.
    public let directory: URL
    /// The largest content accepted.
    public let maximumSize: ByteCount
    private let metrics: any MetricsRecorder
    private let clock: C

    /// Creates a storage that measures attempts with `clock`.
    public init(directory: URL, maximumSize: ByteCount = .mebibytes(1), metrics: any MetricsRecorder = .noop, clock: C)
    {
        self.directory = directory
        self.maximumSize = maximumSize
        self.metrics = metrics
        self.clock = clock
    }

    /// Saves `content` as the file `name`, replacing an existing one.
    public func saveDocument(named name: String, content: [UInt8]) throws(DocumentStorageError) {
        let start = clock.now
        let size = ByteCount(content.count)
        do {
            try write(named: name, content: content)
            metrics.record(
                DocumentSaveAttempt(outcome: .success, contentSize: size, duration: start.duration(to: clock.now)))
        } catch {
            metrics.record(
                DocumentSaveAttempt(outcome: error.outcome, contentSize: size, duration: start.duration(to: clock.now)))
            throw error
        }
    }

    /// Reads the document `name`.
    public func loadDocument(named name: String) throws -> [UInt8] {
        try Self.checkName(name)
        return Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    private func write(named name: String, content: [UInt8]) throws(DocumentStorageError) {
        try Self.checkName(name)
        guard content.count <= maximumSize.bytes else {
            throw DocumentStorageError(
                outcome: .tooLarge,
                message: "document \"\(name)\" has \(content.count) bytes; the limit is \(maximumSize.bytes)")
        }
        do {
            try Data(content).write(to: directory.appendingPathComponent(name), options: .atomic)
        } catch {
            throw DocumentStorageError(
                outcome: .failure, message: "could not write \"\(name)\": \(error.localizedDescription)")
        }
    }

    private static func checkName(_ name: String) throws(DocumentStorageError) {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
            throw DocumentStorageError(outcome: .invalidName, message: "\"\(name)\" is not a plain file name")
        }
    }
}

extension DocumentStorage where C == ContinuousClock {
    /// Creates a storage that measures attempts with the continuous clock.
    public convenience init(
        directory: URL, maximumSize: ByteCount = .mebibytes(1), metrics: any MetricsRecorder = .noop
    ) {
        self.init(directory: directory, maximumSize: maximumSize, metrics: metrics, clock: ContinuousClock())
    }
}
