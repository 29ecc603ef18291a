import Hummingbird
import MVXMetrics
import MVXMetricsLocking

/// The run's recent snapshots, one per sample interval, so the live page can
/// chart the whole run as soon as it opens, however late that is.
///
/// `/history` serves ``json``: encoded at most once per sample and shared by
/// every request after that (a `ByteBuffer` is copied on write), so a hundred
/// clients asking for it cost what one does, and its size is bounded by
/// ``capacity`` samples.
public final class SnapshotHistory: Sendable {
    /// How many samples are kept (the oldest go first).
    public let capacity: Int
    // A pthread lock (`LockedValue`), not `Synchronization.Mutex`: the thread
    // sanitizer cannot see the latter's futex on Linux, and reported the
    // sampler's append and a request's read of `json` as a race in the
    // sanitized demo, which exits with its report.
    private let state = LockedValue<State>(State())

    private struct State {
        var samples: [[RecorderSnapshot]] = []
        var encoded: [[UInt8]] = []
        var json: ByteBuffer?
    }

    /// Creates an empty history keeping `capacity` samples.
    public init(capacity: Int = 180) {
        self.capacity = max(1, capacity)
    }

    /// Adds a sample: every recorder's snapshot at one moment.
    public func append(_ snapshots: [RecorderSnapshot]) {
        // Encoded here, off the request path, once per sample.
        let encoded = (try? MetricsJSON.encoder().encode(snapshots)).map(Array.init) ?? Array("[]".utf8)
        state.withLock { state in
            state.samples.append(snapshots)
            state.encoded.append(encoded)
            if state.samples.count > capacity {
                state.samples.removeFirst(state.samples.count - capacity)
                state.encoded.removeFirst(state.encoded.count - capacity)
            }
            state.json = nil
        }
    }

    /// The samples, oldest first.
    public var all: [[RecorderSnapshot]] { state.withLock { $0.samples } }

    /// How many samples there are.
    public var count: Int { state.withLock { $0.samples.count } }

    /// The samples as one JSON array (oldest first), in the stable snapshot
    /// form.
    public var json: ByteBuffer {
        state.withLock { state in
            if let json = state.json { return json }
            var buffer = ByteBuffer()
            buffer.reserveCapacity(state.encoded.reduce(2) { $0 + $1.count + 1 })
            buffer.writeString("[")
            for (index, sample) in state.encoded.enumerated() {
                if index > 0 { buffer.writeString(",") }
                buffer.writeBytes(sample)
            }
            buffer.writeString("]")
            state.json = buffer
            return buffer
        }
    }
}
