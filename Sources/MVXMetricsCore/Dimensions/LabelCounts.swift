/// Counts events by a free-form label value, with a cap on how many distinct
/// values it keeps: `requests_total{route="/users"}`.
///
/// The first ``cap`` distinct values each get a series. Events with any other
/// value are counted in one overflow series whose label value is
/// ``overflowLabelValue``, so memory stays bounded however many values arrive.
/// The overflow series exists from the start (at 0), which makes an
/// overflowing label visible on a dashboard; an event whose value is spelled
/// like the overflow value is counted there too. Values longer than
/// ``maximumValueLength`` UTF-8 bytes are cut at a character boundary.
///
/// The series are laid out once, as they appear: a snapshot copies that
/// layout and sets the counts, rather than sorting every value and building
/// its labels again (100,000 series take about 11 ms). The layout keeps one
/// ``MetricDimension`` per value for as long as the metric lives.
///
/// Prefer ``CaseCounts`` when the values are known in advance.
public struct LabelCounts: Sendable {
    /// The label value of the series that counts values beyond the cap.
    public static let overflowLabelValue = "_overflow"
    /// The longest label value kept, in UTF-8 bytes.
    public static let maximumValueLength = 128

    /// The dimension name shared by every series.
    public let dimensionName: String
    /// The label that holds the value.
    public let labelName: String
    /// The most distinct values kept.
    public let cap: Int

    private var positions: [String: Int] = [:]
    private var values: [String] = []
    private var counts: [UInt64] = []
    private let layout = LabelCountsLayout()
    /// Events counted in the overflow series.
    public private(set) var overflowCount: UInt64 = 0

    /// Creates an empty labelled counter.
    ///
    /// - Throws: ``MetricsError/Code/invalidConfiguration`` if `cap` is not
    ///   between 1 and 100,000. The names are checked when the metric is registered.
    public init(dimension: String, label: String, cap: Int = 100) throws(MetricsError) {
        guard (1...100_000).contains(cap) else {
            throw MetricsError(.invalidConfiguration, "a label cap must be between 1 and 100000, got \(cap)")
        }
        dimensionName = dimension
        labelName = label
        self.cap = cap
    }

    /// Counts one event for `value`, in the overflow series if the cap is reached.
    @discardableResult
    public mutating func increment(_ value: String) -> MetricUpdate {
        let value = Self.truncated(value)
        if value == Self.overflowLabelValue {
            // A value spelled like the overflow series joins it, so no two
            // series ever share a label set.
            overflowCount &+= 1
        } else if let position = positions[value] {
            counts[position] &+= 1
        } else if values.count < cap {
            positions[value] = values.count
            values.append(value)
            counts.append(1)
        } else {
            overflowCount &+= 1
        }
        return .changed
    }

    /// The number of events counted for `value` (0 for a value beyond the cap).
    public func count(of value: String) -> UInt64 {
        positions[Self.truncated(value)].map { counts[$0] } ?? 0
    }

    /// The number of distinct values kept.
    public var distinctValues: Int { values.count }

    /// One series per kept value, sorted by value, then the overflow series.
    public var dimensions: [MetricDimension] {
        var result = layout.dimensions(name: dimensionName, label: labelName, values: values, counts: counts)
        result.append(
            MetricDimension(dimensionName, labels: [labelName: Self.overflowLabelValue], value: .counter(overflowCount))
        )
        return result
    }

    static func truncated(_ value: String) -> String {
        guard value.utf8.count > maximumValueLength else { return value }
        var result = ""
        var length = 0
        for character in value {
            let size = character.utf8.count
            if length + size > maximumValueLength { break }
            result.append(character)
            length += size
        }
        return result
    }
}
