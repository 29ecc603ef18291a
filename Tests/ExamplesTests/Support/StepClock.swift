import Synchronization

/// A clock whose every reading is one `step` later than the previous one, so
/// an operation that reads it twice always lasts exactly `step`.
struct StepClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private final class Ticks: Sendable {
        let count = Atomic<Int64>(0)
    }

    let step: Duration
    private let ticks = Ticks()

    init(step: Duration) { self.step = step }

    var now: Instant { Instant(offset: step * ticks.count.add(1, ordering: .relaxed).newValue) }
    var minimumResolution: Duration { step }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {}
}
