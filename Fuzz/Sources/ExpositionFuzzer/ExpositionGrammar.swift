import MVXMetricsPrometheus

/// A strict, in-process reader of what the renderer writes, line by line, in
/// either format: cheap enough to run on every fuzz input, where the real
/// parsers (promtool, prometheus_client) run only on the corpus afterwards.
///
/// It accepts a subset of each format: exactly the shapes the renderer
/// promises (`# HELP`, `# TYPE`, `# UNIT` in OpenMetrics, then the family's
/// samples without timestamps; OpenMetrics ends with `# EOF`), with the
/// formats' name and escaping rules, one metadata block per family, samples
/// named after their family, no label named twice and no series written twice.
struct ExpositionGrammar {
    /// Why an exposition was refused: the line (from 1) and what is wrong.
    struct Violation: Error {
        var line: Int
        var reason: String
    }

    /// The family being read.
    private struct Family {
        var name: String
        var type: String?
        var hasUnit = false
        var samples = 0
    }

    let format: PrometheusFormat
    /// Whether a bucket series may repeat: the renderer writes a
    /// distribution's buckets as the snapshot gives them, and a hostile one
    /// (see ``FuzzedExposition/isHostile``) can repeat a bound or give `+Inf`.
    var allowsRepeatedBuckets = false

    /// The label values found (unescaped), apart from histogram bucket bounds.
    func labelValues(of exposition: [UInt8]) throws(Violation) -> Set<String> {
        var lines = exposition.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.last?.isEmpty == true || exposition.isEmpty else {
            throw Violation(line: lines.count, reason: "the exposition does not end with a newline")
        }
        lines.removeLast()
        if format == .openMetrics {
            guard lines.last.map(Array.init) == Array("# EOF".utf8) else {
                throw Violation(line: lines.count, reason: "OpenMetrics does not end with # EOF")
            }
            lines.removeLast()
        }
        var values: Set<String> = []
        var families: Set<String> = []
        var series: Set<[UInt8]> = []
        // The family each sample name belongs to.
        var owners: [String: String] = [:]
        var family: Family?
        for (index, line) in lines.enumerated() {
            let number = index + 1
            func violation(_ reason: String) -> Violation { Violation(line: number, reason: reason) }
            var reader = LineReader(bytes: Array(line))
            if reader.skip("#") {
                guard reader.skip(" ") else { throw violation("a comment the renderer never writes") }
                let keyword = reader.word()
                guard reader.skip(" "), let name = reader.metricName(), reader.skip(" ") else {
                    throw violation("malformed # \(keyword) line")
                }
                switch keyword {
                case "HELP":
                    if let family, family.samples == 0 { throw violation("family \(family.name) has no samples") }
                    guard families.insert(name).inserted else { throw violation("a second # HELP for \(name)") }
                    guard !reader.isAtEnd else { throw violation("empty help for \(name)") }
                    guard reader.escapedText(quotesEscaped: format == .openMetrics, until: nil) != nil,
                        reader.isAtEnd
                    else { throw violation("help text with a bad escape or a raw quote") }
                    family = Family(name: name)
                case "TYPE":
                    guard family?.name == name, family?.type == nil else {
                        throw violation("# TYPE \(name) does not follow its # HELP")
                    }
                    let type = reader.word()
                    guard ["counter", "gauge", "histogram"].contains(type), reader.isAtEnd else {
                        throw violation("unexpected type \(type)")
                    }
                    if format == .text, type == "counter", !name.hasSuffix("_total") {
                        throw violation("a text-format counter family not named *_total")
                    }
                    family?.type = type
                case "UNIT" where format == .openMetrics:
                    guard family?.name == name, family?.type != nil, family?.hasUnit == false,
                        family?.samples == 0
                    else { throw violation("# UNIT \(name) out of place") }
                    let unit = reader.word()
                    guard !unit.isEmpty, reader.isAtEnd, name.hasSuffix("_" + unit) else {
                        throw violation("unit \(unit) that is not the suffix of \(name)")
                    }
                    family?.hasUnit = true
                default:
                    throw violation("unexpected # \(keyword)")
                }
                continue
            }
            guard let current = family, let type = current.type else {
                throw violation("a sample outside a family")
            }
            guard let name = reader.metricName() else { throw violation("bad sample name") }
            let suffix = name.hasPrefix(current.name) ? String(name.dropFirst(current.name.count)) : nil
            let allowed: [String] =
                switch (type, format) {
                case ("histogram", .openMetrics): ["_bucket", "_sum", "_count", "_created"]
                case ("histogram", _): ["_bucket", "_sum", "_count"]
                case ("counter", .openMetrics): ["_total", "_created"]
                default: [""]
                }
            guard let suffix, allowed.contains(suffix) else {
                throw violation("sample \(name) is not one of family \(current.name)'s")
            }
            var labels: [(name: String, value: [UInt8])] = []
            if reader.skip("{") {
                repeat {
                    guard let labelName = reader.labelName(), reader.skip("=\""),
                        let value = reader.escapedText(quotesEscaped: true, until: UInt8(ascii: "\""))
                    else { throw violation("malformed label") }
                    guard !labels.contains(where: { $0.name == labelName }) else {
                        throw violation("label \(labelName) twice")
                    }
                    labels.append((labelName, value))
                } while reader.skip(",")
                guard reader.skip("}") else { throw violation("labels not closed") }
            }
            let isBucket = type == "histogram" && suffix == "_bucket"
            if isBucket {
                var bound = LineReader(bytes: labels.first(where: { $0.name == "le" })?.value ?? [])
                guard bound.isNumber() else { throw violation("a bucket without a numeric le") }
            }
            for label in labels where !(isBucket && label.name == "le") {
                values.insert(String(decoding: label.value, as: UTF8.self))
            }
            guard reader.skip(" ") else { throw violation("no space before the value") }
            let isCount = type == "histogram" && suffix != "_sum" && suffix != "_created"
            guard isCount ? reader.isWholeNumber() : reader.isNumber() else {
                throw violation("bad value")
            }
            guard owners[name, default: current.name] == current.name else {
                throw violation("sample name \(name) used by families \(owners[name]!) and \(current.name)")
            }
            owners[name] = current.name
            // Length-prefixed, as a label value may hold any byte.
            var key = Array(name.utf8)
            for label in labels.sorted(by: { $0.name < $1.name }) {
                for part in [Array(label.name.utf8), label.value] {
                    key.append(contentsOf: withUnsafeBytes(of: UInt32(part.count).littleEndian, Array.init))
                    key.append(contentsOf: part)
                }
            }
            guard series.insert(key).inserted || (isBucket && allowsRepeatedBuckets) else {
                throw violation("series written twice")
            }
            family?.samples += 1
        }
        if let family, family.samples == 0 {
            throw Violation(line: lines.count, reason: "family \(family.name) has no samples")
        }
        return values
    }
}

