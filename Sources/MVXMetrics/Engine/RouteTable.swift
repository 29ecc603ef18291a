/// Maps event types to their routes, for the registry's single writer.
///
/// A program has few event types, so a linear scan over a contiguous array of
/// type identifiers is faster than hashing.
struct RouteTable {
    private(set) var keys: [ObjectIdentifier] = []
    private(set) var routes: [AnyEventRoute] = []

    /// The route for the event type with identifier `key`, or `nil`.
    @inline(__always)
    func lookup(_ key: ObjectIdentifier) -> AnyEventRoute? {
        unsafe keys.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where unsafe buffer[index] == key { return routes[index] }
            return nil
        }
    }

    /// The route for `binding`'s event type, made if it does not exist yet.
    mutating func route(for binding: RouteBinding) -> AnyEventRoute {
        if let route = unsafe lookup(binding.eventTypeID) { return route }
        let route = unsafe binding.makeRoute()
        unsafe keys.append(binding.eventTypeID)
        routes.append(route)
        return route
    }
}
