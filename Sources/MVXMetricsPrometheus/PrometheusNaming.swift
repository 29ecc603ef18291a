/// How MVX names become Prometheus names: the documented, deterministic mapping.
///
/// A dimension of a metric becomes one metric *family*:
///
/// 1. The metric name's dots become underscores:
///    `document_storage.save.attempts` → `document_storage_save_attempts`.
/// 2. The dimension name is appended with an underscore, unless it is one of
///    the neutral names `total`, `value` and `distribution`:
///    `refused_total` → `document_storage_save_attempts_refused_total`. A
///    dimension that is a part of another (`success_total`, the part
///    `outcome="success"` of `total`) is named as its whole and carries the
///    part's label: `document_storage_save_attempts_total{outcome="success"}`.
/// 3. For a counter, a trailing `_total` is set aside (and put back in step 5),
///    unless it is the whole name.
/// 4. If the dimension has a unit and the name does not already end with
///    `_<unit>`, the unit is appended: a duration distribution `seconds`
///    becomes `…_duration_seconds`; `document_storage_save_bytes` keeps its name.
/// 5. Counters end with `_total` (the sample name, and in the text format the
///    family name too).
///
/// A metric whose snapshot names its dimensions alone
/// (`MetricSnapshot.Naming.dimension`, as the swift-metrics bridge's do)
/// starts from the dimension name in step 1 and skips step 2:
/// `http_server_request_duration` in seconds becomes
/// `http_server_request_duration_seconds`, `hb_requests` becomes
/// `hb_requests_total`.
///
/// Any character the formats forbid is replaced by `_`, and a name starting
/// with a digit is prefixed with `_`. Label names follow the same rule, and a
/// label name starting with `__` (reserved by Prometheus) loses underscores
/// until it starts with one. If two labels of a dimension map to the same
/// name, or a histogram's label maps to `le`, the first in byte order of the
/// original names keeps it and the others get `_2`, `_3`, … (see
/// ``distinctLabelNames(_:reserved:)``), so a series never repeats a label.
///
/// When a scraper negotiates UTF-8 names (``PrometheusNameEscaping/allowUTF8``),
/// step 1 and the character replacement are skipped and every other step is
/// the same: `document_storage.save.attempts_total`, a label `status.code`; a
/// name that ends with its unit after a dot (`document_storage.save.bytes`)
/// is not given it again.
/// Only a leading `__` is still removed from label names.
///
/// If two different dimensions map to the same family name, the first in
/// sorted order (by metric name, then dimension order) keeps it and the others
/// get `_2`, `_3`, … before their suffixes, so no two families ever merge by
/// accident.
public enum PrometheusNaming {
    /// The dimension names that add nothing to a family name.
    public static let neutralDimensionNames: Set<String> = ["total", "value", "distribution"]

    /// The family's base name (without the counter suffix) for a dimension of a metric.
    public static func baseName(metric: String, dimension: String, unit: String?, isCounter: Bool) -> String {
        var name = sanitizedMetricName(metric.replacingDots())
        if !neutralDimensionNames.contains(dimension) {
            name += "_" + sanitizedMetricName(dimension)
        }
        return finished(name, unit: unit, isCounter: isCounter)
    }

    /// The family's base name (without the counter suffix) for a dimension
    /// named alone (`MetricSnapshot.Naming.dimension`): the metric that holds
    /// it only groups such dimensions.
    public static func baseName(dimension: String, unit: String?, isCounter: Bool) -> String {
        finished(sanitizedMetricName(dimension), unit: unit, isCounter: isCounter)
    }

    /// ``baseName(metric:dimension:unit:isCounter:)`` under `escaping`.
    static func baseName(
        metric: String, dimension: String, unit: String?, isCounter: Bool, escaping: PrometheusNameEscaping
    ) -> String {
        guard escaping == .allowUTF8 else {
            return baseName(metric: metric, dimension: dimension, unit: unit, isCounter: isCounter)
        }
        var name = metric.isEmpty ? "_" : metric
        if !neutralDimensionNames.contains(dimension) { name += "_" + dimension }
        return finished(name, unit: unit, isCounter: isCounter)
    }

