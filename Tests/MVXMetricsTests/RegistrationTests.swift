import MVXMetrics
import Testing

@Suite struct RegistrationTests {
    private func registrationError<M: Metric>(
        _ metric: M, in recorder: InlineMetricsRecorder = InlineMetricsRecorder()
    ) -> MetricsError? {
        #expect(throws: MetricsError.self) { try recorder.register(metric) }
    }

    @Test func invalidMetricNameIsATypedError() {
        let error = registrationError(
            OutcomeMetric("Document Storage", of: SaveAttempt.self, outcome: \.outcome))
        #expect(error?.code == .invalidName)
        #expect(error?.message.contains("\"Document Storage\"") == true)
    }

    @Test func theMetricsErrorSnippetSwallowsADuplicateAndRethrowsTheRest() throws {
        let recorder = InlineMetricsRecorder(entityID: "snippet")
        func register(_ attempts: some Metric) throws(MetricsError) {
            do {
                try recorder.register(attempts)
            } catch {
                // `error` is a MetricsError: registration throws only that type.
                guard error.code == .duplicateMetricName else { throw error }
                // the metric is already registered
            }
        }
        let attempts = OutcomeMetric("test_storage.save.attempts", of: SaveAttempt.self, outcome: \.outcome)
        try register(attempts)
        try register(attempts)
        let other = #expect(throws: MetricsError.self) { try register(DeafMetric()) }
        #expect(other?.code == .metricAcceptsNoEvents)
    }

    @Test func duplicateMetricNameIsATypedErrorAndKeepsTheFirst() throws {
        let recorder = InlineMetricsRecorder(entityID: "storage")
        try recorder.register(saveAttempts())
        let error = registrationError(
            EventCountMetric("test_storage.save.attempts", of: SaveAttempt.self), in: recorder)
        #expect(error?.code == .duplicateMetricName)
        #expect(error?.message.contains("\"storage\"") == true)
        recorder.record(SaveAttempt(outcome: .success))
        #expect(recorder.snapshot()["test_storage.save.attempts"]?.count("success_total") == 1)
        #expect(recorder.metricNames == ["test_storage.save.attempts"])
    }

    @Test func invalidEventTypeIsATypedError() {
        let error = registrationError(EventCountMetric("test_storage.bad", of: BadlyNamedEvent.self))
        #expect(error?.code == .invalidName)
        #expect(error?.message.contains("event type") == true)
    }

    @Test func twoSwiftTypesClaimingOneEventTypeIsATypedError() throws {
        let recorder = InlineMetricsRecorder()
        try recorder.register(saveAttempts())
        let error = registrationError(
            EventCountMetric("test_storage.impostor", of: ImpostorSaveAttempt.self), in: recorder)
        #expect(error?.code == .conflictingEventType)
        #expect(recorder.metricNames == ["test_storage.save.attempts"])
    }

    @Test func metricWithoutRoutesIsATypedError() {
        let error = registrationError(DeafMetric())
        #expect(error?.code == .metricAcceptsNoEvents)
    }

