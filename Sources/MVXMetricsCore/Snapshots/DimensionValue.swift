/// The value of one dimension: a counter, a floating sum, a gauge or a distribution.
///
/// Counters and sums only grow (they are reset only by a new recorder), gauges
/// go up and down, distributions summarise many observations. Exporters choose
/// their types from the case: Prometheus `counter`, `gauge` and `histogram`.
public enum DimensionValue: Sendable, Hashable {
    /// A monotonic whole number: events, bytes.
    case counter(UInt64)
    /// A monotonic floating total: seconds, or any fractional amount.
    case sum(Double)
    /// A value that goes up and down: the last value seen, a level; `nil` for
    /// a gauge that is not set yet, whose series exporters leave out.
    case gauge(Double?)
    /// Observations summarised as histogram buckets, count, sum, extremes and quantiles.
    case distribution(DistributionSnapshot)

    /// The value as a number, for counters, sums and set gauges; `nil` for
    /// distributions and unset gauges.
    public var number: Double? {
        switch self {
        case .counter(let value): Double(value)
        case .sum(let value): value
        case .gauge(let value): value
        case .distribution: nil
        }
    }

    /// Whether this is a gauge that is not set yet (and has no series in any
    /// exporter).
    public var isUnsetGauge: Bool {
        if case .gauge(nil) = self { return true }
        return false
    }

    /// The name of the case as JSON writes it: `counter`, `sum`, `gauge` or `distribution`.
    public var typeName: String {
        switch self {
        case .counter: "counter"
        case .sum: "sum"
        case .gauge: "gauge"
        case .distribution: "distribution"
        }
    }
}

extension DimensionValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .counter(let value): "\(value)"
        case .sum(let value): "\(value)"
        case .gauge(let value): value.map { "\($0)" } ?? "unset"
        case .distribution(let distribution): distribution.description
        }
    }
}
