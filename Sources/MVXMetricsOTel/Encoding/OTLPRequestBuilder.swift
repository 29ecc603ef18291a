import MVXMetrics

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns snapshots into an OTLP `ExportMetricsServiceRequest`, exactly: each
/// distribution with its own buckets, sum, count, min and max; each series
/// with the recorder's start; units, descriptions, and series still at zero.
///
/// Dimensions of one origin (metric, dimension, kind) merge across recorders
/// into one OTLP metric whose points tell the recorders apart by the entity
/// attribute. The parts of a split (``MetricDimension/Part``, such as an outcome
/// counter's cases) are points of their whole's metric with the part's
/// attribute, and the whole is left out, so that summing the points gives it
/// once.
///
/// Recorders' common labels (``RecorderSnapshot/commonLabels``) are resource
/// attributes: snapshots that share them make one `ResourceMetrics`, whose
/// attributes are those labels and the configured ones (which win on a clash).
struct OTLPRequestBuilder {
    let resourceAttributes: [String: String]
    let entityAttribute: String
    let temporality: OTLPMetricsExporter.Temporality
    let scopeName: String

    /// A request ready to send, and what a delta baseline becomes once it is sent.
    struct Request {
        var body: [UInt8]
        var dataPoints: Int
        var sent: [DeltaBaseline.Key: DeltaBaseline.Entry]
    }

    private enum Kind: Hashable { case sum, gauge, histogram }

    private struct Origin: Hashable {
        let metric: String
        let dimension: String
        let kind: Kind
    }

    private struct Point {
        var attributes: [(key: String, value: String)]
        var start: UInt64
        var time: UInt64
        var value: Value
    }

    private enum Value {
        case int(Int64)
        case double(Double)
        case histogram(DistributionSnapshot, sumKnown: Bool, extremesKnown: Bool)
    }

    private struct Metric {
        var name: String
        var description: String
        var unit: String
        var kind: Kind
        var points: [Point]
    }

    func build(_ snapshots: [RecorderSnapshot], baseline: DeltaBaseline) -> Request {
        var sent: [DeltaBaseline.Key: DeltaBaseline.Entry] = [:]
        var dataPoints = 0
        // Groups in the order their labels first appear, so a request is
        // the same for the same snapshots.
        var groups: [(labels: [String: String], snapshots: [RecorderSnapshot])] = []
        for snapshot in snapshots {
            if let index = groups.firstIndex(where: { $0.labels == snapshot.commonLabels }) {
                groups[index].snapshots.append(snapshot)
            } else {
                groups.append((snapshot.commonLabels, [snapshot]))
            }
        }
        if groups.isEmpty { groups.append(([:], [])) }
        let resources = groups.map { group in
            (
                attributes: group.labels.merging(resourceAttributes) { _, configured in configured },
                metrics: metrics(group.snapshots, baseline: baseline, sent: &sent, dataPoints: &dataPoints)
            )
        }
        return Request(body: encode(resources), dataPoints: dataPoints, sent: sent)
    }

    /// The metrics of one resource's snapshots, sorted by name.
    private func metrics(
        _ snapshots: [RecorderSnapshot], baseline: DeltaBaseline, sent: inout [DeltaBaseline.Key: DeltaBaseline.Entry],
        dataPoints: inout Int
    ) -> [Metric] {
        var metrics: [Metric] = []
        var metricByOrigin: [Origin: Int] = [:]
        var takenNames: Set<String> = []
        for snapshot in snapshots {
            let start = Self.nanoseconds(snapshot.startedAt)
            let time = Self.nanoseconds(snapshot.takenAt)
            for metric in snapshot.metrics {
                let wholes = Set(
                    metric.dimensions.compactMap { dimension in
                        dimension.partOf.map { Series(name: $0.whole, labels: dimension.labels) }
                    })
                // An unset gauge has no data point, and no metric of its own.
                for dimension in metric.dimensions where !dimension.value.isUnsetGauge {
                    var name = dimension.name
                    var labels = dimension.labels
                    if let part = dimension.partOf {
                        name = part.whole
                        labels[part.label] = part.value
                    } else if wholes.contains(Series(name: dimension.name, labels: dimension.labels)) {
                        continue
                    }
                    let kind = Self.kind(dimension.value)
                    let origin = Origin(metric: metric.name, dimension: name, kind: kind)
                    let index: Int
                    if let existing = metricByOrigin[origin] {
                        index = existing
                    } else {
                        index = metrics.count
                        metricByOrigin[origin] = index
                        metrics.append(
                            Metric(
                                name: Self.distinctName(
                                    origin, naming: metric.naming, unit: dimension.unit, taken: &takenNames),
                                description: metric.help ?? "", unit: OTLPNaming.unit(dimension.unit), kind: kind,
                                points: []))
                    }
                    let key = DeltaBaseline.Key(
                        entityID: snapshot.entityID, metric: metric.name, dimension: dimension.name,
                        labels: dimension.labels)
                    let previous = baseline.entry(key, recorderStartedAt: snapshot.startedAt)
                    if temporality == .delta, kind != .gauge {
                        sent[key] = .init(
                            recorderStartedAt: snapshot.startedAt, takenAt: snapshot.takenAt, value: dimension.value)
                    }
                    let point = self.point(
                        dimension.value, previous: previous, start: start, time: time,
                        attributes: attributes(labels, entity: snapshot.entityID))
                    metrics[index].points.append(point)
                    dataPoints += 1
                }
            }
        }
        metrics.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        return metrics
    }

