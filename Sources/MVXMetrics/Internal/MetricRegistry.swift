#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The metrics of one recorder, their routing table and the recorder's statistics.
///
/// Not thread-safe: a recorder confines it to one writer at a time (the inline
/// recorder's lock, or the queued recorder's processing thread under its lock).
final class MetricRegistry {
    let entityID: String
    private(set) var boxes: [any AnyMetricBox] = []
    private var indexByName: [String: Int] = [:]
    /// Indices into `boxes`, sorted by metric name, for snapshots.
    private var sortedIndices: [Int] = []
    private(set) var table = RouteTable()
    /// Which Swift type claimed each event type string.
    private var eventTypeOwners: [String: ObjectIdentifier] = [:]
    /// Event types that were recorded while no metric accepted them.
    private var unrouted: [ObjectIdentifier: String] = [:]
    var statistics = RecorderStatistics()
    let diagnostics: Diagnostics

    init(entityID: String, diagnostics: Diagnostics = Diagnostics(logger: nil, mode: .silent)) {
        self.entityID = entityID
        self.diagnostics = diagnostics
    }

    /// The name of the metric at `index`.
    func metricName(at index: Int) -> String { boxes[index].name }

    // MARK: Registration

    func register<M: Metric>(_ metric: M) throws(MetricsError) {
        let name = metric.name
        try MetricNaming.validateMetricName(name)
        guard indexByName[name] == nil else {
            throw MetricsError(
                .duplicateMetricName,
                "recorder \(MetricNaming.quoted(entityID)) already has a metric named \(MetricNaming.quoted(name)); metric names must be unique within a recorder"
            )
        }
        var routes = MetricRoutes<M>()
        metric.routes(&routes)
        guard !routes.bindings.isEmpty else {
            throw MetricsError(
                .metricAcceptsNoEvents,
                "metric \(MetricNaming.quoted(name)) declares no event type in routes(_:), so it could never change; call routes.on(SomeEvent.self) { … }"
            )
        }
        var claimed = eventTypeOwners
        for binding in routes.bindings {
            try MetricNaming.validateEventType(binding.eventType)
            if let owner = claimed[binding.eventType], owner != binding.eventTypeID {
                throw MetricsError(
                    .conflictingEventType,
                    "metric \(MetricNaming.quoted(name)) accepts a type whose event type \(MetricNaming.quoted(binding.eventType)) is already declared by another Swift type; give each event type its own string"
                )
            }
            claimed[binding.eventType] = binding.eventTypeID
        }
        try Self.validate(metric.snapshot(), of: name)

        let box = MetricBox(metric)
        let index = boxes.count
        boxes.append(box)
        indexByName[name] = index
        let position = sortedIndices.firstIndex { boxes[$0].name > name } ?? sortedIndices.count
        sortedIndices.insert(index, at: position)
        eventTypeOwners = claimed
        for binding in routes.bindings {
            binding.install(in: &table, box: box, metricIndex: index)
            unrouted[binding.eventTypeID] = nil
        }
        diagnostics.log(.debug, "registered metric", ["metric": "\(name)", "event_types": "\(routes.eventTypes)"])
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
            if let existing = families[dimension.name], existing.type != family.type || existing.unit != family.unit {
                throw MetricsError(
                    .invalidConfiguration,
                    "metric \(MetricNaming.quoted(name)) has dimensions named \(MetricNaming.quoted(dimension.name)) of different types or units; series of one name must share them"
                )
            }
            families[dimension.name] = family
        }
    }

    // MARK: Processing

    /// Delivers `event` to every metric that accepts its type, counting it as
    /// processed, and calls `changed` with the index of every metric it changed.
    @inline(__always)
    func process<Event: MetricEvent>(_ event: Event, changed: (Int) -> Void) {
        statistics.processed &+= 1
        guard let route = table.lookup(Event.self) else {
            noteUnrouted(Event.self)
            statistics.ignored &+= 1
            return
        }
        process(event, route: route, changed: changed)
    }

    /// Delivers `event` to the metrics on `route`. Counts ignored events,
    /// rejected values and handler failures; the caller counts processed events.
    @inline(__always)
    func process<Event: MetricEvent>(_ event: Event, route: EventRoute<Event>, changed: (Int) -> Void) {
        var anyChanged = false
        for handler in route.handlers {
            do {
                let update = try handler.apply(event)
                if update.contains(.rejected) { statistics.rejectedValues &+= 1 }
                if update.contains(.changed) {
                    anyChanged = true
                    changed(handler.metricIndex)
                }
            } catch {
                statistics.handlerFailures &+= 1
                diagnostics.log(
                    .error, "metric handler failed",
                    ["metric": "\(boxes[handler.metricIndex].name)", "event_type": "\(Event.eventType)", "error": "\(error)"])
            }
        }
        if !anyChanged { statistics.ignored &+= 1 }
    }

    /// Records that `Event` was recorded while no metric accepted it.
    func noteUnrouted<Event: MetricEvent>(_ type: Event.Type) {
        let key = ObjectIdentifier(type)
        if unrouted[key] == nil { unrouted[key] = Event.eventType }
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
    func consumers<Event: MetricEvent>(of type: Event.Type) -> [String] {
        table.lookup(type)?.handlers.map { boxes[$0.metricIndex].name } ?? []
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
