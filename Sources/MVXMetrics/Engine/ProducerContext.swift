import CMVXMetricsShims
import MVXMetricsLocking

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A producer thread's lanes, one per route it has recorded into, indexed by
/// the route's slot, and the thread's ``LaneAllowance`` in each recorder.
///
/// The context lives in a thread-local pointer (read without a function call)
/// and is released by a pthread key destructor when the thread exits; its
/// lanes are then marked so the processing thread retires them once drained.
// @safe: it belongs to one thread, which alone reads its lane cache.
@safe
@usableFromInline
final class ProducerContext {
    // Touched only by the context's own thread.
    @usableFromInline @exclusivity(unchecked) var table: UnsafeMutablePointer<Unmanaged<AnyLane>?>
    @usableFromInline @exclusivity(unchecked) var tableCount: Int
    /// The thread's allowance in each recorder it recorded into, found by the
    /// recorder's ``ReadyLanes``; an entry whose recorder is gone is replaced.
    @exclusivity(unchecked) private var allowances: [ObjectIdentifier: Allowance] = [:]

    private struct Allowance {
        weak var recorder: ReadyLanes?
        let allowance: LaneAllowance
    }

    private init() {
        unsafe tableCount = 16
        unsafe table = unsafe .allocate(capacity: tableCount)
        unsafe table.initialize(repeating: nil, count: tableCount)
    }

    deinit {
        for index in unsafe 0..<tableCount {
            if let lane = unsafe table[index] {
                unsafe lane._withUnsafeGuaranteedRef(Self.exited)
                unsafe lane.release()
            }
        }
        unsafe table.deallocate()
    }

    /// The calling thread's context, made on first use.
    @inlinable @inline(__always)
    static var current: Unmanaged<ProducerContext> {
        if let raw = unsafe mvx_thread_context() { return unsafe Unmanaged.fromOpaque(raw) }
        return unsafe install()
    }

    @usableFromInline @inline(never)
    static func install() -> Unmanaged<ProducerContext> {
        let context = unsafe Unmanaged.passRetained(ProducerContext())
        unsafe mvx_set_thread_context(context.toOpaque())
        unsafe pthread_setspecific(threadExitKey, context.toOpaque())
        return unsafe context
    }

    /// Releases a thread's context when the thread exits.
    private static let threadExitKey: pthread_key_t = {
        var key = pthread_key_t()
        let result = unsafe pthread_key_create(&key) { raw in
            guard let raw = unsafe raw else { return }
            mvx_set_thread_context(nil)
            unsafe Unmanaged<ProducerContext>.fromOpaque(raw).release()
        }
        precondition(result == 0, "pthread_key_create failed: \(result)")
        return key
    }()

    /// Marks `lane` as left by its producer, and schedules it so the
    /// processing thread retires it once it is drained.
    private static func exited(_ lane: AnyLane) {
        lane.producerExited.store(true, ordering: .sequentiallyConsistent)
        lane.schedule()
    }

    /// This thread's lane for `route`, or nil before its first event of the
    /// route (the caller then makes one with `makeLane`).
    @inlinable @inline(__always)
    func existingLane(for route: AnyEventRoute) -> Unmanaged<AnyLane>? {
        let slot = route.slot
        if unsafe slot < tableCount, let lane = unsafe table[slot],
            unsafe lane._withUnsafeGuaranteedRef({ $0.routeSerial == route.serial })
        {
            return unsafe lane
        }
        return nil
    }

    /// Makes this thread's lane for `route` and registers it with the route.
    @usableFromInline @inline(never)
    func makeLane(for route: AnyEventRoute, capacity: Int, ready: ReadyLanes) -> Unmanaged<AnyLane> {
        let allowance = allowance(capacity: capacity, ready: ready)
        let slot = route.slot
        if unsafe slot >= tableCount {
            let newCount = unsafe max(slot + 1, tableCount * 2)
            let newTable = UnsafeMutablePointer<Unmanaged<AnyLane>?>.allocate(capacity: newCount)
            unsafe newTable.moveInitialize(from: table, count: tableCount)
            unsafe (newTable + tableCount).initialize(repeating: nil, count: newCount - tableCount)
            unsafe table.deallocate()
            unsafe table = unsafe newTable
            unsafe tableCount = newCount
        }
        if let stale = unsafe table[slot] {
            // The slot belonged to a route that is gone.
            unsafe stale._withUnsafeGuaranteedRef(Self.exited)
            unsafe stale.release()
        }
        let lane = route.makeLane(allowance: allowance, ready: ready)
        route.lanes.withLock { $0.append(lane) }
        let reference = unsafe Unmanaged.passRetained(lane)
        unsafe table[slot] = unsafe reference
        return unsafe reference
    }

    /// This thread's allowance in the recorder whose lanes go to `ready`.
    private func allowance(capacity: Int, ready: ReadyLanes) -> LaneAllowance {
        let key = ObjectIdentifier(ready)
        if let entry = unsafe allowances[key], entry.recorder === ready { return entry.allowance }
        if unsafe allowances.count >= 16 { unsafe allowances = allowances.filter { $0.value.recorder != nil } }
        let allowance = LaneAllowance(limit: capacity)
        unsafe allowances[key] = Allowance(recorder: ready, allowance: allowance)
        return allowance
    }
}
