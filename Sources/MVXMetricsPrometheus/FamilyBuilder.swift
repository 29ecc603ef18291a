import MVXMetrics

/// Groups the dimensions of many snapshots into families, resolves name
/// collisions, and writes them in order.
struct FamilyBuilder {
    enum Kind {
        case counter, gauge, histogram

        var typeName: StaticString {
            switch self {
            case .counter: "counter"
            case .gauge: "gauge"
            case .histogram: "histogram"
            }
        }
    }

    enum Value {
        case integer(UInt64)
        case number(Double)
        case histogram(DistributionSnapshot)
    }

    struct Sample {
        /// The label set as written between the braces, without them.
        var labels: [UInt8]
        var value: Value
    }

    struct Family {
        /// The name without the counter suffix.
        var base: String
        var kind: Kind
        var help: String
        var unit: String?
        var samples: [Sample]
    }

    /// Where a family comes from: families merge across recorders only when
    /// their origins are equal.
    struct Origin: Hashable {
        let metric: String
        let dimension: String
        let kind: Kind
    }

    let entityLabel: String
    private var families: [Family] = []
    private var familyByOrigin: [Origin: Int] = [:]
    /// Every name a family or its samples use, to detect collisions.
    private var takenNames: Set<String> = []

    init(entityLabel: String) {
        self.entityLabel = entityLabel
    }

    mutating func add(_ metric: MetricSnapshot, entity: [UInt8]) {
        for dimension in metric.dimensions {
            let (kind, value) = Self.classify(dimension.value)
            let origin = Origin(metric: metric.name, dimension: dimension.name, kind: kind)
            let index = familyByOrigin[origin] ?? makeFamily(origin, unit: dimension.unit, help: metric.help)
            families[index].samples.append(
                Sample(labels: labels(of: dimension, kind: kind, entity: entity), value: value))
        }
    }

    private static func classify(_ value: DimensionValue) -> (Kind, Value) {
        switch value {
        case .counter(let count): (.counter, .integer(count))
        case .sum(let number): (.counter, .number(number))
        case .gauge(let number): (.gauge, .number(number))
        case .distribution(let distribution): (.histogram, .histogram(distribution))
        }
    }

    private mutating func makeFamily(_ origin: Origin, unit: MetricUnit?, help: String?) -> Int {
        let isCounter = origin.kind == .counter
        let base = PrometheusNaming.baseName(
            metric: origin.metric, dimension: origin.dimension, unit: unit?.name, isCounter: isCounter)
        var candidate = base
        var suffix = 1
        // Another dimension already uses one of the names: number this one.
        while Self.names(candidate, origin.kind).contains(where: takenNames.contains) {
            suffix += 1
            candidate = base + "_\(suffix)"
        }
        takenNames.formUnion(Self.names(candidate, origin.kind))
        let family = Family(
            base: candidate, kind: origin.kind,
            // An empty help line is a lint error for promtool: name the origin
            // instead, or the family when the origin's names are blank too.
            help: [help, "\(origin.metric) \(origin.dimension)", candidate].lazy.compactMap { $0 }
                .first { $0.contains { !$0.isWhitespace } }!,
            unit: unit.map { PrometheusNaming.sanitizedMetricName($0.name) }.flatMap {
                candidate.hasSuffix("_" + $0) ? $0 : nil
            },
            samples: [])
        families.append(family)
        familyByOrigin[origin] = families.count - 1
        return families.count - 1
    }

    /// The names a family uses in either format: its family name and its
    /// sample names.
    private static func names(_ base: String, _ kind: Kind) -> [String] {
        switch kind {
        case .counter: [base, base + "_total", base + "_created"]
        case .gauge: [base]
        case .histogram: [base, base + "_bucket", base + "_sum", base + "_count", base + "_created"]
        }
    }

    private static func fullName(_ base: String, isCounter: Bool) -> String {
        isCounter ? base + "_total" : base
    }

    /// `entity_id="…",reason="…"`: the entity label and the dimension's labels,
    /// sorted by name; a dimension label named like the entity label wins, and
    /// labels that sanitize to one name are told apart (see
    /// `PrometheusNaming.distinctLabelNames`).
    private func labels(of dimension: Dimension, kind: Kind, entity: [UInt8]) -> [UInt8] {
        var pairs: [(name: String, value: [UInt8])] = []
        pairs.reserveCapacity(dimension.labels.count + 1)
        var hasEntity = false
        let reserved: Set<String> = kind == .histogram ? ["le"] : []
        for (original, sanitized) in PrometheusNaming.distinctLabelNames(dimension.labels.keys, reserved: reserved) {
            if sanitized == entityLabel { hasEntity = true }
            pairs.append((sanitized, escapedLabelValue(dimension.labels[original]!)))
        }
        if !hasEntity { pairs.append((entityLabel, entity)) }
        if pairs.count > 1 { pairs.sort { $0.name < $1.name } }
        var result: [UInt8] = []
        for (index, pair) in pairs.enumerated() {
            if index > 0 { result.append(UInt8(ascii: ",")) }
            result.append(contentsOf: pair.name.utf8)
            result.append(contentsOf: "=\"".utf8)
            result.append(contentsOf: pair.value)
            result.append(UInt8(ascii: "\""))
        }
        return result
    }

