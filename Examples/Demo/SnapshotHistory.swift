import MVXMetrics
import Synchronization

/// The run's recent snapshots, one per sample interval, so the live page can
/// chart the whole run as soon as it opens, however late that is.
public final class SnapshotHistory: Sendable {
    /// How many samples are kept (the oldest go first).
    public let capacity: Int
    private let samples = Mutex<[[RecorderSnapshot]]>([])

    /// Creates an empty history keeping `capacity` samples.
    public init(capacity: Int = 180) {
        self.capacity = max(1, capacity)
    }

    /// Adds a sample: every recorder's snapshot at one moment.
    public func append(_ snapshots: [RecorderSnapshot]) {
        samples.withLock { samples in
            samples.append(snapshots)
            if samples.count > capacity { samples.removeFirst(samples.count - capacity) }
        }
    }

    /// The samples, oldest first.
    public var all: [[RecorderSnapshot]] { samples.withLock { $0 } }

    /// How many samples there are.
    public var count: Int { samples.withLock { $0.count } }
}
