/// Maps event types to their routes.
///
/// A program has few event types, so a linear scan over a contiguous array of
/// type identifiers is faster than hashing; the route is then downcast without
/// a dynamic check, which is safe because the key is the type's own identifier.
struct RouteTable {
    private(set) var keys: [ObjectIdentifier] = []
    private(set) var routes: [AnyEventRoute] = []

    /// The route for `Event`, or `nil` if no metric accepts it.
    @inline(__always)
    func lookup<Event: MetricEvent>(_ type: Event.Type) -> EventRoute<Event>? {
        let key = ObjectIdentifier(type)
        return keys.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where buffer[index] == key {
                return unsafeDowncast(routes[index], to: EventRoute<Event>.self)
            }
            return nil
        }
    }

    /// The route for `Event`, made if it does not exist yet.
    mutating func route<Event: MetricEvent>(for type: Event.Type) -> EventRoute<Event> {
        if let route = lookup(type) { return route }
        let route = EventRoute<Event>()
        keys.append(ObjectIdentifier(type))
        routes.append(route)
        return route
    }
}
