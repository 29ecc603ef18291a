/// Maps event types to their routes, for the registry's single writer, and
/// is what ``PublishedRoutes`` copies for producers.
///
/// An open-addressing hash table keyed by the event type's identity, with
/// linear probing and a load of at most one quarter, so a lookup costs the
/// same whatever the number of event types (a linear scan cost 9 instructions
/// per type before it). Each further entry a lookup reads costs about 10
/// instructions; at a load of one half, a type could read three.
@usableFromInline
struct RouteTable {
    /// The routes in the order their event types first appeared.
    private(set) var routes: [AnyEventRoute] = []
    /// The hash table: each entry is an event type's identity as an integer
    /// (0 for an empty entry) and its route's index in `routes`.
    private(set) var keys: [UInt] = [0, 0, 0, 0]
    private(set) var indices: [Int] = [0, 0, 0, 0]
    /// How far `RouteTable.hash` shifts its product: 64 minus log2 of the table's size.
    private(set) var shift = UInt.bitWidth - 2

    /// The route for the event type with identifier `key`, or `nil`.
    @inline(__always)
    func lookup(_ key: ObjectIdentifier) -> AnyEventRoute? {
        let found = unsafe keys.withUnsafeBufferPointer {
            unsafe Self.probe($0, shift: shift, key: UInt(bitPattern: key))
        }
        guard found >= 0 else { return nil }
        return routes[indices[found]]
    }

    /// The route for `binding`'s event type, made if it does not exist yet.
    mutating func route(for binding: RouteBinding) -> AnyEventRoute {
        if let route = unsafe lookup(binding.eventTypeID) { return route }
        let route = unsafe binding.makeRoute()
        routes.append(route)
        if routes.count * 4 > keys.count {
            rebuild(size: keys.count * 2)
        } else {
            insert(UInt(bitPattern: route.eventTypeID), index: routes.count - 1)
        }
        return route
    }

    private mutating func rebuild(size: Int) {
        keys = Array(repeating: 0, count: size)
        indices = Array(repeating: 0, count: size)
        shift = UInt.bitWidth - size.trailingZeroBitCount
        for (index, route) in routes.enumerated() { insert(UInt(bitPattern: route.eventTypeID), index: index) }
    }

    private mutating func insert(_ key: UInt, index: Int) {
        var entry = Self.hash(key, shift: shift)
        while keys[entry] != 0 { entry = (entry &+ 1) & (keys.count &- 1) }
        keys[entry] = key
        indices[entry] = index
    }

    /// The first entry to probe for `key`: Fibonacci hashing, which spreads
    /// the aligned addresses type identities are.
    @inlinable @inline(__always)
    static func hash(_ key: UInt, shift: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> UInt(truncatingIfNeeded: shift))
    }

    /// The entry of `keys` holding `key`, or -1. `keys` is a table of this
    /// type's layout: a power of two in size, at least one entry empty.
    @inlinable @inline(__always)
    static func probe(_ keys: UnsafeBufferPointer<UInt>, shift: Int, key: UInt) -> Int {
        let mask = keys.count &- 1
        var entry = hash(key, shift: shift)
        while true {
            let stored = unsafe keys[entry]
            if stored == key { return entry }
            if stored == 0 { return -1 }
            entry = (entry &+ 1) & mask
        }
    }
}