    func write(format: PrometheusFormat) -> [UInt8] {
        let ordered = families.sorted {
            Self.fullName($0.base, isCounter: $0.kind == .counter)
                < Self.fullName($1.base, isCounter: $1.kind == .counter)
        }
        var writer = ExpositionWriter(capacity: families.count * 160)
        let openMetrics = format == .openMetrics
        for family in ordered {
            let familyName = openMetrics ? family.base : Self.fullName(family.base, isCounter: family.kind == .counter)
            writer.write("# HELP ")
            writer.write(familyName)
            writer.write(byte: UInt8(ascii: " "))
            writer.writeHelp(family.help, escapingQuotes: openMetrics)
            writer.write("\n# TYPE ")
            writer.write(familyName)
            writer.write(byte: UInt8(ascii: " "))
            writer.write(family.kind.typeName)
            writer.write(byte: UInt8(ascii: "\n"))
            if openMetrics, let unit = family.unit {
                writer.write("# UNIT ")
                writer.write(familyName)
                writer.write(byte: UInt8(ascii: " "))
                writer.write(unit)
                writer.write(byte: UInt8(ascii: "\n"))
            }
            var samples = family.samples
            samples.sort { $0.labels.lexicographicallyPrecedes($1.labels) }
            var previous: [UInt8]?
            for sample in samples {
                // Two recorders cannot share an entity id in a runtime, but
                // snapshots given by hand might: never write a series twice.
                if sample.labels == previous { continue }
                previous = sample.labels
                write(sample, of: family, openMetrics: openMetrics, to: &writer)
            }
        }
        if openMetrics { writer.write("# EOF\n") }
        return writer.bytes
    }

    private func write(_ sample: Sample, of family: Family, openMetrics: Bool, to writer: inout ExpositionWriter) {
        switch sample.value {
        case .integer(let count):
            writeLine(family.base, suffix: family.kind == .counter ? "_total" : "", sample.labels, to: &writer)
            writer.write(count)
            writer.write(byte: UInt8(ascii: "\n"))
        case .number(let number):
            writeLine(family.base, suffix: family.kind == .counter ? "_total" : "", sample.labels, to: &writer)
            writer.write(number)
            writer.write(byte: UInt8(ascii: "\n"))
        case .histogram(let distribution):
            for bucket in distribution.buckets {
                writeBucket(family.base, sample.labels, le: { $0.write(bucket.upperBound) }, to: &writer)
                writer.write(bucket.cumulativeCount)
                writer.write(byte: UInt8(ascii: "\n"))
            }
            writeBucket(family.base, sample.labels, le: { $0.write("+Inf") }, to: &writer)
            writer.write(distribution.count)
            writer.write(byte: UInt8(ascii: "\n"))
            // OpenMetrics treats a histogram's sum as a counter: with a negative
            // observation or bucket it is not one, and the format says to leave
            // it out (and its parsers want `_count` only next to `_sum`; `+Inf`
            // has the count).
            guard
                !openMetrics || ((distribution.min ?? 0) >= 0 && distribution.buckets.allSatisfy { $0.upperBound >= 0 })
            else { return }
            writeLine(family.base, suffix: "_sum", sample.labels, to: &writer)
            writer.write(distribution.sum)
            writer.write(byte: UInt8(ascii: "\n"))
            writeLine(family.base, suffix: "_count", sample.labels, to: &writer)
            writer.write(distribution.count)
            writer.write(byte: UInt8(ascii: "\n"))
        }
    }

    /// `name_suffix{labels} ` (the value follows).
    private func writeLine(_ base: String, suffix: StaticString, _ labels: [UInt8], to writer: inout ExpositionWriter) {
        writer.write(base)
        writer.write(suffix)
        if !labels.isEmpty {
            writer.write(byte: UInt8(ascii: "{"))
            writer.write(labels)
            writer.write(byte: UInt8(ascii: "}"))
        }
        writer.write(byte: UInt8(ascii: " "))
    }

    private func writeBucket(
        _ base: String, _ labels: [UInt8], le: (inout ExpositionWriter) -> Void, to writer: inout ExpositionWriter
    ) {
        writer.write(base)
        writer.write("_bucket{")
        if !labels.isEmpty {
            writer.write(labels)
            writer.write(byte: UInt8(ascii: ","))
        }
        writer.write("le=\"")
        le(&writer)
        writer.write("\"} ")
    }
}
