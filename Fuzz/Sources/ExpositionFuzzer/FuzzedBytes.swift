/// The fuzzer's bytes read as a stream of choices, so that every input, of
/// any length, decodes to some snapshots and a small change of the bytes is a
/// small change of the snapshots (which is what lets coverage guide the
/// search). Past the end every read returns zero.
struct FuzzedBytes {
    /// Scalars the exposition formats escape, forbid or treat specially, and
    /// one of each Unicode general category (as the reliability suite's
    /// `HostileText` lists them).
    static let hostileScalars: [Unicode.Scalar] = [
        "\"", "\\", "\n", "\r", "\t", "{", "}", "=", ",", "#", ".", ":", " ", "\u{0000}", "\u{0007}", "\u{007F}",
        "\u{0085}", "\u{00A0}", "\u{01C5}", "\u{02B0}", "\u{4E2D}", "\u{0301}", "\u{0903}", "\u{20DD}", "\u{2163}",
        "\u{00BD}", "\u{00AB}", "\u{00BB}", "\u{1F600}", "\u{2028}", "\u{2029}", "\u{200B}", "\u{200D}", "\u{202E}",
        "\u{FEFF}", "\u{E000}", "\u{0378}", "\u{FFFD}", "\u{10FFFF}", "\u{3000}", "\u{1680}",
    ]

    /// Words that mean something to the renderer or the formats: reserved
    /// label names, family suffixes, neutral dimension names, units, the
    /// statistics metric.
    static let tokens: [String] = [
        "le", "entity_id", "quantile", "__name__", "_", "__", "total", "value", "distribution", "_total", "_bucket",
        "_sum", "_count", "_created", "seconds", "bytes", "ratio", "mvx.recorder", "mvx_recorder",
        "events_accepted_total", "events_pending", "success_total", "a.b", "a_b", "NaN", "+Inf", "# EOF", "1",
    ]

    private let bytes: [UInt8]
    private var position = 0
    /// Strings read so far, so a later read can repeat one (names and label
    /// values that collide are where renderers go wrong).
    private var earlierStrings: [String] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next byte, or zero past the end.
    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A number in `0..<bound` (`bound` at most 256).
    mutating func below(_ bound: Int) -> Int {
        Int(byte()) % bound
    }

    mutating func bool() -> Bool {
        byte() & 1 == 1
    }

    /// Eight bytes, little-endian.
    mutating func uint64() -> UInt64 {
        (0..<8).reduce(0) { value, shift in value | UInt64(byte()) << (8 * UInt64(shift)) }
    }

    /// A counter value: small, the largest, or any.
    mutating func count() -> UInt64 {
        switch below(4) {
        case 0: UInt64(byte())
        case 1: .max
        case 2: uint64() >> 32
        default: uint64()
        }
    }

    /// Any `Double`: the special values, the edges of the renderer's integer
    /// formatting, small numbers, and any bit pattern.
    mutating func number() -> Double {
        let specials: [Double] = [
            .nan, .infinity, -.infinity, 0, -0.0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            .leastNonzeroMagnitude, -.leastNormalMagnitude, .leastNormalMagnitude, 1e15, 1e15 - 1, -(1e15 - 1),
            9_007_199_254_740_994, 18_446_744_073_709_551_616, 0.1, 1e-7, 0.5, 0.99, -2.2250738585072014e-308,
        ]
        let pick = byte()
        switch pick % 4 {
        case 0: return specials[Int(pick >> 2) % specials.count]
        case 1: return Double(Int8(bitPattern: byte()))
        case 2: return Double(Int16(bitPattern: UInt16(byte()) | UInt16(byte()) << 8)) / Double(Int(byte()) + 1)
        default: return Double(bitPattern: uint64())
        }
    }

    /// A string: fresh (up to 23 scalars, ASCII or hostile), a token, or one
    /// read before.
    mutating func string() -> String {
        let pick = byte()
        if pick >= 0xE0, !earlierStrings.isEmpty { return earlierStrings[Int(pick) % earlierStrings.count] }
        if pick >= 0xC0 { return Self.tokens[Int(pick) % Self.tokens.count] }
        var text = ""
        for _ in 0..<(Int(pick) % 24) { text.unicodeScalars.append(scalar()) }
        earlierStrings.append(text)
        return text
    }

    /// One scalar: ASCII for a byte below 0x80 (control characters too), a
    /// hostile one, or any scalar at all.
    private mutating func scalar() -> Unicode.Scalar {
        let pick = byte()
        if pick < 0x80 { return Unicode.Scalar(pick) }
        if pick < 0xF0 { return Self.hostileScalars[Int(pick - 0x80) % Self.hostileScalars.count] }
        let raw = UInt32(byte()) | UInt32(byte()) << 8 | UInt32(byte() % 0x11) << 16
        return Unicode.Scalar(raw) ?? "\u{FFFD}"
    }
}
