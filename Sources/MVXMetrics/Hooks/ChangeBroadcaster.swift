import MVXMetricsLocking
import Synchronization

/// Delivers metric changes to the `AsyncStream`s made by `changes(bufferingNewest:)`.
final class ChangeBroadcaster: Sendable {
    private let continuations = LockedValue<[Int: AsyncStream<MetricChange>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)
    private let subscriberCount = Atomic<Int>(0)

    /// Whether any stream is listening; read on the processing path to skip
    /// collecting changes nobody wants.
    var hasSubscribers: Bool { subscriberCount.load(ordering: .relaxed) > 0 }

    func makeStream(bufferingNewest limit: Int) -> AsyncStream<MetricChange> {
        let (stream, continuation) = AsyncStream<MetricChange>.makeStream(bufferingPolicy: .bufferingNewest(limit))
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        continuations.withLock { $0[id] = continuation }
        subscriberCount.add(1, ordering: .relaxed)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            let removed = self.continuations.withLock { $0.removeValue(forKey: id) }
            if removed != nil { self.subscriberCount.subtract(1, ordering: .relaxed) }
        }
        return stream
    }

    func publish(_ change: MetricChange) {
        for continuation in continuations.withLock({ Array($0.values) }) {
            continuation.yield(change)
        }
    }

    /// Ends every stream: the recorder stopped.
    func finishAll() {
        let all = continuations.withLock { all in
            defer { all.removeAll() }
            return Array(all.values)
        }
        subscriberCount.subtract(all.count, ordering: .relaxed)
        for continuation in all { continuation.finish() }
    }
}