/// A cursor over one line's bytes.
private struct LineReader {
    let bytes: [UInt8]
    var position = 0

    var isAtEnd: Bool { position == bytes.count }

    mutating func skip(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        let matches = text.withUTF8Buffer { $0.elementsEqual(bytes[position..<position + count]) }
        if matches { position += count }
        return matches
    }

    /// Bytes up to the next space or the end.
    mutating func word() -> String {
        let start = position
        while position < bytes.count, bytes[position] != UInt8(ascii: " ") { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    mutating func metricName() -> String? {
        name { $0 == UInt8(ascii: ":") }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with the reserved `__`.
    mutating func labelName() -> String? {
        guard let name = name({ _ in false }), !name.hasPrefix("__") else { return nil }
        return name
    }

    private mutating func name(_ alsoAllowed: (UInt8) -> Bool) -> String? {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isLetter || byte == UInt8(ascii: "_") || alsoAllowed(byte) || (isDigit && position > start) else {
                break
            }
            position += 1
        }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// Escaped text up to `terminator` (consumed) or the end: `\\`, `\n` and,
    /// with `quotesEscaped`, `\"` are the only escapes, and a raw quote is
    /// refused there. Returns the unescaped bytes.
    mutating func escapedText(quotesEscaped: Bool, until terminator: UInt8?) -> [UInt8]? {
        var text: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == terminator { return text }
            switch byte {
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { return nil }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "\\"): text.append(escaped)
                case UInt8(ascii: "n"): text.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "\"") where quotesEscaped: text.append(escaped)
                default: return nil
                }
            case UInt8(ascii: "\"") where quotesEscaped:
                return nil
            default:
                text.append(byte)
            }
        }
        return terminator == nil ? text : nil
    }

    /// The rest of the line is `NaN`, `+Inf`, `-Inf` or
    /// `-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?`.
    mutating func isNumber() -> Bool {
        if skip("NaN") || skip("+Inf") || skip("-Inf") { return isAtEnd }
        _ = skip("-")
        guard digits() else { return false }
        if skip("."), !digits() { return false }
        if skip("e") {
            if !skip("+") { _ = skip("-") }
            guard digits() else { return false }
        }
        return isAtEnd
    }

    /// The rest of the line is `[0-9]+`.
    mutating func isWholeNumber() -> Bool {
        digits() && isAtEnd
    }

    private mutating func digits() -> Bool {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            position += 1
        }
        return position > start
    }
}
