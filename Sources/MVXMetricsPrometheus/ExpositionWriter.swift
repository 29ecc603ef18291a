import MVXMetrics

/// Appends exposition text to a byte buffer: escaping and number formatting
/// as both formats require.
struct ExpositionWriter {
    var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func write(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    @inline(__always)
    mutating func write(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    @inline(__always)
    mutating func write(byte: UInt8) {
        bytes.append(byte)
    }

    /// Help text: backslash and newline escaped; in OpenMetrics, double quotes too.
    mutating func writeHelp(_ text: String, escapingQuotes: Bool) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): write("\\\\")
            case UInt8(ascii: "\n"): write("\\n")
            case UInt8(ascii: "\""): if escapingQuotes { write("\\\"") } else { bytes.append(byte) }
            default: bytes.append(byte)
            }
        }
    }

    /// A whole number.
    mutating func write(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[23 - count] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// A number as Go's `strconv.ParseFloat` reads it: whole numbers without
    /// a fraction, `NaN`, `+Inf` and `-Inf` spelled as Prometheus spells them.
    mutating func write(_ value: Double) {
        if value.isNaN {
            write("NaN")
        } else if value == .infinity {
            write("+Inf")
        } else if value == -.infinity {
            write("-Inf")
        } else if value == value.rounded(), value.magnitude < 1e15 {
            if value < 0 {
                write(byte: UInt8(ascii: "-"))
                write(UInt64(-value))
            } else {
                write(UInt64(value))
            }
        } else {
            write(value.description)
        }
    }
}

/// A label value escaped for both formats: backslash, double quote and newline.
func escapedLabelValue(_ value: String) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(value.utf8.count)
    for byte in value.utf8 {
        switch byte {
        case UInt8(ascii: "\\"): result.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case UInt8(ascii: "\""): result.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\n"): result.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        default: result.append(byte)
        }
    }
    return result
}
