import MVXMetrics

/// Groups the dimensions of many snapshots into families, resolves name
/// collisions, and lays them out in order as an ``ExpositionPlan``: the text
/// between the values, and where each value comes from.
struct FamilyBuilder {
    enum Kind {
        case counter, gauge, histogram

        init(_ value: DimensionValue) {
            switch value {
            case .counter, .sum: self = .counter
            case .gauge: self = .gauge
            case .distribution: self = .histogram
            }
        }

        var typeName: StaticString {
            switch self {
            case .counter: "counter"
            case .gauge: "gauge"
            case .histogram: "histogram"
            }
        }
    }

    struct Sample {
        /// The label set as written between the braces, without them.
        var labels: [UInt8]
        var source: ExpositionPlan.Source
    }

    struct Family {
        /// The name without the counter suffix.
        var base: String
        var kind: Kind
        var help: String
        var unit: String?
        var samples: [Sample]

        /// The family name in the text format, which is also the sort key.
        var fullName: String { kind == .counter ? base + "_total" : base }
    }

    /// Where a family comes from: families merge across recorders only when
    /// their origins are equal.
    struct Origin: Hashable {
        let metric: String
        let dimension: String
        let kind: Kind
    }

    let entityLabel: String
    let escaping: PrometheusNameEscaping
    private var families: [Family] = []
    private var familyByOrigin: [Origin: Int] = [:]
    /// Every name a family or its samples use, to detect collisions.
    private var takenNames: Set<String> = []

    init(entityLabel: String, escaping: PrometheusNameEscaping) {
        self.entityLabel = entityLabel
        self.escaping = escaping
    }

    /// Adds every dimension of `metric`, the metric at `metricIndex` of the
    /// snapshot at `snapshotIndex`, whose entity id is `entity` (escaped) and
    /// whose common labels are `common` (names valid, values escaped, sorted).
    ///
    /// A dimension that is a part of another (``MetricDimension/Part``) is written
    /// as a sample of the whole's family with the part's label, and the
    /// whole itself is left out: the family's samples add up to it.
    mutating func add(
        _ metric: MetricSnapshot, entity: [UInt8], common: [(name: String, value: [UInt8])], snapshotIndex: Int,
        metricIndex: Int
    ) {
        let wholes = Self.wholes(in: metric)
        for (dimensionIndex, dimension) in metric.dimensions.enumerated() {
            var name = dimension.name
            var labels = dimension.labels
            if let part = dimension.partOf {
                name = part.whole
                labels[part.label] = part.value
            } else if !wholes.isEmpty, wholes.contains(Series(name: dimension.name, labels: dimension.labels)) {
                continue
            }
            let origin = Origin(metric: metric.name, dimension: name, kind: Kind(dimension.value))
            let index =
                familyByOrigin[origin]
                ?? makeFamily(origin, naming: metric.naming, unit: dimension.unit, help: metric.help)
            // An unset gauge's family is written (its name is taken), its sample is not.
            if dimension.value.isUnsetGauge { continue }
            let source = ExpositionPlan.Source(
                snapshot: Int32(snapshotIndex), metric: Int32(metricIndex), dimension: Int32(dimensionIndex))
            families[index].samples.append(
                Sample(labels: self.labels(labels, kind: origin.kind, entity: entity, common: common), source: source))
        }
    }

    /// The family the dimensions of `origin` were added to, if any: what
    /// the alerting rules read to name a series exactly as the exposition does.
    func family(_ origin: Origin) -> Family? {
        familyByOrigin[origin].map { families[$0] }
    }

    private struct Series: Hashable {
        let name: String
        let labels: [String: String]
    }

    /// The dimensions of `metric` that others are parts of.
    private static func wholes(in metric: MetricSnapshot) -> Set<Series> {
        var wholes: Set<Series> = []
        for dimension in metric.dimensions {
            if let part = dimension.partOf { wholes.insert(Series(name: part.whole, labels: dimension.labels)) }
        }
        return wholes
    }

