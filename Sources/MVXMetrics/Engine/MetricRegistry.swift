#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The metrics of one recorder, their routing table and the recorder's statistics.
///
/// Not thread-safe: a recorder confines it to one writer at a time (the inline
/// recorder's lock, or the queued recorder's processing thread under its lock).
// @safe: it owns its batch scratch, which only the thread holding the registry touches.
@safe
final class MetricRegistry: @unchecked Sendable {
    // @unchecked: a recorder reaches it only inside its `LockedValue`, so one
    // thread at a time; its boxes hold raw pointers to the metrics' storage.
    let entityID: String
    @exclusivity(unchecked) private(set) var boxes: [any AnyMetricBox] = []
    @exclusivity(unchecked) private var indexByName: [String: Int] = [:]
    /// Indices into `boxes`, sorted by metric name, for snapshots; sorted
    /// again when read after a registration out of name order, so
    /// registering costs the same in any order.
    @exclusivity(unchecked) private var sortedIndices: [Int] = []
    @exclusivity(unchecked) private var needsSorting = false
    // The registry has one writer at a time by construction (see above), so
    // the fields the processing path touches skip Swift's dynamic
    // exclusivity checks.
    @exclusivity(unchecked) private(set) var table = RouteTable()
    /// Which Swift type claimed each event type string.
    @exclusivity(unchecked) private var eventTypeOwners: [String: ObjectIdentifier] = [:]
    /// Event types that were recorded while no metric accepted them.
    @exclusivity(unchecked) private var unrouted: [ObjectIdentifier: String] = [:]
    @exclusivity(unchecked) var statistics = RecorderStatistics()
    /// The lanes a processing pass visits: those scheduled and taken from
    /// the recorder's ``ReadyLanes`` (see there). Queued recorders only.
    @exclusivity(unchecked) var activeLanes: [AnyLane] = []
    /// Scratch for a lane's batch (see ``EventBatch``): two bytes per event
    /// of a chunk, shared by the recorder's lanes, which drain one at a time
    /// under the registry's lock.
    let batchUpdates: UnsafeMutablePointer<MetricUpdate>
    let batchCombined: UnsafeMutablePointer<MetricUpdate>
    let diagnostics: Diagnostics

    init(entityID: String, diagnostics: Diagnostics = Diagnostics(logger: nil, mode: .silent)) {
        self.entityID = entityID
        self.diagnostics = diagnostics
        unsafe batchUpdates = Self.allocateScratch()
        unsafe batchCombined = Self.allocateScratch()
    }

    /// A chunk's scratch, aligned for `EventBatch` to read it a word at a time.
    private static func allocateScratch() -> UnsafeMutablePointer<MetricUpdate> {
        unsafe UnsafeMutableRawPointer.allocate(byteCount: AnyLane.chunk, alignment: 8)
            .bindMemory(to: MetricUpdate.self, capacity: AnyLane.chunk)
    }

    deinit {
        unsafe UnsafeMutableRawPointer(batchUpdates).deallocate()
        unsafe UnsafeMutableRawPointer(batchCombined).deallocate()
    }

    /// The name of the metric at `index`.
    func metricName(at index: Int) -> String { unsafe boxes[index].name }

    // MARK: Registration

    /// Registers the metric in `box`, with the routes it declared; a metric
    /// that reads observed state at snapshot time may declare none.
    func register(_ box: any AnyMetricBox, bindings: [RouteBinding], readsAtSnapshot: Bool) throws(MetricsError) {
        let name = box.name
        try MetricNaming.validateMetricName(name)
        guard unsafe indexByName[name] == nil else {
            throw MetricsError(
                .duplicateMetricName,
                "recorder \(MetricNaming.quoted(entityID)) already has a metric named \(MetricNaming.quoted(name)); metric names must be unique within a recorder"
            )
        }
        guard unsafe !bindings.isEmpty || readsAtSnapshot else {
            throw MetricsError(
                .metricAcceptsNoEvents,
                "metric \(MetricNaming.quoted(name)) declares no event type in routes(_:), so it could never change; call routes.on(SomeEvent.self) { … }, or routes.observesAtSnapshot() if its snapshot reads observed state"
            )
        }
        // Checked before anything changes: a metric whose routes conflict
        // (with each other or with earlier metrics) leaves the registry as it was.
        var newOwners: [String: ObjectIdentifier] = [:]
        for bindingIndex in unsafe bindings.indices {
            let binding = unsafe bindings[bindingIndex]
            unsafe try MetricNaming.validateEventType(binding.eventType)
            let owner = unsafe eventTypeOwners[binding.eventType] ?? newOwners[binding.eventType]
            if let owner, unsafe owner != binding.eventTypeID {
                throw MetricsError(
                    .conflictingEventType,
                    unsafe "metric \(MetricNaming.quoted(name)) accepts a type whose event type \(MetricNaming.quoted(binding.eventType)) is already declared by another Swift type; give each event type its own string"
                )
            }
            if owner == nil { unsafe newOwners[binding.eventType] = unsafe binding.eventTypeID }
        }
        try Self.validate(box.snapshot(), of: name)

        let index = unsafe boxes.count
        unsafe boxes.append(box)
        unsafe indexByName[name] = index
        if let last = unsafe sortedIndices.last, unsafe boxes[last].name > name { unsafe needsSorting = true }
        unsafe sortedIndices.append(index)
        for (eventType, owner) in newOwners { unsafe eventTypeOwners[eventType] = owner }
        for bindingIndex in unsafe bindings.indices {
            let binding = unsafe bindings[bindingIndex]
            unsafe table.route(for: binding).add(RawHandler(metricIndex: index, binding: binding))
            unsafe unrouted[binding.eventTypeID] = nil
        }
        diagnostics.log(
            .debug, "registered metric",
            ["metric": "\(name)", "event_types": unsafe "\(bindings.map(unsafe \.eventType))"])
    }

