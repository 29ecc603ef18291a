import MVXMetrics

/// Renders recorder snapshots as Prometheus text exposition (0.0.4) or
/// OpenMetrics 1.0.
///
/// ```swift
/// let exposition = PrometheusExposition(format: .text)
/// let text = exposition.render(runtime.snapshot())
/// ```
///
/// ## The mapping
///
/// - Each dimension of each metric becomes a family, named as
///   ``PrometheusNaming`` describes: `document_storage.save.bytes` with
///   dimension `total` becomes `document_storage_save_bytes_total`.
/// - Parts of a dimension (`MetricDimension.Part`: an outcome's
///   `success_total`, `failure_total`, …) become one family labelled by the
///   part, `document_storage_save_attempts_total{outcome="success"}`, and the
///   whole is left out, so `sum by (outcome)` and `sum()` both read true.
/// - Counters (`DimensionValue.counter` and `DimensionValue.sum`)
///   become `counter` families, gauges `gauge` families, distributions
///   `histogram` families (`_bucket` with `le`, including `+Inf`, `_sum`,
///   `_count`). Quantile estimates are not exposed: Prometheus computes its
///   own from the buckets.
/// - Every sample carries the dimension's labels, the recorder's entity id
///   as the label ``entityLabel`` (`entity_id` by default; `le`, which
///   histogram buckets use, becomes `le_2`), and the recorder's common labels
///   (`RecorderSnapshot.commonLabels`), in that precedence: a dimension label
///   wins over the entity label of the same name, and both over a common label.
/// - In OpenMetrics, every counter and histogram series has a `_created`
///   sample: the recorder's start (`RecorderSnapshot.startedAt`), when its
///   totals began, unless ``includesCreatedSamples`` is false.
/// - Names are escaped as ``nameEscaping`` says: underscores for every
///   scraper by default, UTF-8 kept when one asks for it
///   (``negotiated(accept:)``).
/// - `# HELP` is the metric's help text (or the metric and dimension names),
///   `# TYPE` the family type; OpenMetrics adds `# UNIT` for dimensions with a
///   unit and ends with `# EOF`.
/// - Each recorder's statistics are exposed as the metric `mvx.recorder`
///   (families `mvx_recorder_events_accepted_total`, …), unless
///   ``includesRecorderStatistics`` is false.
/// - Families are sorted by name and samples by label set, so the same state
///   renders to the same bytes. Label values and help text are escaped
///   (backslash, double quote, newline); non-ASCII text is kept as UTF-8.
///
/// ## Repeated scrapes
///
/// Keep one exposition and render every scrape with it: it remembers the
/// layout of what it rendered last (family names, `# HELP` and `# TYPE`
/// lines, label sets, their order and collision numbering, as bytes), and
/// while the snapshots keep that layout (the same recorders, metrics,
/// dimensions and label values) a render copies those bytes and formats the
/// numbers. A new metric, dimension or label value makes it lay the text out
/// again, once. What it remembers (one layout for each format, entity label,
/// escaping, statistics and created setting and family selection it rendered with, up to four) is about the size of
/// one exposition plus the snapshots it was laid out from. Copies of an
/// exposition share it, and an exposition may be used from any number of
/// threads at once.
///
/// The renderer writes the formats itself rather than through
/// swift-prometheus: it renders immutable snapshots (swift-prometheus renders
/// its own live instruments), it needs OpenMetrics as well as the text format,
/// and it must merge families across recorders deterministically.
public struct PrometheusExposition: Sendable {
    /// The format written.
    public var format: PrometheusFormat
    /// The label carrying each recorder's entity id.
    public var entityLabel: String
    /// Whether each recorder's statistics are rendered as `mvx_recorder_*` families.
    public var includesRecorderStatistics: Bool
    /// How names outside the legacy character set are written; a scrape's
    /// `Accept` header chooses it through ``negotiated(accept:)``.
    public var nameEscaping: PrometheusNameEscaping
    /// Whether OpenMetrics output has `_created` samples (the text format never
    /// has them). Prometheus 2 stores each as a series of its own, so a server
    /// that does not use them may be spared them.
    public var includesCreatedSamples: Bool
    /// The families to render, by name, or nil for all: what a scrape's
    /// `name[]` parameters ask for, as the official clients offer. A family is
    /// rendered when the set holds its family name in either format or one
    /// of its sample names (`x_total`, `x`, `x_bucket`, `x_count`, …); a name
    /// that matches nothing selects nothing.
    public var selectedFamilies: Set<String>?
    /// The layouts rendered last, shared by copies.
    private let cache = LayoutCache()

    /// Creates a renderer.
    public init(
        format: PrometheusFormat = .text, nameEscaping: PrometheusNameEscaping = .underscores,
        entityLabel: String = "entity_id", includesRecorderStatistics: Bool = true, includesCreatedSamples: Bool = true
    ) {
        self.format = format
        self.nameEscaping = nameEscaping
        self.entityLabel = entityLabel
        self.includesRecorderStatistics = includesRecorderStatistics
        self.includesCreatedSamples = includesCreatedSamples
    }

    /// The exposition of one recorder's snapshot.
    public func render(_ snapshot: RecorderSnapshot) -> String {
        render([snapshot])
    }

    /// The exposition of several recorders' snapshots (a whole runtime).
    public func render(_ snapshots: [RecorderSnapshot]) -> String {
        String(decoding: renderBytes(snapshots), as: UTF8.self)
    }

    /// `number` as the exposition writes it: whole numbers without a fraction
    /// (`1`, not `1.0`), others in Swift's shortest round-trip form (`0.005`,
    /// `1e-07`), and `NaN`, `+Inf`, `-Inf`; all as Go's `ParseFloat` reads them.
    public static func formatted(_ number: Double) -> String {
        var writer = ExpositionWriter(capacity: 24)
        writer.write(number)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The exposition as UTF-8 bytes, ready to send.
    public func renderBytes(_ snapshots: [RecorderSnapshot]) -> [UInt8] {
        let input = ExpositionInput(snapshots, includesRecorderStatistics: includesRecorderStatistics)
        let configuration = ExpositionLayout.Configuration(
            format: format, nameEscaping: nameEscaping, entityLabel: entityLabel,
            includesRecorderStatistics: includesRecorderStatistics,
            includesCreatedSamples: includesCreatedSamples && format == .openMetrics, selectedFamilies: selectedFamilies
        )
        return cache.layout(for: input, configuration).plan.render(input)
    }
}