    @Test func snapshotNameMustMatch() {
        let error = registrationError(ConfigurableMetric(snapshotName: "test_storage.other"))
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func invalidDimensionLabelAndUnitNamesAreTypedErrors() {
        let cases: [[MetricDimension]] = [
            [MetricDimension("Total", value: .counter(0))],
            [MetricDimension("total", labels: ["__name__": "x"], value: .counter(0))],
            [MetricDimension("total", labels: ["bad-label": "x"], value: .counter(0))],
            [MetricDimension("total", unit: "Seconds", value: .sum(0))],
        ]
        for dimensions in cases {
            let error = registrationError(ConfigurableMetric(dimensions: dimensions))
            #expect(error?.code == .invalidName, "\(dimensions)")
        }
    }

    @Test func collidingDimensionsAreTypedErrors() {
        let duplicate = registrationError(
            ConfigurableMetric(dimensions: [
                MetricDimension("total", labels: ["a": "1"], value: .counter(0)),
                MetricDimension("total", labels: ["a": "1"], value: .counter(2)),
            ]))
        #expect(duplicate?.code == .invalidConfiguration)
        let mixedTypes = registrationError(
            ConfigurableMetric(dimensions: [
                MetricDimension("total", labels: ["a": "1"], value: .counter(0)),
                MetricDimension("total", labels: ["a": "2"], value: .gauge(0)),
            ]))
        #expect(mixedTypes?.code == .invalidConfiguration)
        let mixedUnits = registrationError(
            ConfigurableMetric(dimensions: [
                MetricDimension("total", labels: ["a": "1"], unit: .bytes, value: .counter(0)),
                MetricDimension("total", labels: ["a": "2"], unit: .seconds, value: .counter(0)),
            ]))
        #expect(mixedUnits?.code == .invalidConfiguration)
    }

    /// A part (`MetricDimension.Part`) is also a series of its whole: names are
    /// checked, and it may collide neither with another series nor with the
    /// whole's type.
    @Test func badPartsAreTypedErrors() throws {
        let part = MetricDimension.Part(of: "total", label: "outcome", value: "success")
        let badWhole = registrationError(
            ConfigurableMetric(dimensions: [
                MetricDimension(
                    "success_total", value: .counter(0), partOf: .init(of: "Total", label: "outcome", value: "x"))
            ]))
        #expect(badWhole?.code == .invalidName)
        let badLabel = registrationError(
            ConfigurableMetric(dimensions: [
                MetricDimension(
                    "success_total", value: .counter(0), partOf: .init(of: "total", label: "out-come", value: "x"))
            ]))
        #expect(badLabel?.code == .invalidName)
        let labelledAlready = registrationError(
            ConfigurableMetric(dimensions: [
                MetricDimension("success_total", labels: ["outcome": "a"], value: .counter(0), partOf: part)
            ]))
        #expect(labelledAlready?.code == .invalidConfiguration)
        #expect(labelledAlready?.message.contains("has a label \"outcome\" already") == true)
        let collides = registrationError(
            ConfigurableMetric(dimensions: [
                MetricDimension("success_total", value: .counter(0), partOf: part),
                MetricDimension("total", labels: ["outcome": "success"], value: .counter(0)),
            ]))
        #expect(collides?.code == .invalidConfiguration)
        #expect(collides?.message.contains(#"total{outcome="success"}"#) == true)
        let twoParts = registrationError(
            ConfigurableMetric(dimensions: [
                MetricDimension("success_total", value: .counter(0), partOf: part),
                MetricDimension("ok_total", value: .counter(0), partOf: part),
            ]))
        #expect(twoParts?.code == .invalidConfiguration)
        let otherType = registrationError(
            ConfigurableMetric(dimensions: [
                MetricDimension("total", value: .counter(0)),
                MetricDimension("success_total", value: .gauge(0), partOf: part),
            ]))
        #expect(otherType?.code == .invalidConfiguration)

        let recorder = InlineMetricsRecorder()
        try recorder.register(
            ConfigurableMetric(dimensions: [
                MetricDimension("total", value: .counter(0)),
                MetricDimension("success_total", value: .counter(0), partOf: part),
                MetricDimension(
                    "failure_total", value: .counter(0), partOf: .init(of: "total", label: "outcome", value: "failure")),
            ]))
        #expect(recorder.metricNames == ["test_storage.configurable"])
    }

    @Test func labelledSeriesOfOneNameMayCoexist() throws {
        let recorder = InlineMetricsRecorder()
        try recorder.register(
            ConfigurableMetric(dimensions: [
                MetricDimension("total", labels: ["a": "1"], value: .counter(0)),
                MetricDimension("total", labels: ["a": "2"], value: .counter(0)),
            ]))
        #expect(recorder.metricNames == ["test_storage.configurable"])
    }

    @Test func invalidBucketsQuantilesAndCapsAreTypedErrors() {
        for bounds in [[1, 1], [2, 1], [Double.nan], [1, .infinity]] {
            #expect(throws: MetricsError.self) { try HistogramBuckets(bounds) }
        }
        #expect(throws: MetricsError.self) {
            try HistogramBuckets(Array(repeating: 0, count: 1025).enumerated().map { Double($0.offset) })
        }
        #expect(throws: MetricsError.self) { try HistogramBuckets.exponential(start: 0, factor: 2, count: 3) }
        #expect(throws: MetricsError.self) { try HistogramBuckets.exponential(start: 1, factor: 1, count: 3) }
        #expect(throws: MetricsError.self) { try HistogramBuckets.linear(start: 0, width: 0, count: 3) }
        #expect(throws: MetricsError.self) { try HistogramBuckets.linear(start: 0, width: 1, count: 0) }
        #expect(throws: MetricsError.self) { try Distribution<Double>(buckets: .durations, quantiles: [1.5]) }
        #expect(throws: MetricsError.self) { try Distribution<Double>(buckets: .durations, quantiles: [0.5, 0.5]) }
        #expect(throws: MetricsError.self) { try LabelCounts(dimension: "total", label: "route", cap: 0) }
        let error = #expect(throws: MetricsError.self) { try HistogramBuckets([1, 0.5]) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("strictly increasing") == true)
    }

    @Test func bucketFactoriesProduceTheDocumentedBounds() throws {
        #expect(HistogramBuckets.durations.upperBounds.count == 11)
        #expect(try HistogramBuckets.exponential(start: 1, factor: 2, count: 4).upperBounds == [1, 2, 4, 8])
        #expect(try HistogramBuckets.linear(start: 0.5, width: 0.5, count: 3).upperBounds == [0.5, 1, 1.5])
        #expect(HistogramBuckets.sizes.upperBounds.first == 64)
        #expect(HistogramBuckets.sizes.upperBounds.last == 16_777_216)
    }

    @Test func routingIsInspectable() throws {
        let recorder = InlineMetricsRecorder()
        try recorder.register(saveAttempts())
        try recorder.register(SumMetric("test_storage.save.bytes", of: SaveAttempt.self, value: \.size))
        try recorder.register(EventCountMetric("test_storage.reads", of: ReadAttempt.self))
        #expect(recorder.consumers(of: SaveAttempt.self) == ["test_storage.save.attempts", "test_storage.save.bytes"])
        #expect(recorder.consumers(of: NeverRoutedEvent.self) == [])
        #expect(
            recorder.routing == [
                "test_storage.save.attempt": ["test_storage.save.attempts", "test_storage.save.bytes"],
                "test_storage.read.attempt": ["test_storage.reads"],
            ])
        recorder.record(NeverRoutedEvent())
        recorder.record(NeverRoutedEvent())
        #expect(recorder.unroutedEventTypes == ["test_storage.never.routed"])
        #expect(recorder.statistics.ignored == 2)
        try recorder.register(EventCountMetric("test_storage.never", of: NeverRoutedEvent.self))
        #expect(recorder.unroutedEventTypes == [])
    }
}