    /// ``baseName(dimension:unit:isCounter:)`` under `escaping`.
    static func baseName(
        dimension: String, unit: String?, isCounter: Bool, escaping: PrometheusNameEscaping
    )
        -> String
    {
        guard escaping == .allowUTF8 else { return baseName(dimension: dimension, unit: unit, isCounter: isCounter) }
        return finished(dimension.isEmpty ? "_" : dimension, unit: unit, isCounter: isCounter)
    }

    /// A label name made valid under `escaping`: ``sanitizedLabelName(_:)``,
    /// or with UTF-8 allowed only non-empty and without a leading `__`.
    static func labelName(_ name: String, escaping: PrometheusNameEscaping) -> String {
        guard escaping == .allowUTF8 else { return sanitizedLabelName(name) }
        var result = name
        while result.hasPrefix("__") { result.removeFirst() }
        return result.isEmpty ? "_" : result
    }

    /// Whether `name` must be quoted: it is outside the legacy syntax
    /// (`[a-zA-Z_:][a-zA-Z0-9_:]*` for metric names, without `:` for labels).
    static func needsQuotes(_ name: String, isMetricName: Bool) -> Bool {
        guard let first = name.utf8.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return true
        }
        return !name.utf8.allSatisfy { isNameByte($0) || (isMetricName && $0 == UInt8(ascii: ":")) }
    }

    /// Steps 3 and 4: the counter suffix set aside, the unit appended.
    private static func finished(_ name: String, unit: String?, isCounter: Bool) -> String {
        var name = name
        // Unless it is the whole name: OpenMetrics would get an empty family name.
        if isCounter, name.hasSuffix("_total"), name.utf8.count > 6 { name.removeLast(6) }
        if let unit, !unit.isEmpty {
            let unit = sanitizedMetricName(unit)
            // A UTF-8 name may end with the unit after a dot (`save.bytes`).
            if !name.hasSuffix("_" + unit), !name.hasSuffix("." + unit) { name += "_" + unit }
        }
        return name
    }

    /// `name` with every character outside `[a-zA-Z0-9_]` replaced by `_`, and
    /// `_` put in front of a leading digit.
    public static func sanitizedMetricName(_ name: String) -> String {
        // One underscore per character, not per UTF-8 byte.
        var result = name.utf8.allSatisfy(isNameByte) ? name : String(decoding: collapse(name), as: UTF8.self)
        if result.isEmpty { result = "_" }
        if let first = result.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
            result = "_" + result
        }
        return result
    }

    /// A label name made valid: like metric names, and without a leading `__`.
    public static func sanitizedLabelName(_ name: String) -> String {
        var result = sanitizedMetricName(name)
        while result.hasPrefix("__") { result.removeFirst() }
        return result
    }

    /// The sanitized names of one dimension's labels, paired with the original
    /// names, distinct from each other and from `reserved` (`le` for a
    /// histogram): in byte order of the original names, a name already taken
    /// gets the first free suffix of `_2`, `_3`, …
    public static func distinctLabelNames(
        _ names: some Sequence<String>, reserved: Set<String> = []
    ) -> [(original: String, sanitized: String)] {
        distinctLabelNames(names, reserved: reserved, escaping: .underscores)
    }

    /// ``distinctLabelNames(_:reserved:)`` under `escaping`.
    static func distinctLabelNames(
        _ names: some Sequence<String>, reserved: Set<String>, escaping: PrometheusNameEscaping
    ) -> [(original: String, sanitized: String)] {
        let originals = names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var taken = reserved
        var result: [(original: String, sanitized: String)] = []
        result.reserveCapacity(originals.count)
        for original in originals {
            let base = labelName(original, escaping: escaping)
            var candidate = base
            var suffix = 1
            while taken.contains(candidate) {
                suffix += 1
                // `_` + `_2` would start with the reserved `__`.
                candidate = labelName(base + "_\(suffix)", escaping: escaping)
            }
            taken.insert(candidate)
            result.append((original, candidate))
        }
        return result
    }

    private static func collapse(_ name: String) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            if scalar.isASCII, isNameByte(UInt8(scalar.value)) {
                result.append(UInt8(scalar.value))
            } else {
                result.append(UInt8(ascii: "_"))
            }
        }
        return result
    }

    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }
}

extension String {
    fileprivate func replacingDots() -> String {
        String(decoding: utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
    }
}
