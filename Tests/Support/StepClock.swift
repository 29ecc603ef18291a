import Synchronization

/// A clock whose every reading is one `step` after the previous one, so an
/// operation that reads it twice always lasts exactly `step`.
public struct StepClock: Clock {
    public struct Instant: InstantProtocol {
        public var offset: Duration
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private final class Ticks: Sendable {
        let count = Atomic<Int64>(0)
    }

    public let step: Duration
    private let ticks = Ticks()

    public init(step: Duration) { self.step = step }

    public var now: Instant { Instant(offset: step * ticks.count.add(1, ordering: .relaxed).newValue) }
    public var minimumResolution: Duration { step }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {}
}
