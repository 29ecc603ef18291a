/// Writes numbers as the exposition formats spell them, straight into memory
/// the caller has reserved, so a scrape formats its values without building a
/// `String` for each.
enum NumberFormatting {
    /// Room that any value needs: a `UInt64` takes at most 20 bytes, a
    /// `Double`'s shortest round-trip form at most 24 (`-2.2250738585072014e-308`).
    static let maximumWidth = 32

    /// Writes `value` in decimal at `destination`; returns the bytes written.
    @inline(__always)
    static func write(_ value: UInt64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 10 {
            unsafe destination.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)
            return 1
        }
        var width = 1
        var bound: UInt64 = 10
        // Counting first lets the digits go straight to their place, last first.
        while width < 20, value >= bound {
            width += 1
            bound = bound &* 10
        }
        var rest = value
        var position = width
        while position > 0 {
            position -= 1
            let (quotient, digit) = rest.quotientAndRemainder(dividingBy: 10)
            unsafe destination[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digit)
            rest = quotient
        }
        return width
    }

    /// Writes a time in seconds with exactly three decimals
    /// (`1764750000.123`), from its whole milliseconds; returns the bytes
    /// written (at most 24).
    static func writeSeconds(milliseconds: Int64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0
        if milliseconds < 0 {
            unsafe destination.pointee = UInt8(ascii: "-")
            written = 1
        }
        let (seconds, fraction) = milliseconds.magnitude.quotientAndRemainder(dividingBy: 1000)
        unsafe written += write(seconds, to: destination + written)
        unsafe destination[written] = UInt8(ascii: ".")
        unsafe destination[written + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction / 100)
        unsafe destination[written + 2] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction / 10 % 10)
        unsafe destination[written + 3] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction % 10)
        return written + 4
    }

    /// Writes `value` as Go's `strconv.ParseFloat` reads it, at `destination`;
    /// returns the bytes written (at most ``maximumWidth``). Whole numbers have
    /// no fraction; `NaN`, `+Inf` and `-Inf` are spelled as Prometheus spells them.
    static func write(_ value: Double, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        if value.isNaN { return unsafe copy("NaN", to: destination) }
        if value == .infinity { return unsafe copy("+Inf", to: destination) }
        if value == -.infinity { return unsafe copy("-Inf", to: destination) }
        if value == value.rounded(), value.magnitude < 1e15 {
            if value < 0 {
                unsafe destination.pointee = UInt8(ascii: "-")
                return unsafe 1 + write(UInt64(-value), to: destination + 1)
            }
            return unsafe write(UInt64(value), to: destination)
        }
        var text = value.description
        return text.withUTF8 { utf8 in
            let count = min(utf8.count, maximumWidth)
            unsafe destination.update(from: utf8.baseAddress!, count: count)
            return count
        }
    }

    @inline(__always)
    private static func copy(_ text: StaticString, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        unsafe destination.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return text.utf8CodeUnitCount
    }
}
