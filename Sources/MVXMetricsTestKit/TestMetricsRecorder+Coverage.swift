import MVXMetrics

// Coverage expectations: the error counter that never fired before
// production is an outcome no test ever produced, or an event type no metric
// consumes. These check the events this recorder captured.
extension TestMetricsRecorder {
    /// The cases of `Case` that no captured `Event` carried in `field`, in
    /// declaration order.
    public func missingCases<Event: MetricEvent, Case: MetricCase>(of field: KeyPath<Event, Case>) -> [Case] {
        let seen = Set(events(of: Event.self).map { $0[keyPath: field] })
        return Case.allCases.filter { !seen.contains($0) }
    }

    /// The cases of `Case` that no captured `Event` carried in the optional
    /// `field` (a refusal reason, say), in declaration order.
    public func missingCases<Event: MetricEvent, Case: MetricCase>(of field: KeyPath<Event, Case?>) -> [Case] {
        let seen = Set(events(of: Event.self).compactMap { $0[keyPath: field] })
        return Case.allCases.filter { !seen.contains($0) }
    }

    /// Throws a ``MetricExpectationFailure`` naming the cases of `Case` that
    /// no captured `Event` carried in `field`, so a test that drives every
    /// path of a component proves each outcome is emitted somewhere.
    ///
    /// ```swift
    /// try probe.expectEveryCase(of: \DocumentSaveAttempt.outcome)
    /// // expected every case of DocumentSaveOutcome in document_storage.save.attempt's outcome;
    /// // never recorded: failure, too_large (recorded: success)
    /// ```
    public func expectEveryCase<Event: MetricEvent, Case: MetricCase>(
        of field: KeyPath<Event, Case>
    ) throws(MetricExpectationFailure) {
        try expectNoneMissing(missingCases(of: field), of: Case.self, in: Event.self, field: field)
    }

    /// Throws a ``MetricExpectationFailure`` naming the cases of `Case` that
    /// no captured `Event` carried in the optional `field`.
    public func expectEveryCase<Event: MetricEvent, Case: MetricCase>(
        of field: KeyPath<Event, Case?>
    ) throws(MetricExpectationFailure) {
        try expectNoneMissing(missingCases(of: field), of: Case.self, in: Event.self, field: field)
    }

    /// Throws a ``MetricExpectationFailure`` unless a registered metric
    /// accepts `eventType`: an event no metric consumes is measured nowhere.
    public func expectConsumer(of eventType: any MetricEvent.Type) throws(MetricExpectationFailure) {
        guard consumers(of: eventType).isEmpty else { return }
        let names = snapshot().metrics.map(\.name)
        throw MetricExpectationFailure(
            "no registered metric accepts \(eventType.eventType) (\(eventType)); registered: \(names.isEmpty ? "none" : names.joined(separator: ", "))",
            context: nil)
    }

    /// Throws a ``MetricExpectationFailure`` naming the event types that were
    /// recorded while no registered metric accepted them.
    public func expectEveryRecordedEventConsumed() throws(MetricExpectationFailure) {
        let unrouted = unroutedEventTypes
        guard !unrouted.isEmpty else { return }
        throw MetricExpectationFailure(
            "events recorded that no metric accepts: \(unrouted.joined(separator: ", "))", context: nil)
    }

    private func expectNoneMissing<Event: MetricEvent, Case: MetricCase, Field>(
        _ missing: [Case], of type: Case.Type, in eventType: Event.Type, field: KeyPath<Event, Field>
    ) throws(MetricExpectationFailure) {
        guard !missing.isEmpty else { return }
        let recorded = Case.allCases.filter { !missing.contains($0) }
        let name = Self.fieldName(field) ?? "field"
        throw MetricExpectationFailure(
            "expected every case of \(Case.self) in \(Event.eventType)'s \(name); never recorded: \(missing.map(\.metricLabel).joined(separator: ", ")) (recorded: \(recorded.isEmpty ? "none" : recorded.map(\.metricLabel).joined(separator: ", ")))",
            context: nil)
    }

    /// `outcome` for `\DocumentSaveAttempt.outcome`, from the key path's description.
    private static func fieldName<Root, Value>(_ field: KeyPath<Root, Value>) -> String? {
        let description = String(describing: field)
        guard let dot = description.firstIndex(of: ".") else { return nil }
        return String(description[description.index(after: dot)...])
    }
}