    private mutating func makeFamily(
        _ origin: Origin, naming: MetricSnapshot.Naming, unit: MetricUnit?, help: String?
    ) -> Int {
        let isCounter = origin.kind == .counter
        let base =
            switch naming {
            case .metricAndDimension:
                PrometheusNaming.baseName(
                    metric: origin.metric, dimension: origin.dimension, unit: unit?.name, isCounter: isCounter,
                    escaping: escaping)
            case .dimension:
                PrometheusNaming.baseName(
                    dimension: origin.dimension, unit: unit?.name, isCounter: isCounter, escaping: escaping)
            }
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

    /// `entity_id="…",reason="…",service="…"`: the dimension's labels, the
    /// entity label and the common labels, sorted by name; a dimension label
    /// named like the entity label wins, both win over a common label, and
    /// labels that sanitize to one name are told apart (see
    /// `PrometheusNaming.distinctLabelNames`).
    private func labels(
        _ labels: [String: String], kind: Kind, entity: [UInt8], common: [(name: String, value: [UInt8])]
    ) -> [UInt8] {
        var pairs: [(name: String, value: [UInt8])] = []
        pairs.reserveCapacity(labels.count + 1 + common.count)
        var taken: Set<String> = kind == .histogram ? ["le"] : []
        for (original, sanitized) in PrometheusNaming.distinctLabelNames(
            labels.keys, reserved: taken, escaping: escaping)
        {
            pairs.append((sanitized, escapedLabelValue(labels[original]!)))
        }
        for pair in pairs { taken.insert(pair.name) }
        if taken.insert(entityLabel).inserted { pairs.append((entityLabel, entity)) }
        for pair in common where taken.insert(pair.name).inserted { pairs.append(pair) }
        if pairs.count > 1 { pairs.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) } }
        var result: [UInt8] = []
        for (index, pair) in pairs.enumerated() {
            if index > 0 { result.append(UInt8(ascii: ",")) }
            Self.appendName(pair.name, isMetricName: false, to: &result)
            result.append(contentsOf: "=\"".utf8)
            result.append(contentsOf: pair.value)
            result.append(UInt8(ascii: "\""))
        }
        return result
    }

    /// The families in name order (those `selection` names, when there is
    /// one), each sample's text laid out around where its value goes; with
    /// `createdSamples`, counters and histograms have `_created` samples.
    func plan(
        format: PrometheusFormat, createdSamples: Bool = false, selecting selection: Set<String>? = nil
    )
        -> ExpositionPlan
    {
        // Byte order, which for the legacy names is the order `String`'s `<` gives.
        let names = families.map { Array($0.fullName.utf8) }
        let order = families.indices.filter { index in
            guard let selection else { return true }
            let family = families[index]
            return selection.contains(family.fullName)
                || Self.names(family.base, family.kind).contains(where: selection.contains)
        }.sorted { names[$0].lexicographicallyPrecedes(names[$1]) }
        var plan = ExpositionPlan(capacity: families.count * 160)
        let openMetrics = format == .openMetrics
        for family in order.lazy.map({ families[$0] }) {
            let familyName = Self.quotedIfNeeded(openMetrics ? family.base : family.fullName)
            plan.literal.write("# HELP ")
            plan.literal.write(familyName)
            plan.literal.write(byte: UInt8(ascii: " "))
            plan.literal.writeHelp(family.help, escapingQuotes: openMetrics)
            plan.literal.write("\n# TYPE ")
            plan.literal.write(familyName)
            plan.literal.write(byte: UInt8(ascii: " "))
            plan.literal.write(family.kind.typeName)
            plan.literal.write(byte: UInt8(ascii: "\n"))
            if openMetrics, let unit = family.unit {
                plan.literal.write("# UNIT ")
                plan.literal.write(familyName)
                plan.literal.write(byte: UInt8(ascii: " "))
                plan.literal.write(unit)
                plan.literal.write(byte: UInt8(ascii: "\n"))
            }
            var samples = family.samples
            // Stable, so of two samples with one label set the first added stays.
            samples.sort { $0.labels.lexicographicallyPrecedes($1.labels) }
            var previous: [UInt8]?
            for sample in samples {
                // Two recorders cannot share an entity id in a runtime, but
                // snapshots given by hand might: never write a series twice.
                if sample.labels == previous { continue }
                previous = sample.labels
                switch family.kind {
                case .counter, .gauge:
                    plan.addValue(
                        sample.source,
                        after: Self.line(family.base + (family.kind == .counter ? "_total" : ""), sample.labels))
                    plan.literal.write(byte: UInt8(ascii: "\n"))
                case .histogram:
                    plan.addHistogram(
                        sample.source,
                        series: ExpositionPlan.HistogramSeries(
                            bucketPrefix: Self.bucketPrefix(family.base, sample.labels),
                            sumPrefix: Self.line(family.base + "_sum", sample.labels),
                            countPrefix: Self.line(family.base + "_count", sample.labels),
                            omitsSumWhenNegative: openMetrics))
                }
                if createdSamples, family.kind != .gauge {
                    plan.addCreated(sample.source, after: Self.line(family.base + "_created", sample.labels))
                    plan.literal.write(byte: UInt8(ascii: "\n"))
                }
            }
        }
        if openMetrics { plan.literal.write("# EOF\n") }
        return plan
    }

    /// `name{labels} ` (the value follows), or `{"name",labels} ` for a name
    /// the legacy syntax cannot hold.
    private static func line(_ name: String, _ labels: [UInt8]) -> [UInt8] {
        var writer = ExpositionWriter(capacity: name.utf8.count + labels.count + 16)
        if PrometheusNaming.needsQuotes(name, isMetricName: true) {
            writer.write(byte: UInt8(ascii: "{"))
            writer.write(quotedIfNeeded(name))
            if !labels.isEmpty {
                writer.write(byte: UInt8(ascii: ","))
                writer.write(labels)
            }
            writer.write(byte: UInt8(ascii: "}"))
        } else {
            writer.write(name)
            if !labels.isEmpty {
                writer.write(byte: UInt8(ascii: "{"))
                writer.write(labels)
                writer.write(byte: UInt8(ascii: "}"))
            }
        }
        writer.write(byte: UInt8(ascii: " "))
        return writer.bytes
    }

    /// `name_bucket{labels,le="` (the bound follows), or
    /// `{"name_bucket",labels,le="`.
    private static func bucketPrefix(_ base: String, _ labels: [UInt8]) -> [UInt8] {
        let name = base + "_bucket"
        var writer = ExpositionWriter(capacity: name.utf8.count + labels.count + 16)
        if PrometheusNaming.needsQuotes(name, isMetricName: true) {
            writer.write(byte: UInt8(ascii: "{"))
            writer.write(quotedIfNeeded(name))
            writer.write(byte: UInt8(ascii: ","))
        } else {
            writer.write(name)
            writer.write(byte: UInt8(ascii: "{"))
        }
        if !labels.isEmpty {
            writer.write(labels)
            writer.write(byte: UInt8(ascii: ","))
        }
        writer.write("le=\"")
        return writer.bytes
    }

    /// A metric name as `# HELP` and `# TYPE` write it: bare, or quoted.
    private static func quotedIfNeeded(_ name: String) -> [UInt8] {
        var result: [UInt8] = []
        appendName(name, isMetricName: true, to: &result)
        return result
    }

    /// Appends `name` bare when the legacy syntax holds it, otherwise in
    /// double quotes with backslash, double quote and newline escaped.
    private static func appendName(_ name: String, isMetricName: Bool, to result: inout [UInt8]) {
        guard PrometheusNaming.needsQuotes(name, isMetricName: isMetricName) else {
            result.append(contentsOf: name.utf8)
            return
        }
        result.append(UInt8(ascii: "\""))
        result.append(contentsOf: escapedLabelValue(name))
        result.append(UInt8(ascii: "\""))
    }
}
