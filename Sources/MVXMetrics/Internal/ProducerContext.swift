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
/// the route's slot.
///
/// The context lives in a thread-local pointer (read without a function call)
/// and is released by a pthread key destructor when the thread exits; its
/// lanes are then marked so the processing thread retires them once drained.
@usableFromInline
final class ProducerContext {
    // Touched only by the context's own thread.
    @usableFromInline @exclusivity(unchecked) var table: UnsafeMutablePointer<Unmanaged<AnyLane>?>
    @usableFromInline @exclusivity(unchecked) var tableCount: Int

    private init() {
        tableCount = 16
        table = .allocate(capacity: tableCount)
        table.initialize(repeating: nil, count: tableCount)
    }

    deinit {
        for index in 0..<tableCount {
            if let lane = table[index] {
                lane._withUnsafeGuaranteedRef { $0.producerExited.store(true, ordering: .releasing) }
                lane.release()
            }
        }
        table.deallocate()
    }

    /// The calling thread's context, made on first use.
    @inlinable @inline(__always)
    static var current: Unmanaged<ProducerContext> {
        if let raw = mvx_thread_context() { return Unmanaged.fromOpaque(raw) }
        return install()
    }

    @usableFromInline @inline(never)
    static func install() -> Unmanaged<ProducerContext> {
        let context = Unmanaged.passRetained(ProducerContext())
        mvx_set_thread_context(context.toOpaque())
        pthread_setspecific(threadExitKey, context.toOpaque())
        return context
    }

    /// Releases a thread's context when the thread exits.
    private static let threadExitKey: pthread_key_t = {
        var key = pthread_key_t()
        let result = pthread_key_create(&key) { raw in
            guard let raw else { return }
            mvx_set_thread_context(nil)
            Unmanaged<ProducerContext>.fromOpaque(raw).release()
        }
        precondition(result == 0, "pthread_key_create failed: \(result)")
        return key
    }()

    /// This thread's lane for `route`, made and registered with the route on
    /// first use.
    @inlinable @inline(__always)
    func lane(for route: AnyEventRoute, capacity: Int) -> Unmanaged<AnyLane> {
        let slot = route.slot
        if slot < tableCount, let lane = table[slot],
            lane._withUnsafeGuaranteedRef({ $0.routeSerial == route.serial })
        {
            return lane
        }
        return makeLane(for: route, capacity: capacity)
    }

    @usableFromInline @inline(never)
    func makeLane(for route: AnyEventRoute, capacity: Int) -> Unmanaged<AnyLane> {
        let slot = route.slot
        if slot >= tableCount {
            let newCount = max(slot + 1, tableCount * 2)
            let newTable = UnsafeMutablePointer<Unmanaged<AnyLane>?>.allocate(capacity: newCount)
            newTable.moveInitialize(from: table, count: tableCount)
            (newTable + tableCount).initialize(repeating: nil, count: newCount - tableCount)
            table.deallocate()
            table = newTable
            tableCount = newCount
        }
        if let stale = table[slot] {
            // The slot belonged to a route that is gone.
            stale._withUnsafeGuaranteedRef { $0.producerExited.store(true, ordering: .releasing) }
            stale.release()
        }
        let lane = route.makeLane(capacity: capacity)
        route.lanes.withLock { $0.append(lane) }
        let reference = Unmanaged.passRetained(lane)
        table[slot] = reference
        return reference
    }
}
