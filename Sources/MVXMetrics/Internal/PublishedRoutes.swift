import MVXMetricsLocking
import Synchronization

/// The routing table as producers see it: an immutable snapshot, replaced
/// whole when a metric adds an event type, read without a lock or a reference
/// count.
@usableFromInline
final class PublishedRoutes: @unchecked Sendable {
    // @unchecked: the pointer is atomic and points to immutable snapshots that
    // `published` keeps alive for the object's lifetime.
    @usableFromInline let current = Atomic<UnsafeRawPointer?>(nil)
    /// Every snapshot ever published, kept alive so a producer that loaded an
    /// older pointer can still read it; one per new event type, so few.
    private let published = LockedValue<[RouteSnapshot]>([])

    init() {}

    /// Publishes the routes of `table`.
    func publish(_ table: RouteTable) {
        let snapshot = RouteSnapshot(table.routes)
        published.withLock { $0.append(snapshot) }
        current.store(UnsafeRawPointer(Unmanaged.passUnretained(snapshot).toOpaque()), ordering: .releasing)
    }

    /// The route for the event type with identifier `key`, or `nil`.
    @inlinable @inline(__always)
    func lookup(_ key: ObjectIdentifier) -> Unmanaged<AnyEventRoute>? {
        guard let raw = current.load(ordering: .acquiring) else { return nil }
        return Unmanaged<RouteSnapshot>.fromOpaque(raw)._withUnsafeGuaranteedRef { $0.lookup(key) }
    }
}

/// An immutable copy of the routes, laid out for a linear scan.
@usableFromInline
final class RouteSnapshot: @unchecked Sendable {
    // @unchecked: immutable after init.
    private let routes: [AnyEventRoute]
    @usableFromInline let keys: UnsafeMutableBufferPointer<ObjectIdentifier>
    @usableFromInline let references: UnsafeMutableBufferPointer<Unmanaged<AnyEventRoute>>

    init(_ routes: [AnyEventRoute]) {
        self.routes = routes
        keys = .allocate(capacity: routes.count)
        references = .allocate(capacity: routes.count)
        for (index, route) in routes.enumerated() {
            keys.initializeElement(at: index, to: route.eventTypeID)
            references.initializeElement(at: index, to: .passUnretained(route))
        }
    }

    deinit {
        keys.deallocate()
        references.deallocate()
    }

    @inlinable @inline(__always)
    func lookup(_ key: ObjectIdentifier) -> Unmanaged<AnyEventRoute>? {
        for index in keys.indices where keys[index] == key { return references[index] }
        return nil
    }
}
