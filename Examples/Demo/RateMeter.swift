import Foundation
import MVXMetrics

/// Events per second for each recorder, from the growth of its accepted count
/// between two snapshots (timed by the snapshots themselves).
struct RateMeter {
    private var previous: [String: (accepted: UInt64, at: Date)] = [:]
    private var rates: [String: Double] = [:]

    /// Updates the rates with `snapshots` and returns them, by entity id.
    mutating func update(_ snapshots: [RecorderSnapshot]) -> [String: Double] {
        for snapshot in snapshots {
            let accepted = snapshot.statistics.accepted
            if let last = previous[snapshot.entityID] {
                let seconds = snapshot.takenAt.timeIntervalSince(last.at)
                // Too close together to tell: keep the last rate.
                guard seconds >= 0.05 else { continue }
                rates[snapshot.entityID] = Double(accepted &- last.accepted) / seconds
            }
            previous[snapshot.entityID] = (accepted, snapshot.takenAt)
        }
        return rates
    }
}