    /// Checks the names in a metric's first snapshot, and that no two of its
    /// dimensions collide.
    static func validate(_ snapshot: MetricSnapshot, of name: String) throws(MetricsError) {
        guard snapshot.name == name else {
            throw MetricsError(
                .invalidConfiguration,
                "metric \(MetricNaming.quoted(name)) returns a snapshot named \(MetricNaming.quoted(snapshot.name)); snapshot() must use the metric's name"
            )
        }
        struct Series: Hashable {
            let name: String
            let labels: [String: String]
        }
        var series = Set<Series>()
        var families: [String: (type: String, unit: MetricUnit?)] = [:]
        // One dimension cannot collide with itself, nor its part with its
        // whole (the whole has one label more): the common case skips the sets.
        let mayCollide = snapshot.dimensions.count > 1
        for dimension in snapshot.dimensions {
            try MetricNaming.validateDimensionName(dimension.name, metric: name)
            for label in dimension.labels.keys {
                try MetricNaming.validateLabelName(label, metric: name)
            }
            if let unit = dimension.unit {
                try MetricNaming.validateUnit(unit, metric: name)
            }
            guard !mayCollide || series.insert(Series(name: dimension.name, labels: dimension.labels)).inserted else {
                throw MetricsError(
                    .invalidConfiguration,
                    "metric \(MetricNaming.quoted(name)) has two dimensions \(dimension.key); each name and label set must be unique"
                )
            }
            let family = (type: dimension.value.typeName, unit: dimension.unit)
            // A part is also a series of its whole, as exporters with labels write it.
            var familyNames = [dimension.name]
            if let part = dimension.partOf {
                try MetricNaming.validateDimensionName(part.whole, metric: name)
                try MetricNaming.validateLabelName(part.label, metric: name)
                guard dimension.labels[part.label] == nil else {
                    throw MetricsError(
                        .invalidConfiguration,
                        "metric \(MetricNaming.quoted(name)) has dimension \(dimension.key) marked as the part \(part.label)=\"\(part.value)\" of \(MetricNaming.quoted(part.whole)), but it has a label \(MetricNaming.quoted(part.label)) already"
                    )
                }
                var labels = dimension.labels
                labels[part.label] = part.value
                guard !mayCollide || series.insert(Series(name: part.whole, labels: labels)).inserted else {
                    throw MetricsError(
                        .invalidConfiguration,
                        "metric \(MetricNaming.quoted(name)) has two series \(MetricDimension(part.whole, labels: labels, value: dimension.value).key): dimension \(dimension.key) is marked as that part of \(MetricNaming.quoted(part.whole)); each name and label set must be unique"
                    )
                }
                familyNames.append(part.whole)
            }
            for familyName in familyNames where mayCollide {
                if let existing = families[familyName], existing.type != family.type || existing.unit != family.unit {
                    throw MetricsError(
                        .invalidConfiguration,
                        "metric \(MetricNaming.quoted(name)) has dimensions named \(MetricNaming.quoted(familyName)) (or parts of it) of different types or units; series of one name must share them"
                    )
                }
                families[familyName] = family
            }
        }
    }

    // MARK: Processing

    /// Delivers the event at `event`, of the type identified by `type`, to
    /// every metric that accepts it, counting it as processed, and calls
    /// `changed` with the index of every metric it changed.
    @inline(__always)
    func process(_ event: UnsafeRawPointer, type: any MetricEvent.Type, changed: (Int) -> Void) {
        unsafe statistics.processed &+= 1
        guard let route = unsafe table.lookup(ObjectIdentifier(type)) else {
            noteUnrouted(type)
            unsafe statistics.ignored &+= 1
            return
        }
        unsafe process(event, route: route, changed: changed)
    }

