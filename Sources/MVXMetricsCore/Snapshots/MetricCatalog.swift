#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a set of recorders measures: every registered metric's name, help,
/// dimensions, their kinds, units and labels, and every value an enumerated
/// label can take, so documentation and dashboards come from the code rather
/// than from a list kept by hand.
///
/// A catalog is read from snapshots, because a snapshot already holds every
/// series a metric can have: the cases of an ``OutcomeCounts`` or a
/// ``CaseCounts`` are there from the first one, at zero. A label whose
/// values are free-form (a ``LabelCounts``, recognised by its overflow series
/// ``LabelCounts/overflowLabelValue``) is listed as free-form, without the
/// values seen so far, which change from one run to the next.
///
/// ```swift
/// let catalog = MetricCatalog(runtime.snapshot())   // or recorder.catalog()
/// print(catalog.markdown)
/// let json = try catalog.jsonData(prettyPrinted: true)
/// ```
///
/// The values counted are left out, so the catalog of a program is the same
/// before and after it runs. The JSON form is documented in the Catalog
/// article.
public struct MetricCatalog: Sendable, Hashable, Codable {
    /// Every recorder, sorted by entity id.
    public var recorders: [Recorder]

    /// Creates a catalog of these recorders.
    public init(recorders: [Recorder]) {
        self.recorders = recorders
    }

    /// The catalog of the recorders these snapshots come from (a runtime's
    /// `snapshot()`), sorted by entity id.
    public init(_ snapshots: [RecorderSnapshot]) {
        recorders = snapshots.sorted { $0.entityID < $1.entityID }.map(Recorder.init)
    }

    /// The catalog of one recorder's snapshot.
    public init(_ snapshot: RecorderSnapshot) {
        self.init([snapshot])
    }

    /// The catalog as JSON: keys sorted (``MetricsJSON``), so the same code
    /// gives the same bytes and a checked-in copy diffs cleanly.
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        try MetricsJSON.encoder(prettyPrinted: prettyPrinted).encode(self)
    }
}

extension MetricCatalog {
    /// One recorder's metrics.
    public struct Recorder: Sendable, Hashable, Codable {
        /// The recorder's entity id, which exporters give every series as a
        /// label (`entity_id` in Prometheus).
        public var entityID: String
        /// The labels every series of the recorder carries.
        public var commonLabels: [String: String]
        /// Every metric, sorted by name.
        public var metrics: [MetricEntry]

        /// Creates a recorder's entry.
        public init(entityID: String, commonLabels: [String: String] = [:], metrics: [MetricEntry]) {
            self.entityID = entityID
            self.commonLabels = commonLabels
            self.metrics = metrics
        }

        /// The entry of a recorder's snapshot.
        public init(_ snapshot: RecorderSnapshot) {
            self.init(
                entityID: snapshot.entityID, commonLabels: snapshot.commonLabels,
                metrics: snapshot.metrics.sorted { $0.name < $1.name }.map(MetricEntry.init))
        }

        /// The entry of the metric with this name, if the recorder has one.
        public subscript(_ metricName: String) -> MetricEntry? {
            metrics.first { $0.name == metricName }
        }

        enum CodingKeys: String, CodingKey {
            case entityID = "entity_id"
            case commonLabels = "common_labels"
            case metrics
        }
    }

    /// One metric: its name, help and dimensions.
    public struct MetricEntry: Sendable, Hashable, Codable {
        /// The metric's name, such as `document_storage.save.attempts`.
        public var name: String
        /// The metric's help text, if it has one.
        public var help: String?
        /// How exporters name its dimensions.
        public var naming: MetricSnapshot.Naming
        /// Its dimensions, in the order the metric lists them, each name once.
        public var dimensions: [DimensionEntry]

        /// Creates a metric's entry.
        public init(
            name: String, help: String? = nil, naming: MetricSnapshot.Naming = .metricAndDimension,
            dimensions: [DimensionEntry]
        ) {
            self.name = name
            self.help = help
            self.naming = naming
            self.dimensions = dimensions
        }

        /// The entry of a metric's snapshot: its series grouped by dimension
        /// name, kind and unit, their label values gathered.
        public init(_ snapshot: MetricSnapshot) {
            var entries: [DimensionEntry] = []
            var builders: [[Label.Builder]] = []
            var index: [DimensionEntry.Key: Int] = [:]
            for dimension in snapshot.dimensions {
                let key = DimensionEntry.Key(
                    name: dimension.name, kind: Kind(dimension.value), unit: dimension.unit)
                let position: Int
                if let found = index[key] {
                    position = found
                } else {
                    position = entries.count
                    index[key] = position
                    entries.append(
                        DimensionEntry(
                            name: key.name, kind: key.kind, unit: key.unit, labels: [], partOf: dimension.partOf))
                    builders.append([])
                }
                for (name, value) in dimension.labels.sorted(by: { $0.key < $1.key }) {
                    if let label = builders[position].firstIndex(where: { $0.name == name }) {
                        builders[position][label].add(value)
                    } else {
                        var label = Label.Builder(name: name)
                        label.add(value)
                        builders[position].append(label)
                    }
                }
            }
            for position in entries.indices {
                entries[position].labels = builders[position].sorted { $0.name < $1.name }.map(\.label)
                let name = entries[position].name
                var parts: Parts?
                for entry in entries {
                    guard let part = entry.partOf, part.whole == name else { continue }
                    if parts == nil { parts = Parts(label: part.label, values: []) }
                    if parts?.label == part.label, parts?.values.contains(part.value) == false {
                        parts?.values.append(part.value)
                    }
                }
                entries[position].parts = parts
            }
            self.init(name: snapshot.name, help: snapshot.help, naming: snapshot.naming, dimensions: entries)
        }

