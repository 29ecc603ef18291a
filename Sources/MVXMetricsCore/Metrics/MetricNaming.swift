/// The naming rules for metrics, event types, dimensions, labels and units.
///
/// Names are checked when a metric is registered, so a bad name is a typed
/// ``MetricsError`` with code ``MetricsError/Code/invalidName`` rather than a
/// surprise in an exporter. The rules are strict enough that every exporter can
/// map a name without loss:
///
/// | name | rule | example |
/// | --- | --- | --- |
/// | metric name, event type | dot-separated segments, each `[a-z][a-z0-9_]*`; at most 200 characters | `document_storage.save.attempts` |
/// | dimension name | `[a-z][a-z0-9_]*`; at most 100 characters | `success_total` |
/// | label name | `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`; at most 100 characters | `reason` |
/// | label value | any string | `tls` |
/// | unit | `[a-z][a-z0-9_]*` | `seconds` |
///
/// Prometheus turns the dots of a metric name into underscores
/// (`document_storage_save_attempts`); OpenTelemetry keeps them.
public enum MetricNaming {
    /// The longest allowed metric name or event type.
    public static let maximumNameLength = 200
    /// The longest allowed dimension or label name.
    public static let maximumPartLength = 100

    /// Whether `name` is a valid metric name or event type.
    public static func isValidMetricName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= maximumNameLength else { return false }
        var atSegmentStart = true
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if atSegmentStart { return false }
                atSegmentStart = true
                continue
            }
            if atSegmentStart {
                guard isLowercaseLetter(byte) else { return false }
                atSegmentStart = false
            } else if !(isLowercaseLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_")) {
                return false
            }
        }
        return !atSegmentStart
    }

    /// Whether `name` is a valid dimension name or unit.
    public static func isValidDimensionName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= maximumPartLength, isLowercaseLetter(first) else {
            return false
        }
        return bytes.allSatisfy { isLowercaseLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// Whether `name` is a valid label name.
    public static func isValidLabelName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= maximumPartLength,
            isLetter(first) || first == UInt8(ascii: "_"), !name.hasPrefix("__")
        else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// Throws ``MetricsError/Code/invalidName`` unless `name` is a valid metric name.
    public static func validateMetricName(_ name: String) throws(MetricsError) {
        guard isValidMetricName(name) else {
            throw MetricsError(
                .invalidName,
                "invalid metric name \(quoted(name)): use dot-separated segments of lowercase letters, digits and underscores, each starting with a letter, at most \(maximumNameLength) characters (e.g. \"document_storage.save.attempts\")"
            )
        }
    }

    /// Throws ``MetricsError/Code/invalidName`` unless `eventType` is a valid event type.
    public static func validateEventType(_ eventType: String) throws(MetricsError) {
        guard isValidMetricName(eventType) else {
            throw MetricsError(
                .invalidName,
                "invalid event type \(quoted(eventType)): use dot-separated segments of lowercase letters, digits and underscores, each starting with a letter, at most \(maximumNameLength) characters (e.g. \"document_storage.save.attempt\")"
            )
        }
    }

    /// Throws ``MetricsError/Code/invalidName`` unless `name` is a valid dimension name.
    public static func validateDimensionName(_ name: String, metric: String) throws(MetricsError) {
        guard isValidDimensionName(name) else {
            throw MetricsError(
                .invalidName,
                "metric \(quoted(metric)) has an invalid dimension name \(quoted(name)): use lowercase letters, digits and underscores, starting with a letter (e.g. \"success_total\")"
            )
        }
    }

    /// Throws ``MetricsError/Code/invalidName`` unless `name` is a valid label name.
    public static func validateLabelName(_ name: String, metric: String) throws(MetricsError) {
        guard isValidLabelName(name) else {
            throw MetricsError(
                .invalidName,
                "metric \(quoted(metric)) has an invalid label name \(quoted(name)): use letters, digits and underscores, starting with a letter or one underscore (e.g. \"reason\")"
            )
        }
    }

    /// Throws ``MetricsError/Code/invalidName`` unless `unit` is a valid unit.
    public static func validateUnit(_ unit: MetricUnit, metric: String) throws(MetricsError) {
        guard isValidDimensionName(unit.name) else {
            throw MetricsError(
                .invalidName,
                "metric \(quoted(metric)) has an invalid unit \(quoted(unit.name)): use lowercase letters, digits and underscores, starting with a letter (e.g. \"seconds\")"
            )
        }
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        isLowercaseLetter(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    package static func quoted(_ text: String) -> String {
        // Names may be hostile; keep messages on one line and bounded.
        let shown = text.count > 80 ? String(text.prefix(80)) + "…" : text
        return "\"" + shown.replacingNewlines() + "\""
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        var result = ""
        for character in self {
            switch character {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\"": result += "\\\""
            default: result.append(character)
            }
        }
        return result
    }
}
