import MVXMetricsLocking
import Synchronization

/// The lanes of one recorder that the processing thread must visit, so an
/// idle lane costs a processing pass nothing.
///
/// A lane is *scheduled* while it is in the processing thread's active list
/// or in `pushed`; its `scheduled` flag says which lanes are, so each is in
/// one of them exactly once. A producer that publishes into an unscheduled
/// lane schedules it (the flag's first setter pushes it here); the processing
/// thread takes the pushed lanes into its active list at each pass, and
/// unschedules the lanes that stayed empty for a sweep (see
/// `QueuedMetricsRecorder.sweepIdleLanes()`).
@usableFromInline
final class ReadyLanes: Sendable {
    private let pushed = LockedValue<[AnyLane]>([])
    /// How many lanes `pushed` holds, read without the lock at each pass.
    private let count = Atomic<Int>(0)

    /// Adds a lane whose `scheduled` flag the caller just set.
    func push(_ lane: AnyLane) {
        pushed.withLock { $0.append(lane) }
        count.add(1, ordering: .releasing)
    }

    /// Whether a lane waits to be taken.
    var isEmpty: Bool { count.load(ordering: .acquiring) == 0 }

    /// Moves the pushed lanes to the end of `active`.
    func take(into active: inout [AnyLane]) {
        guard !isEmpty else { return }
        let taken = pushed.withLock { pushed in
            active.append(contentsOf: pushed)
            // Keeping the capacity, so a producer's push does not allocate.
            defer { pushed.removeAll(keepingCapacity: true) }
            return pushed.count
        }
        count.subtract(taken, ordering: .relaxed)
    }
}
