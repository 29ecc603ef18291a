import MVXMetrics

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What the last successful delta export sent for each series, so the next
/// one sends exactly what was counted since.
///
/// A baseline only moves when an export succeeds: after a failure the next
/// export's deltas cover everything since the last one that got through, so
/// nothing counted is lost while the collector is away. A recorder created
/// anew (another ``RecorderSnapshot/startedAt``) starts from zero.
struct DeltaBaseline {
    struct Key: Hashable {
        let entityID: String
        let metric: String
        let dimension: String
        let labels: [String: String]
    }

    struct Entry {
        /// The recorder's start, to notice a recorder created anew under the same name.
        let recorderStartedAt: Date
        /// When the values below were read: the next delta's start.
        let takenAt: Date
        let value: DimensionValue
    }

    private(set) var entries: [Key: Entry] = [:]

    /// The entry a delta of this series is counted from, if it still applies.
    func entry(_ key: Key, recorderStartedAt: Date) -> Entry? {
        guard let entry = entries[key], entry.recorderStartedAt == recorderStartedAt else { return nil }
        return entry
    }

    /// Replaces the baseline with what an export that succeeded sent.
    mutating func commit(_ sent: [Key: Entry]) {
        entries = sent
    }
}
