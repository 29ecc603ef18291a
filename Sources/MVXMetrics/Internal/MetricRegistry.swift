#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The metrics of one recorder, their routing table and the recorder's statistics.
///
/// Not thread-safe: a recorder confines it to one writer at a time (the inline
/// recorder's lock, or the queued recorder's processing thread under its lock).
final class MetricRegistry: @unchecked Sendable {
    // @unchecked: a recorder reaches it only inside its `LockedValue`, so one
    // thread at a time; its boxes hold raw pointers to the metrics' storage.
    let entityID: String
    @exclusivity(unchecked) private(set) var boxes: [any AnyMetricBox] = []
    @exclusivity(unchecked) private var indexByName: [String: Int] = [:]
    /// Indices into `boxes`, sorted by metric name, for snapshots.
    @exclusivity(unchecked) private var sortedIndices: [Int] = []
    // The registry has one writer at a time by construction (see above), so
    // the fields the processing path touches skip Swift's dynamic
    // exclusivity checks.
    @exclusivity(unchecked) private(set) var table = RouteTable()
    /// Which Swift type claimed each event type string.
    @exclusivity(unchecked) private var eventTypeOwners: [String: ObjectIdentifier] = [:]
    /// Event types that were recorded while no metric accepted them.
    @exclusivity(unchecked) private var unrouted: [ObjectIdentifier: String] = [:]
    @exclusivity(unchecked) var statistics = RecorderStatistics()
    let diagnostics: Diagnostics

    init(entityID: String, diagnostics: Diagnostics = Diagnostics(logger: nil, mode: .silent)) {
        self.entityID = entityID
        self.diagnostics = diagnostics
    }

    /// The name of the metric at `index`.
    func metricName(at index: Int) -> String { boxes[index].name }

    // MARK: Registration

