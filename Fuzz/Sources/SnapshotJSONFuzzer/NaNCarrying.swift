import MVXMetrics

/// A snapshot value that may hold a NaN somewhere, which makes it unequal to
/// itself: the round trip compares such values by their JSON only.
protocol NaNCarrying {
    var containsNaN: Bool { get }
}

extension Array: NaNCarrying where Element: NaNCarrying {
    var containsNaN: Bool { contains { $0.containsNaN } }
}

extension RecorderSnapshot: NaNCarrying {
    var containsNaN: Bool { metrics.containsNaN }
}

extension MetricSnapshot: NaNCarrying {
    var containsNaN: Bool {
        dimensions.contains { dimension in
            switch dimension.value {
            case .counter: false
            case .sum(let number): number.isNaN
            case .gauge(let number): number?.isNaN == true
            case .distribution(let distribution):
                ([distribution.sum, distribution.min ?? 0, distribution.max ?? 0]
                    + distribution.buckets.map(\.upperBound)
                    + distribution.quantiles.flatMap { [$0.quantile, $0.value] }).contains(where: \.isNaN)
            }
        }
    }
}
