import MVXMetricsLocking
import Synchronization

/// Delivers metric changes to the `AsyncStream`s made by `changes(bufferingNewest:)`
/// (the queued recorder's, and the test kit's).
package final class ChangeBroadcaster: Sendable {
    private struct Subscribers {
        var continuations: [Int: AsyncStream<MetricChange>.Continuation] = [:]
        /// Set once the recorder stopped or failed: a stream made after that
        /// ends at once instead of waiting for changes that never come.
        var finished = false
    }

    private let subscribers = LockedValue(Subscribers())
    private let nextID = Atomic<Int>(0)
    private let subscriberCount = Atomic<Int>(0)

    /// Whether any stream is listening; read on the processing path to skip
    /// collecting changes nobody wants.
    package var hasSubscribers: Bool { subscriberCount.load(ordering: .relaxed) > 0 }

    package init() {}

    package func makeStream(bufferingNewest limit: Int) -> AsyncStream<MetricChange> {
        let (stream, continuation) = AsyncStream<MetricChange>.makeStream(bufferingPolicy: .bufferingNewest(limit))
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let subscribed = subscribers.withLock { subscribers in
            guard !subscribers.finished else { return false }
            subscribers.continuations[id] = continuation
            return true
        }
        guard subscribed else {
            continuation.finish()
            return stream
        }
        subscriberCount.add(1, ordering: .relaxed)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            let removed = self.subscribers.withLock { $0.continuations.removeValue(forKey: id) }
            if removed != nil { self.subscriberCount.subtract(1, ordering: .relaxed) }
        }
        return stream
    }

    package func publish(_ change: MetricChange) {
        for continuation in subscribers.withLock({ Array($0.continuations.values) }) {
            continuation.yield(change)
        }
    }

    /// Ends every stream, and every stream made from now on: the recorder
    /// stopped or failed.
    package func finishAll() {
        let all = subscribers.withLock { subscribers in
            subscribers.finished = true
            defer { subscribers.continuations.removeAll() }
            return Array(subscribers.continuations.values)
        }
        subscriberCount.subtract(all.count, ordering: .relaxed)
        for continuation in all { continuation.finish() }
    }
}
