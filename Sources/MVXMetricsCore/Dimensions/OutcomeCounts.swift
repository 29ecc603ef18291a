/// Counts events by outcome: a `total` and one `<outcome>_total` per case.
///
/// Every case's counter exists from the start, so a snapshot shows
/// `timeout_total 0` rather than leaving it out, and `total` always equals the
/// sum of the case counters. Each case counter is marked as the part
/// `outcome="<case>"` of `total` (``MetricDimension/Part``), so Prometheus gets one
/// family, `…_total{outcome="timeout"}`, that `sum by (outcome)` reads.
///
/// ```swift
/// var attempts = OutcomeCounts<DocumentSaveOutcome>()
/// attempts.record(.success)
/// attempts.dimensions  // total 1, success_total 1, failure_total 0, too_large_total 0
/// ```
public struct OutcomeCounts<Outcome: MetricCase>: Sendable {
    @usableFromInline var counts: [UInt64]
    @usableFromInline let indexer: MetricCaseIndexer<Outcome>
    @usableFromInline var storedTotal: UInt64 = 0
    private let dimensionNames: [String]
    private let parts: [MetricDimension.Part]

    /// The label that holds the case when an exporter writes the case
    /// counters as one family.
    public static var outcomeLabel: String { "outcome" }

    /// Creates counters for every case of `Outcome`, all zero.
    public init() {
        indexer = MetricCaseIndexer()
        counts = Array(repeating: 0, count: indexer.cases.count)
        dimensionNames = indexer.cases.map { $0.metricLabel + "_total" }
        parts = indexer.cases.map { MetricDimension.Part(of: "total", label: Self.outcomeLabel, value: $0.metricLabel) }
    }

    /// Counts one event with `outcome`.
    @inlinable @inline(__always)
    @discardableResult
    public mutating func record(_ outcome: Outcome) -> MetricUpdate {
        guard let index = indexer.index(of: outcome) else { return .rejected }
        counts[index] &+= 1
        storedTotal &+= 1
        return .changed
    }

    /// Counts the outcome of every event of a batch, one update per event,
    /// through a span of the counters: one uniqueness check per batch instead
    /// of one per event.
    @inlinable @inline(__always)
    mutating func record<Event>(
        _ events: Span<Event>, updates: inout MutableSpan<MetricUpdate>, outcome: (Event) -> Outcome
    ) {
        guard events.isLongEnoughForCounterSpans, #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *)
        else {
            for index in events.indices { updates[index] = record(outcome(events[index])) }
            return
        }
        var total = storedTotal
        var array = counts
        counts = []
        do {
            var counters = array.mutableSpan
            for index in events.indices {
                guard let position = indexer.index(of: outcome(events[index])) else {
                    updates[index] = .rejected
                    continue
                }
                counters[position] &+= 1
                total &+= 1
                updates[index] = .changed
            }
        }
        counts = array
        storedTotal = total
    }

    /// All events recorded.
    public var total: UInt64 { storedTotal }

    /// The number of events recorded with `outcome`.
    public func count(of outcome: Outcome) -> UInt64 {
        indexer.index(of: outcome).map { counts[$0] } ?? 0
    }

    /// `total`, then `<outcome>_total` for every case in declaration order,
    /// each a part of `total`.
    public var dimensions: [MetricDimension] {
        var result = [MetricDimension("total", value: .counter(total))]
        result.reserveCapacity(counts.count + 1)
        for index in counts.indices {
            result.append(MetricDimension(dimensionNames[index], value: .counter(counts[index]), partOf: parts[index]))
        }
        return result
    }
}