    /// Registers the metric in `box`, with the routes it declared.
    func register(_ box: any AnyMetricBox, bindings: [RouteBinding]) throws(MetricsError) {
        let name = box.name
        try MetricNaming.validateMetricName(name)
        guard indexByName[name] == nil else {
            throw MetricsError(
                .duplicateMetricName,
                "recorder \(MetricNaming.quoted(entityID)) already has a metric named \(MetricNaming.quoted(name)); metric names must be unique within a recorder"
            )
        }
        guard !bindings.isEmpty else {
            throw MetricsError(
                .metricAcceptsNoEvents,
                "metric \(MetricNaming.quoted(name)) declares no event type in routes(_:), so it could never change; call routes.on(SomeEvent.self) { … }"
            )
        }
        var claimed = eventTypeOwners
        for binding in bindings {
            try MetricNaming.validateEventType(binding.eventType)
            if let owner = claimed[binding.eventType], owner != binding.eventTypeID {
                throw MetricsError(
                    .conflictingEventType,
                    "metric \(MetricNaming.quoted(name)) accepts a type whose event type \(MetricNaming.quoted(binding.eventType)) is already declared by another Swift type; give each event type its own string"
                )
            }
            claimed[binding.eventType] = binding.eventTypeID
        }
        try Self.validate(box.snapshot(), of: name)

        let index = boxes.count
        boxes.append(box)
        indexByName[name] = index
        let position = sortedIndices.firstIndex { boxes[$0].name > name } ?? sortedIndices.count
        sortedIndices.insert(index, at: position)
        eventTypeOwners = claimed
        for binding in bindings {
            table.route(for: binding).add(RawHandler(metricIndex: index, binding: binding))
            unrouted[binding.eventTypeID] = nil
        }
        diagnostics.log(
            .debug, "registered metric",
            ["metric": "\(name)", "event_types": "\(bindings.map(\.eventType))"])
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
        for dimension in snapshot.dimensions {
            try MetricNaming.validateDimensionName(dimension.name, metric: name)
            for label in dimension.labels.keys {
                try MetricNaming.validateLabelName(label, metric: name)
            }
            if let unit = dimension.unit {
                try MetricNaming.validateUnit(unit, metric: name)
            }
            guard series.insert(Series(name: dimension.name, labels: dimension.labels)).inserted else {
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
                guard series.insert(Series(name: part.whole, labels: labels)).inserted else {
                    throw MetricsError(
                        .invalidConfiguration,
                        "metric \(MetricNaming.quoted(name)) has two series \(Dimension(part.whole, labels: labels, value: dimension.value).key): dimension \(dimension.key) is marked as that part of \(MetricNaming.quoted(part.whole)); each name and label set must be unique"
                    )
                }
                familyNames.append(part.whole)
            }
            for familyName in familyNames {
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
        statistics.processed &+= 1
        guard let route = table.lookup(ObjectIdentifier(type)) else {
            noteUnrouted(type)
            statistics.ignored &+= 1
            return
        }
        process(event, route: route, changed: changed)
    }

    /// Delivers the event at `event` to the metrics on `route`. Counts ignored
    /// events, rejected values and handler failures; the caller counts
    /// processed events.
    @inline(__always)
    func process(_ event: UnsafeRawPointer, route: AnyEventRoute, changed: (Int) -> Void) {
        var anyChanged = false
        for reference in route.handlerReferences {
            let update: MetricUpdate
            do {
                update = try reference._withUnsafeGuaranteedRef { try $0(event) }
            } catch {
                handlerFailed(reference, route: route, error: error)
                continue
            }
            if update.contains(.rejected) { statistics.rejectedValues &+= 1 }
            if update.contains(.changed) {
                anyChanged = true
                changed(reference._withUnsafeGuaranteedRef { $0.metricIndex })
            }
        }
        if !anyChanged { statistics.ignored &+= 1 }
    }

    /// Delivers the events of `batch` to the metrics on `route`, when nobody
    /// needs to hear which metric changed: the processing thread's batch when
    /// there are no hooks. Counts what ``process(_:route:changed:)`` counts.
    ///
    /// If every handler on the route applies whole batches (the ready-made
    /// metrics do), each metric is called once for the batch; otherwise each
    /// event goes to every handler in turn. Either way the route's handlers
    /// are read once and the statistics updated once per batch.
    func processQuietly(_ batch: EventBatch, route: AnyEventRoute) {
        let handlers = route.handlerReferences
        var rejected: UInt64 = 0
        var ignored: UInt64 = 0
        if route.appliesBatches {
            let count = batch.positions.count
            batch.updates.initialize(repeating: 0, count: count)
            for reference in handlers {
                rejected &+= reference._withUnsafeGuaranteedRef { handler in
                    UInt64(handler.applyBatch(handler.metric, batch))
                }
            }
            for index in 0..<count where batch.updates[index] & MetricUpdate.changed.rawValue == 0 {
                ignored &+= 1
            }
        } else {
            for position in batch.positions {
                let event = UnsafeRawPointer(batch.slots + (position & batch.mask) &* batch.stride)
                var anyChanged = false
                for reference in handlers {
                    let update: MetricUpdate
                    do {
                        update = try reference._withUnsafeGuaranteedRef { try $0(event) }
                    } catch {
                        handlerFailed(reference, route: route, error: error)
                        continue
                    }
                    if update.contains(.rejected) { rejected &+= 1 }
                    if update.contains(.changed) { anyChanged = true }
                }
                if !anyChanged { ignored &+= 1 }
            }
        }
        statistics.rejectedValues &+= rejected
        statistics.ignored &+= ignored
    }

    /// Counts and logs a handler that threw.
    @inline(never)
    func handlerFailed(_ reference: Unmanaged<RawHandler>, route: AnyEventRoute, error: any Error) {
        statistics.handlerFailures &+= 1
        let metric = boxes[reference._withUnsafeGuaranteedRef { $0.metricIndex }].name
        diagnostics.log(
            .error, "metric handler failed",
            ["metric": "\(metric)", "event_type": "\(route.eventType)", "error": "\(error)"])
    }

    /// Records that events of `type` were recorded while no metric accepted them.
    func noteUnrouted(_ type: any MetricEvent.Type) {
        let key = ObjectIdentifier(type)
        if unrouted[key] == nil { unrouted[key] = type.eventType }
    }

    // MARK: Inspection

    func metricSnapshots() -> [MetricSnapshot] {
        sortedIndices.map { boxes[$0].snapshot() }
    }

    func snapshot(metric name: String) -> MetricSnapshot? {
        indexByName[name].map { boxes[$0].snapshot() }
    }

    var metricNames: [String] { sortedIndices.map { boxes[$0].name } }

    /// The names of the metrics that accept `Event`, in registration order.
    func consumers(of type: any MetricEvent.Type) -> [String] {
        table.lookup(ObjectIdentifier(type))?.handlers.map { boxes[$0.metricIndex].name } ?? []
    }

    /// Every routed event type with the names of the metrics that accept it.
    var routing: [String: [String]] {
        var result: [String: [String]] = [:]
        for route in table.routes {
            result[route.eventType] = route.metricIndices.map { boxes[$0].name }
        }
        return result
    }

    /// Event types recorded while no metric accepted them, sorted.
    var unroutedEventTypes: [String] { unrouted.values.sorted() }
}