    private struct Series: Hashable {
        let name: String
        let labels: [String: String]
    }

    private static func kind(_ value: DimensionValue) -> Kind {
        switch value {
        case .counter, .sum: .sum
        case .gauge: .gauge
        case .distribution: .histogram
        }
    }

    /// The origin's conventional name, or, when another origin has it, one
    /// that names the dimension too, numbered if even that is taken.
    private static func distinctName(
        _ origin: Origin, naming: MetricSnapshot.Naming, unit: MetricUnit?, taken: inout Set<String>
    ) -> String {
        let conventional = OTLPNaming.name(
            metric: origin.metric, dimension: origin.dimension, naming: naming, unit: unit,
            isCounter: origin.kind == .sum)
        var name = conventional
        if taken.contains(name) { name = origin.metric + "." + origin.dimension }
        var suffix = 1
        let base = name
        while taken.contains(name) {
            suffix += 1
            name = base + "_\(suffix)"
        }
        taken.insert(name)
        return name
    }

    /// The dimension's labels and the recorder's entity id, sorted by key; a
    /// label named like the entity attribute wins.
    private func attributes(_ labels: [String: String], entity: String) -> [(key: String, value: String)] {
        var attributes = labels.map { (key: $0.key, value: $0.value) }
        if labels[entityAttribute] == nil { attributes.append((entityAttribute, entity)) }
        attributes.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return attributes
    }

    private func point(
        _ value: DimensionValue, previous: DeltaBaseline.Entry?, start: UInt64, time: UInt64,
        attributes: [(key: String, value: String)]
    ) -> Point {
        // A delta counts from the last export that got through, or from the
        // recorder's start; a gauge has no start.
        let deltaStart = previous.map { Self.nanoseconds($0.takenAt) } ?? start
        switch value {
        case .gauge(let number):
            // Unset gauges are left out above.
            return Point(attributes: attributes, start: 0, time: time, value: .double(number ?? 0))
        case .counter(let count):
            var count = count
            var pointStart = start
            if temporality == .delta {
                pointStart = deltaStart
                if case .counter(let before)? = previous?.value, before <= count { count -= before }
            }
            // OTLP integers are signed: a count beyond Int64.max goes as a double.
            let value: Value = count <= UInt64(Int64.max) ? .int(Int64(count)) : .double(Double(count))
            return Point(attributes: attributes, start: pointStart, time: time, value: value)
        case .sum(let total):
            var total = total
            var pointStart = start
            if temporality == .delta {
                pointStart = deltaStart
                if case .sum(let before)? = previous?.value, before <= total { total -= before }
            }
            return Point(attributes: attributes, start: pointStart, time: time, value: .double(total))
        case .distribution(let distribution):
            // OpenTelemetry leaves the sum out of a histogram with negative
            // observations (as OpenMetrics does), since it no longer only grows.
            let sumKnown = (distribution.min ?? 0) >= 0
            guard temporality == .delta else {
                return Point(
                    attributes: attributes, start: start, time: time,
                    value: .histogram(distribution, sumKnown: sumKnown, extremesKnown: true))
            }
            var delta = distribution
            if case .distribution(let before)? = previous?.value, let difference = Self.difference(distribution, before)
            {
                delta = difference
            }
            // The extremes of the interval alone are not known from two totals.
            return Point(
                attributes: attributes, start: deltaStart, time: time,
                value: .histogram(delta, sumKnown: sumKnown, extremesKnown: delta == distribution))
        }
    }