    /// Delivers the event at `event` to the metrics on `route`. Counts ignored
    /// events (those no metric changed or applied), rejected values and
    /// handler failures; the caller counts processed events.
    @inline(__always)
    func process(_ event: UnsafeRawPointer, route: AnyEventRoute, changed: (Int) -> Void) {
        var anyApplied = false
        // The loop a for-in would be: swift-format 6.3.1 cannot print
        // `for unsafe reference in …`, and indexing costs more per handler.
        var handlers = unsafe route.handlerReferences.makeIterator()
        while let reference = unsafe handlers.next() {
            let update = unsafe reference._withUnsafeGuaranteedRef { handler in
                unsafe handler.apply(event) { unsafe self.handlerFailed(reference, route: route, error: $0) }
            }
            if update.contains(.rejected) { unsafe statistics.rejectedValues &+= 1 }
            if !update.isDisjoint(with: [.changed, .applied]) { anyApplied = true }
            if update.contains(.changed) { unsafe changed(reference._withUnsafeGuaranteedRef { $0.metricIndex }) }
        }
        if !anyApplied { unsafe statistics.ignored &+= 1 }
    }

    /// Delivers the events of `batch` to the metrics on `route`, when nobody
    /// needs to hear which metric changed: the processing thread's batch when
    /// there are no hooks. Counts what ``process(_:route:changed:)`` counts.
    ///
    /// Each metric is called once for the batch, unless one metric has two
    /// handlers on the route: then each event goes to every handler in turn,
    /// so that metric sees its events in order.
    func processQuietly(_ batch: EventBatch, route: AnyEventRoute) {
        guard route.appliesBatches else {
            for position in unsafe batch.positions {
                let event = unsafe UnsafeRawPointer(batch.slots + (position & batch.mask) &* batch.stride)
                unsafe process(event, route: route) { _ in }
            }
            return
        }
        let count = unsafe batch.positions.count
        let padded = unsafe EventBatch.paddedCount(count)
        unsafe batch.updates.initialize(repeating: .unchanged, count: padded)
        unsafe batch.combined.initialize(repeating: .unchanged, count: padded)
        var rejected: UInt64 = 0
        var iterator = unsafe route.handlerReferences.makeIterator()
        while let reference = unsafe iterator.next() {
            unsafe rejected &+= reference._withUnsafeGuaranteedRef { handler in
                unsafe UInt64(batch.apply(handler) { unsafe self.handlerFailed(reference, route: route, error: $0) })
            }
        }
        // Events no metric changed or applied (bit 0 or bit 2 of their union);
        // the padding is zero, so it counts as neither.
        let words = unsafe UnsafeRawPointer(batch.combined)
        var applied = 0
        for byteOffset in stride(from: 0, to: padded, by: 8) {
            let word = unsafe words.load(fromByteOffset: byteOffset, as: UInt64.self)
            applied &+= unsafe EventBatch.countOfLowBits((word | word &>> 2) & EventBatch.lowBits)
        }
        unsafe statistics.rejectedValues &+= rejected
        unsafe statistics.ignored &+= UInt64(count &- applied)
    }

    /// Counts and logs a handler that threw.
    @inline(never)
    func handlerFailed(_ reference: Unmanaged<RawHandler>, route: AnyEventRoute, error: any Error) {
        unsafe statistics.handlerFailures &+= 1
        let metric = unsafe boxes[reference._withUnsafeGuaranteedRef { $0.metricIndex }].name
        diagnostics.log(
            .error, "metric handler failed",
            ["metric": "\(metric)", "event_type": "\(route.eventType)", "error": "\(error)"])
    }

    /// Records that events of `type` were recorded while no metric accepted them.
    func noteUnrouted(_ type: any MetricEvent.Type) {
        let key = ObjectIdentifier(type)
        if unsafe unrouted[key] == nil { unsafe unrouted[key] = type.eventType }
    }

    // MARK: Inspection

    func metricSnapshots() -> [MetricSnapshot] {
        sortIfNeeded().map { unsafe boxes[$0].snapshot() }
    }

    /// `sortedIndices`, sorted.
    private func sortIfNeeded() -> [Int] {
        if unsafe needsSorting {
            unsafe sortedIndices.sort { unsafe boxes[$0].name < boxes[$1].name }
            unsafe needsSorting = false
        }
        return unsafe sortedIndices
    }

    func snapshot(metric name: String) -> MetricSnapshot? {
        unsafe indexByName[name].map { unsafe boxes[$0].snapshot() }
    }

    var metricNames: [String] { sortIfNeeded().map { unsafe boxes[$0].name } }

    /// The names of the metrics that accept `Event`, in registration order.
    func consumers(of type: any MetricEvent.Type) -> [String] {
        unsafe table.lookup(ObjectIdentifier(type))?.handlers.map { unsafe boxes[$0.metricIndex].name } ?? []
    }

    /// Every routed event type with the names of the metrics that accept it.
    var routing: [String: [String]] {
        var result: [String: [String]] = [:]
        for route in unsafe table.routes {
            result[route.eventType] = route.metricIndices.map { unsafe boxes[$0].name }
        }
        return result
    }

    /// Event types recorded while no metric accepted them, sorted.
    var unroutedEventTypes: [String] { unsafe unrouted.values.sorted() }
}
