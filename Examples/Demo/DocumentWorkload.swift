import DocumentStorageExample
import Foundation
import MVXMetrics

/// Saves documents at a steady pace: mostly successes, with a fixed share of
/// oversized documents, invalid names, and saves into a folder that has gone
/// missing, so every outcome shows up within seconds.
final class DocumentWorkload: Sendable {
    /// The largest document the storage accepts.
    static let maximumSize = ByteCount.kibibytes(64)

    /// One save in a cycle of 32: the faults sit at fixed places, so a short
    /// run sees them all; sizes and names vary.
    private enum Save {
        case document, tooLarge, invalidName, missingFolder

        static let cycle: [Save] = (0..<32).map { index in
            switch index {
            case 5, 21: .tooLarge
            case 13: .invalidName
            case 29: .missingFolder
            default: .document
            }
        }
    }

    /// The folder documents are saved in (a fresh temporary one).
    let folder: URL
    private let storage: DocumentStorage<ContinuousClock>
    private let archive: DocumentStorage<ContinuousClock>

    /// Creates the folder and two storages reporting to `recorder`: one that
    /// works, and an archive whose folder does not exist, so its saves fail.
    init(recorder: any MetricsRecorder) throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("mvx-metrics-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        storage = DocumentStorage(directory: folder, maximumSize: Self.maximumSize, metrics: recorder)
        archive = DocumentStorage(
            directory: folder.appendingPathComponent("archive-was-removed"), maximumSize: Self.maximumSize,
            metrics: recorder)
    }

    /// Saves `rate` documents per second until `stop` is raised.
    func run(rate: Double, stop: StopSignal) {
        var pacer = Pacer(rate: rate)
        var index = 0
        while pacer.waitForSlot(stop) {
            save(index)
            index += 1
        }
    }

    /// Removes the folder and what was saved in it.
    func removeFolder() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func save(_ index: Int) {
        // 64 names, overwritten in turn, keep the folder small however long the run.
        let name = "document-\(index % 64).txt"
        switch Save.cycle[index % Save.cycle.count] {
        case .document:
            try? storage.saveDocument(named: name, content: Self.content(size: Self.documentSize()))
        case .tooLarge:
            let size = Self.maximumSize.bytes + Int.random(in: 1...(Self.maximumSize.bytes * 2))
            try? storage.saveDocument(named: name, content: Self.content(size: size))
        case .invalidName:
            let names = ["../escape.txt", "reports/q3.txt", "", ".."]
            try? storage.saveDocument(named: names[index % names.count], content: Self.content(size: 128))
        case .missingFolder:
            try? archive.saveDocument(named: name, content: Self.content(size: Self.documentSize()))
        }
    }

    /// A size between 256 bytes and 48 KiB, evenly spread on a log scale, as
    /// document sizes tend to be.
    private static func documentSize() -> Int {
        Int(exp(Double.random(in: log(256.0)...log(48.0 * 1024))))
    }

    private static func content(size: Int) -> [UInt8] {
        [UInt8](repeating: UInt8(ascii: "m"), count: size)
    }
}