    /// `now` minus `before`, bucket by bucket, or nil if they are not of one series.
    private static func difference(_ now: DistributionSnapshot, _ before: DistributionSnapshot) -> DistributionSnapshot?
    {
        guard now.count >= before.count, now.buckets.count == before.buckets.count else { return nil }
        var buckets: [DistributionSnapshot.Bucket] = []
        buckets.reserveCapacity(now.buckets.count)
        for (bucket, earlier) in zip(now.buckets, before.buckets) {
            guard bucket.upperBound == earlier.upperBound, bucket.cumulativeCount >= earlier.cumulativeCount else {
                return nil
            }
            buckets.append(
                .init(upperBound: bucket.upperBound, cumulativeCount: bucket.cumulativeCount - earlier.cumulativeCount))
        }
        return DistributionSnapshot(
            count: now.count - before.count, sum: now.sum - before.sum, min: nil, max: nil, buckets: buckets,
            quantiles: [])
    }

    /// Nanoseconds since 1970 of a millisecond-precision date.
    static func nanoseconds(_ date: Date) -> UInt64 {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        return milliseconds > 0 ? UInt64(milliseconds) * 1_000_000 : 0
    }

    // MARK: Encoding

    private func encode(_ resources: [(attributes: [String: String], metrics: [Metric])]) -> [UInt8] {
        var request = ProtobufWriter()
        for (attributes, metrics) in resources {
            // ExportMetricsServiceRequest.resource_metrics
            request.message(1) { resourceMetrics in
                // ResourceMetrics.resource
                resourceMetrics.message(1) { resource in
                    for key in attributes.keys.sorted() {
                        resource.message(1) { Self.keyValue(&$0, key, attributes[key]!) }
                    }
                }
                // ResourceMetrics.scope_metrics
                resourceMetrics.message(2) { scopeMetrics in
                    scopeMetrics.message(1) { $0.string(1, scopeName) }
                    for metric in metrics {
                        scopeMetrics.message(2) { encode(metric, into: &$0) }
                    }
                }
            }
        }
        return request.bytes
    }

    private func encode(_ metric: Metric, into writer: inout ProtobufWriter) {
        writer.string(1, metric.name)
        writer.string(2, metric.description)
        writer.string(3, metric.unit)
        let temporality: UInt64 = temporality == .delta ? 1 : 2
        switch metric.kind {
        case .gauge:
            writer.message(5) { gauge in
                for point in metric.points { gauge.message(1) { Self.numberPoint(&$0, point) } }
            }
        case .sum:
            writer.message(7) { sum in
                for point in metric.points { sum.message(1) { Self.numberPoint(&$0, point) } }
                sum.enumeration(2, temporality)
                sum.enumeration(3, 1)  // is_monotonic
            }
        case .histogram:
            writer.message(9) { histogram in
                for point in metric.points { histogram.message(1) { Self.histogramPoint(&$0, point) } }
                histogram.enumeration(2, temporality)
            }
        }
    }

    private static func keyValue(_ writer: inout ProtobufWriter, _ key: String, _ value: String) {
        writer.string(1, key)
        writer.message(2) { $0.stringAlways(1, value) }
    }

    /// A `NumberDataPoint`.
    private static func numberPoint(_ writer: inout ProtobufWriter, _ point: Point) {
        for attribute in point.attributes { writer.message(7) { keyValue(&$0, attribute.key, attribute.value) } }
        writer.fixed64(2, point.start)
        writer.fixed64(3, point.time)
        switch point.value {
        case .int(let value): writer.sfixed64Always(6, value)
        case .double(let value): writer.doubleAlways(4, value)
        case .histogram: preconditionFailure("a histogram value in a number point")
        }
    }

    /// A `HistogramDataPoint`: counts per bucket (not cumulative), the last
    /// one for the observations above every bound.
    private static func histogramPoint(_ writer: inout ProtobufWriter, _ point: Point) {
        guard case .histogram(let distribution, let sumKnown, let extremesKnown) = point.value else {
            preconditionFailure("a number value in a histogram point")
        }
        for attribute in point.attributes { writer.message(9) { keyValue(&$0, attribute.key, attribute.value) } }
        writer.fixed64(2, point.start)
        writer.fixed64(3, point.time)
        writer.fixed64(4, distribution.count)
        if sumKnown { writer.doubleAlways(5, distribution.sum) }
        var counts: [UInt64] = []
        counts.reserveCapacity(distribution.buckets.count + 1)
        var below: UInt64 = 0
        for bucket in distribution.buckets {
            counts.append(bucket.cumulativeCount - below)
            below = bucket.cumulativeCount
        }
        counts.append(distribution.count - below)
        writer.packedFixed64(6, counts)
        writer.packedDouble(7, distribution.buckets.map(\.upperBound))
        if extremesKnown, let min = distribution.min { writer.doubleAlways(11, min) }
        if extremesKnown, let max = distribution.max { writer.doubleAlways(12, max) }
    }
}
