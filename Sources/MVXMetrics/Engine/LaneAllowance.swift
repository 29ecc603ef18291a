import Synchronization

/// The ring slots one producer thread's lanes of one recorder may hold
/// together: what bounds a recorder's queue memory by its threads rather
/// than by its threads times its event types.
///
/// Every lane starts with ``initialSlots(limit:stride:)`` slots, taken even past
/// `limit`, so a thread can always queue an event of a new type; a lane
/// doubles its ring only while the thread's lanes stay within `limit`
/// together. The lanes' own thread grows and shrinks them; a lane hands
/// its slots back when it is freed, on whichever thread frees it.
@usableFromInline
final class LaneAllowance: Sendable {
    /// The slots the thread's lanes may hold together: the recorder's capacity.
    let limit: Int
    private let used = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// How many slots a new lane of events of `stride` bytes starts with:
    /// 256, or fewer for events over 32 bytes, so an initial ring takes at
    /// most ``initialRingBytes``; never more than `limit`, never fewer than 16.
    ///
    /// Large enough that the processing thread drains a busy lane in batches
    /// that amortize a pass (in `mvx-profile memory-16`, 16 threads recording
    /// 100 types in turn, 64 slots made it about 7x slower end to end, 128
    /// slots 1.5x), small enough that a program's many idle lanes cost little.
    static func initialSlots(limit: Int, stride: Int) -> Int {
        var slots = 256
        while slots > 16, slots &* max(stride, 1) > initialRingBytes { slots &>>= 1 }
        return min(limit, slots)
    }

    /// The most bytes a lane's initial ring takes (events of over 512 bytes excepted).
    static let initialRingBytes = 8192

    /// The slots the thread's lanes hold now.
    var slotsInUse: Int { used.load(ordering: .relaxed) }

    /// Takes `slots` for a new lane, whatever the others hold.
    func take(_ slots: Int) {
        used.add(slots, ordering: .relaxed)
    }

    /// Takes `slots` more if the lanes stay within `limit` with them. Called
    /// only by the lanes' thread, the only one that adds, so the check holds
    /// until the add.
    func reserve(_ slots: Int) -> Bool {
        guard used.load(ordering: .relaxed) &+ slots <= limit else { return false }
        used.add(slots, ordering: .relaxed)
        return true
    }

    /// Hands back `slots` a lane no longer holds.
    func release(_ slots: Int) {
        used.subtract(slots, ordering: .relaxed)
    }
}
