/// Number formatting for the terminal view and the summary: fixed, locale-free
/// and short, so columns line up.
enum DemoFormat {
    /// `12,345`.
    static func count(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    /// `12,345` for a count given as a double (rounded).
    static func count(_ value: Double) -> String {
        count(UInt64(max(0, value.rounded())))
    }

    /// `812 B`, `4.2 KiB`, `3.9 MiB`.
    static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = max(0, value)
        var unit = 0
        while scaled >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        if unit == 0 { return "\(Int(scaled)) B" }
        return "\(fixed(scaled, digits: scaled < 10 ? 2 : 1)) \(units[unit])"
    }

    /// `48 µs`, `0.31 ms`, `2.1 ms`, `1.20 s`, from seconds.
    static func seconds(_ value: Double) -> String {
        if value < 0.001 { return "\(Int((value * 1_000_000).rounded())) µs" }
        if value < 1 { return "\(fixed(value * 1000, digits: value < 0.01 ? 2 : 1)) ms" }
        return "\(fixed(value, digits: 2)) s"
    }

    /// `value` with `digits` decimals, without Foundation's locale-dependent formatting.
    static func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// `text` padded with spaces to `width` on the left (numbers) or right (names).
    static func pad(_ text: String, _ width: Int, right: Bool = true) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
