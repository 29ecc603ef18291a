// Timing helpers: the measure-record-rethrow shape of every timed operation,
// written once. The clock is a parameter so that tests get exact durations
// (any `Clock` whose durations are `Duration`; `ContinuousClock` by default).

extension MetricsRecorder {
    /// Runs `body` and records the `Event` of its outcome and duration: the
    /// event type's ``TimedMetricEvent/success`` when it returns, the outcome
    /// ``TimedMetricEvent/outcome(of:)`` gives for the error when it throws
    /// (and the error is rethrown unchanged).
    ///
    /// ```swift
    /// let document = try metrics.time(DocumentLoadAttempt.self) { try storage.load(name) }
    /// ```
    @discardableResult
    public func time<Event: TimedMetricEvent, Result, Failure: Error>(
        _ eventType: Event.Type,
        clock: some Clock<Duration> = ContinuousClock(),
        _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try time(
            success: Event.success, failure: { Event.outcome(of: $0) }, clock: clock,
            event: { Event(outcome: $0, duration: $1) }, body)
    }

    /// Runs `body` and records the event `event` makes of its outcome
    /// (`success` when it returns, `failure(error)` when it throws) and
    /// duration; an error is rethrown unchanged.
    ///
    /// For events with more payload than ``TimedMetricEvent`` holds:
    ///
    /// ```swift
    /// let written = try metrics.time(
    ///     success: DocumentSaveOutcome.success, failure: { _ in .failure },
    ///     event: { DocumentSaveAttempt(outcome: $0, contentSize: ByteCount(content.count), duration: $1) }
    /// ) {
    ///     try storage.write(content, to: name)
    /// }
    /// ```
    @discardableResult
    public func time<Outcome: MetricCase, Event: MetricEvent, Result, Failure: Error>(
        success: Outcome,
        failure: (Failure) -> Outcome,
        clock: some Clock<Duration> = ContinuousClock(),
        event: (Outcome, Duration) -> Event,
        _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let start = clock.now
        let result: Result
        do {
            result = try body()
        } catch {
            record(event(failure(error), start.duration(to: clock.now)))
            throw error
        }
        record(event(success, start.duration(to: clock.now)))
        return result
    }

    /// Runs the asynchronous `body` and records the `Event` of its outcome
    /// and duration, as the synchronous form does; an error is rethrown
    /// unchanged. Cancellation is an error like any other: the event type
    /// decides its outcome.
    ///
    /// ```swift
    /// let document = try await metrics.time(DocumentLoadAttempt.self) { try await storage.fetch(name) }
    /// ```
    @discardableResult
    public func time<Event: TimedMetricEvent, Result, Failure: Error>(
        _ eventType: Event.Type,
        clock: some Clock<Duration> = ContinuousClock(),
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        try await time(
            success: Event.success, failure: { Event.outcome(of: $0) }, clock: clock,
            event: { Event(outcome: $0, duration: $1) }, isolation: isolation, body)
    }

    /// Runs the asynchronous `body` and records the event `event` makes of its
    /// outcome and duration, as the synchronous form does; an error is
    /// rethrown unchanged.
    @discardableResult
    public func time<Outcome: MetricCase, Event: MetricEvent, Result, Failure: Error>(
        success: Outcome,
        failure: (Failure) -> Outcome,
        clock: some Clock<Duration> = ContinuousClock(),
        event: (Outcome, Duration) -> Event,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        let start = clock.now
        let result: Result
        do {
            result = try await body()
        } catch {
            record(event(failure(error), start.duration(to: clock.now)))
            throw error
        }
        record(event(success, start.duration(to: clock.now)))
        return result
    }
}
