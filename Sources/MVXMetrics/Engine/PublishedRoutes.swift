import MVXMetricsLocking
import Synchronization

/// The routing table as producers see it: an immutable snapshot, replaced
/// whole when a metric adds an event type, read without a lock or a reference
/// count.
// @safe: snapshots are swapped atomically and freed only once no reader holds them.
@safe
@usableFromInline
final class PublishedRoutes: @unchecked Sendable {
    // @unchecked: the pointer is atomic and points to immutable snapshots that
    // `published` keeps alive for the object's lifetime.
    @usableFromInline let current = unsafe Atomic<UnsafeRawPointer?>(nil)
    /// Every snapshot ever published, kept alive so a producer that loaded an
    /// older pointer can still read it; one per new event type, so few.
    private let published = LockedValue<[RouteSnapshot]>([])

    init() {}

    /// Publishes the routes of `table`.
    func publish(_ table: RouteTable) {
        let snapshot = RouteSnapshot(table)
        published.withLock { $0.append(snapshot) }
        unsafe current.store(UnsafeRawPointer(Unmanaged.passUnretained(snapshot).toOpaque()), ordering: .releasing)
    }

    /// The route for the event type with identifier `key`, or `nil`.
    @inlinable @inline(__always)
    func lookup(_ key: ObjectIdentifier) -> Unmanaged<AnyEventRoute>? {
        guard let raw = unsafe current.load(ordering: .acquiring) else { return nil }
        return unsafe Unmanaged<RouteSnapshot>.fromOpaque(raw)._withUnsafeGuaranteedRef { unsafe $0.lookup(key) }
    }
}

/// An immutable copy of a ``RouteTable``: the same hash table, with
/// unretained references in place of indices.
// @safe: immutable once published; it owns what its pointers reach.
@safe
@usableFromInline
final class RouteSnapshot: @unchecked Sendable {
    // @unchecked: immutable after init.
    private let routes: [AnyEventRoute]
    @usableFromInline let keys: UnsafeMutableBufferPointer<UInt>
    @usableFromInline let references: UnsafeMutableBufferPointer<Unmanaged<AnyEventRoute>>
    @usableFromInline let shift: Int

    init(_ table: RouteTable) {
        routes = table.routes
        shift = table.shift
        unsafe keys = .allocate(capacity: table.keys.count)
        unsafe references = .allocate(capacity: table.keys.count)
        for entry in table.keys.indices {
            unsafe keys.initializeElement(at: entry, to: table.keys[entry])
            // An empty entry's reference is never read; any route fills it.
            unsafe references.initializeElement(
                at: entry, to: .passUnretained(table.routes[table.keys[entry] == 0 ? 0 : table.indices[entry]]))
        }
    }

    deinit {
        unsafe keys.deallocate()
        unsafe references.deallocate()
    }

    @inlinable @inline(__always)
    func lookup(_ key: ObjectIdentifier) -> Unmanaged<AnyEventRoute>? {
        let entry = unsafe RouteTable.probe(UnsafeBufferPointer(keys), shift: shift, key: UInt(bitPattern: key))
        return entry < 0 ? nil : unsafe references[entry]
    }
}
