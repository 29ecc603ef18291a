/// A distribution of observations at one moment: histogram buckets, count,
/// sum, extremes and quantile estimates.
///
/// Bucket counts are cumulative, as in Prometheus: a bucket counts every
/// observation less than or equal to its upper bound. The `+Inf` bucket is
/// implicit and equals ``count``.
///
/// Quantiles are estimates. Each is within ``quantileRelativeError`` (1/64,
/// about 1.6 %) of the observation of that rank, relative to that observation's
/// magnitude; see ``Distribution`` for how they are computed.
public struct DistributionSnapshot: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The relative error bound of every quantile estimate: 1/64.
    public static let quantileRelativeError = 1.0 / 64.0

    /// One histogram bucket: how many observations were at most ``upperBound``.
    public struct Bucket: Sendable, Hashable, Codable {
        /// The bucket's inclusive upper bound (Prometheus `le`).
        public var upperBound: Double
        /// Observations less than or equal to ``upperBound``.
        public var cumulativeCount: UInt64

        /// Creates a bucket.
        public init(upperBound: Double, cumulativeCount: UInt64) {
            self.upperBound = upperBound
            self.cumulativeCount = cumulativeCount
        }

        enum CodingKeys: String, CodingKey {
            case upperBound = "le"
            case cumulativeCount = "count"
        }
    }

    /// One quantile estimate, such as the median (`quantile` 0.5).
    public struct Quantile: Sendable, Hashable, Codable {
        /// The quantile, between 0 and 1.
        public var quantile: Double
        /// The estimated value at that quantile.
        public var value: Double

        /// Creates a quantile estimate.
        public init(quantile: Double, value: Double) {
            self.quantile = quantile
            self.value = value
        }
    }

    /// The number of observations.
    public var count: UInt64
    /// The sum of all observations.
    public var sum: Double
    /// The smallest observation, or `nil` if there is none.
    public var min: Double?
    /// The largest observation, or `nil` if there is none.
    public var max: Double?
    /// The finite buckets in increasing order of upper bound.
    public var buckets: [Bucket]
    /// Quantile estimates, in the order they were configured; empty when there
    /// are no observations.
    public var quantiles: [Quantile]

    /// Creates a distribution snapshot.
    public init(
        count: UInt64, sum: Double, min: Double?, max: Double?,
        buckets: [Bucket], quantiles: [Quantile]
    ) {
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.buckets = buckets
        self.quantiles = quantiles
    }

    /// The estimate for quantile `q` if it was configured and there are observations.
    public func quantile(_ q: Double) -> Double? {
        quantiles.first { $0.quantile == q }?.value
    }

    /// The mean of the observations, or `nil` if there is none.
    public var mean: Double? { count == 0 ? nil : sum / Double(count) }

    public var description: String {
        var parts = ["count=\(count)", "sum=\(sum)"]
        if let min { parts.append("min=\(min)") }
        if let max { parts.append("max=\(max)") }
        for quantile in quantiles { parts.append("p\(Self.percentName(quantile.quantile))=\(quantile.value)") }
        return parts.joined(separator: " ")
    }

    static func percentName(_ quantile: Double) -> String {
        let percent = quantile * 100
        return percent == percent.rounded() ? String(Int(percent)) : String(percent)
    }
}
