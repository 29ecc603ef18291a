import MVXMetricsPrometheus

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The replay mode: with `MVX_FUZZ_EXPOSITIONS` set to a folder, each input
/// that is not hostile leaves there, named by a hash of the input, the input
/// itself (`.input`), its text exposition (`.txt`), its OpenMetrics
/// exposition (`.om`) and the label values a reader must find
/// (`.labels.json`), so that `check-expositions.py` can run the real parsers
/// on every corpus entry after a fuzz run, outside the fuzzing loop.
enum ReplayOutput {
    static let folder = ProcessInfo.processInfo.environment["MVX_FUZZ_EXPOSITIONS"].map { URL(filePath: $0) }

    static func write(input: [UInt8], _ outputs: [PrometheusFormat: [UInt8]], requiredLabelValues: Set<String>) {
        guard let folder else { return }
        // FNV-1a: a stable name, so a corpus entry replayed twice writes one set of files.
        let hash = input.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
        let name = String(hash, radix: 16)
        do {
            try Data(input).write(to: folder.appending(path: name + ".input"))
            try Data(outputs[.text] ?? []).write(to: folder.appending(path: name + ".txt"))
            try Data(outputs[.openMetrics] ?? []).write(to: folder.appending(path: name + ".om"))
            try JSONEncoder().encode(requiredLabelValues.sorted()).write(
                to: folder.appending(path: name + ".labels.json"))
        } catch {
            fatalError("could not write the replay output for \(name) in \(folder.path): \(error)")
        }
    }
}
