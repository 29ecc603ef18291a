/// A metric whose state is one building block that events of one type update:
/// the one-line metric.
///
/// The ready-made metrics are this type with a building block of their own
/// (``SumMetric`` is `EventMetric<Event, Sum<Value>>`, and so on). For any
/// other update, give the building block and what an event does to it:
///
/// ```swift
/// try recorder.register(
///     EventMetric(
///         "document_storage.save.success_bytes", of: DocumentSaveAttempt.self,
///         aggregate: Sum<ByteCount>(dimension: "total")
///     ) { sum, event in
///         event.outcome == .success ? sum.add(event.contentSize) : .unchanged
///     }
/// )
/// ```
///
/// For a metric of several building blocks or event types, declare a type of
/// your own that conforms to ``Metric``.
public struct EventMetric<Event: MetricEvent, Aggregate: MetricAggregate>: Metric {
    public let name: String
    public let help: String?
    @usableFromInline var storage: Aggregate
    /// Applies a batch of events; made in `init`, where the types are
    /// concrete, so the loop is specialized even for a metric registered as
    /// `any Metric`.
    @usableFromInline let applyBatch: MetricRoutes<Self>.BatchHandler<Event>
    /// Applies one event; what ``split(by:label:)`` wraps in each part.
    @usableFromInline let applyEvent: @Sendable (inout Aggregate, Event) -> MetricUpdate

    /// Creates a metric named `name` whose state is `aggregate`, which
    /// `update` changes for each `Event`.
    ///
    /// `update` returns what it did, as the building blocks' methods do:
    /// ``MetricUpdate/unchanged`` for an event that does not apply.
    @inlinable
    public init(
        _ name: String,
        help: String? = nil,
        of eventType: Event.Type = Event.self,
        aggregate: Aggregate,
        update: @escaping @Sendable (inout Aggregate, Event) -> MetricUpdate
    ) {
        self.init(name, help: help, storage: aggregate, update: update, where: nil)
    }

    /// The ready-made metrics' initializer. `update` applies one event;
    /// `applyBatch`, when given, is the same update written as a loop over a
    /// batch, so the building block's method is inlined in it. With
    /// `isIncluded`, both become `update` behind the filter.
    @inlinable
    init(
        _ name: String, help: String?, storage: Aggregate,
        update: @escaping @Sendable (inout Aggregate, Event) -> MetricUpdate,
        where isIncluded: (@Sendable (Event) -> Bool)?,
        applyBatch: MetricRoutes<Self>.BatchHandler<Event>? = nil
    ) {
        self.name = name
        self.help = help
        self.storage = storage
        let applied: @Sendable (inout Aggregate, Event) -> MetricUpdate
        if let isIncluded {
            applied = { aggregate, event in isIncluded(event) ? update(&aggregate, event) : .unchanged }
        } else {
            applied = update
        }
        self.applyEvent = applied
        // A filtered metric's batch is the filtered update in a loop.
        self.applyBatch = (isIncluded == nil ? applyBatch : nil) ?? Self.batch(applied)
    }

    /// `update` applied to each event of a batch.
    @inlinable
    static func batch(
        _ update: @escaping @Sendable (inout Aggregate, Event) -> MetricUpdate
    ) -> MetricRoutes<Self>.BatchHandler<Event> {
        { metric, events, updates, _ in
            for index in events.indices { updates[index] = update(&metric.storage, events[index]) }
        }
    }

    /// The same metric with its state split by a case taken from each event:
    /// one labelled copy of the building block per case, all present from the
    /// start (see ``CaseSplit``). Splits chain, one label each.
    ///
    /// ```swift
    /// try recorder.register(
    ///     DistributionMetric(
    ///         "document_storage.save.duration", of: DocumentSaveAttempt.self,
    ///         buckets: .durations, value: \.duration
    ///     ).split(by: \.outcome, label: "outcome"))
    /// // distribution{outcome="success"}, distribution{outcome="failure"}, …
    /// ```
    ///
    /// An event for which `value` returns `nil` does not apply.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` if the building
    ///   block already uses `label`.
    @inlinable
    public func split<Case: MetricCase>(
        by value: @escaping @Sendable (Event) -> Case?, label: String
    ) throws(MetricsError) -> EventMetric<Event, CaseSplit<Case, Aggregate>> {
        let update = applyEvent
        return EventMetric<Event, CaseSplit<Case, Aggregate>>(
            name, help: help, aggregate: try CaseSplit(label: label, part: storage)
        ) { split, event in
            guard let found = value(event) else { return .unchanged }
            return split.update(found) { update(&$0, event) }
        }
    }

    /// The same metric with its state split by a free-form value taken from
    /// each event, keeping at most `cap` values (see ``LabelSplit``).
    ///
    /// ```swift
    /// try recorder.register(
    ///     SumMetric("uploads.bytes", of: Upload.self, value: \.size)
    ///         .split(by: \.contentType, label: "content_type", cap: 20))
    /// // total{content_type="application/pdf"}, …, total{content_type="_overflow"}
    /// ```
    ///
    /// An event for which `value` returns `nil` does not apply.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` for an invalid
    ///   cap, or if the building block already uses `label`.
    @inlinable
    public func split(
        by value: @escaping @Sendable (Event) -> String?, label: String, cap: Int = 100
    ) throws(MetricsError) -> EventMetric<Event, LabelSplit<Aggregate>> {
        let update = applyEvent
        return EventMetric<Event, LabelSplit<Aggregate>>(
            name, help: help, aggregate: try LabelSplit(label: label, cap: cap, part: storage)
        ) { split, event in
            guard let found = value(event) else { return .unchanged }
            return split.update(found) { update(&$0, event) }
        }
    }

    /// The building block's state.
    public var aggregate: Aggregate { storage }

    @inlinable
    public func routes(_ routes: inout MetricRoutes<Self>) {
        routes.on(Event.self, batch: applyBatch)
    }

    public func snapshot() -> MetricSnapshot {
        MetricSnapshot(name: name, help: help, dimensions: storage.dimensions)
    }
}
