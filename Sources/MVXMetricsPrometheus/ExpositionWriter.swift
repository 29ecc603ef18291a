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
        text.withUTF8Buffer { unsafe bytes.append(contentsOf: $0) }
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
        unsafe appendFormatted { unsafe NumberFormatting.write(value, to: $0) }
    }

    /// A number as ``NumberFormatting`` spells it.
    mutating func write(_ value: Double) {
        unsafe appendFormatted { unsafe NumberFormatting.write(value, to: $0) }
    }

    @inline(__always)
    private mutating func appendFormatted(_ format: (UnsafeMutablePointer<UInt8>) -> Int) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: NumberFormatting.maximumWidth))
        let written = unsafe bytes.withUnsafeMutableBufferPointer { unsafe format($0.baseAddress! + start) }
        bytes.removeLast(NumberFormatting.maximumWidth - written)
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