        /// The entry of the dimension with this name, if the metric has one.
        public subscript(_ dimensionName: String) -> DimensionEntry? {
            dimensions.first { $0.name == dimensionName }
        }
    }

    /// One dimension of a metric, with every label its series carry.
    public struct DimensionEntry: Sendable, Hashable, Codable {
        /// The dimension's name within its metric, such as `success_total`.
        public var name: String
        /// What its value is.
        public var kind: Kind
        /// The unit of its value, if it has one.
        public var unit: MetricUnit?
        /// Its labels, sorted by name; empty for a single series.
        public var labels: [Label]
        /// The dimension this one is a part of, as in its snapshot
        /// (`MetricDimension.Part`): `success_total` is the part
        /// `outcome="success"` of `total`.
        public var partOf: MetricDimension.Part?
        /// The parts this dimension is split into, when others are parts of it:
        /// `total` is split by `outcome` into `success`, `failure`, …; an
        /// exporter with labelled series writes it as one family with that
        /// label.
        public var parts: Parts?

        /// Creates a dimension's entry.
        public init(
            name: String, kind: Kind, unit: MetricUnit? = nil, labels: [Label] = [],
            partOf: MetricDimension.Part? = nil, parts: Parts? = nil
        ) {
            self.name = name
            self.kind = kind
            self.unit = unit
            self.labels = labels
            self.partOf = partOf
            self.parts = parts
        }

        /// The entry of the label with this name, if the dimension has one.
        public subscript(label labelName: String) -> Label? {
            labels.first { $0.name == labelName }
        }

        struct Key: Hashable {
            let name: String
            let kind: Kind
            let unit: MetricUnit?
        }

        enum CodingKeys: String, CodingKey {
            case name, kind, unit, labels, parts
            case partOf = "part_of"
        }
    }

    /// What a dimension's value is, named as snapshot JSON names it
    /// (`DimensionValue.typeName`).
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A monotonic whole number: events, bytes.
        case counter
        /// A monotonic floating total, such as seconds.
        case sum
        /// A value that goes up and down.
        case gauge
        /// Observations summarised as a histogram.
        case distribution

        /// The kind of a value.
        public init(_ value: DimensionValue) {
            switch value {
            case .counter: self = .counter
            case .sum: self = .sum
            case .gauge: self = .gauge
            case .distribution: self = .distribution
            }
        }
    }

    /// A label of a dimension, with every value it can take, or free-form.
    public struct Label: Sendable, Hashable, Codable {
        /// The label's name, such as `reason`.
        public var name: String
        /// Every value the label takes, in the order the metric lists them
        /// (an enumeration's declaration order); `nil` when the label is
        /// free-form.
        public var values: [String]?

        /// Creates a label's entry; `values` nil for a free-form label.
        public init(name: String, values: [String]?) {
            self.name = name
            self.values = values
        }

        /// Whether the label's values are free-form: any value, up to a cap
        /// beyond which they are counted under
        /// ``LabelCounts/overflowLabelValue``.
        public var isFreeForm: Bool { values == nil }

        enum CodingKeys: String, CodingKey {
            case name, values
            case freeForm = "free_form"
        }

        /// Decodes `{"name":…,"values":[…]}` or `{"free_form":true,"name":…}`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            let freeForm = try container.decodeIfPresent(Bool.self, forKey: .freeForm) ?? false
            values = freeForm ? nil : try container.decode([String].self, forKey: .values)
        }

        /// Encodes the values, or `"free_form":true` instead of them.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            if let values {
                try container.encode(values, forKey: .values)
            } else {
                try container.encode(true, forKey: .freeForm)
            }
        }

        /// Gathers one label's values across a dimension's series.
        struct Builder {
            let name: String
            private var values: [String] = []
            private var seen: Set<String> = []

            init(name: String) { self.name = name }

            mutating func add(_ value: String) {
                if seen.insert(value).inserted { values.append(value) }
            }

            /// Free-form when an overflow series is among the values.
            var label: Label {
                Label(name: name, values: seen.contains(LabelCounts.overflowLabelValue) ? nil : values)
            }
        }
    }

    /// How a dimension is split into parts: the label, and each part's value.
    public struct Parts: Sendable, Hashable, Codable {
        /// The label that tells the parts apart, such as `outcome`.
        public var label: String
        /// Every part's value of ``label``, in the order the metric lists them.
        public var values: [String]

        /// Creates a split.
        public init(label: String, values: [String]) {
            self.label = label
            self.values = values
        }
    }
}
