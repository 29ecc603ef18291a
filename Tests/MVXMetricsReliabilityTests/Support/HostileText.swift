import PropertyBased

/// Text from every Unicode general category, and the characters exposition
/// formats treat specially.
enum HostileText {
    /// One scalar of each general category (Lu Ll Lt Lm Lo Mn Mc Me Nd Nl No Pc
    /// Pd Ps Pe Pi Pf Po Sm Sc Sk So Zs Zl Zp Cc Cf Co Cn), then the characters
    /// the formats escape or forbid.
    static let scalars: [Unicode.Scalar] = [
        "A", "z", "\u{01C5}", "\u{02B0}", "\u{4E2D}", "\u{0301}", "\u{0903}", "\u{20DD}", "7", "\u{2163}", "\u{00BD}",
        "_", "-", "(", ")", "\u{00AB}", "\u{00BB}", "!", "+", "$", "^", "\u{1F600}", " ", "\u{2028}", "\u{2029}",
        "\u{0000}", "\u{0007}", "\u{200B}", "\u{200D}", "\u{202E}", "\u{FEFF}", "\u{E000}", "\u{0378}", "\u{10FFFF}",
        "\"", "\\", "\n", "\r", "\t", "{", "}", "=", ",", "#", ".", ":",
    ]

    /// One of `scalars`, or any scalar at all.
    static var scalar: Generator<Unicode.Scalar, some SendableSequenceType> {
        zip(Gen.int(in: 0...99), Gen<UInt32>.value(in: 0...0x10_FFFF)).map { drawn -> Unicode.Scalar in
            let (pick, raw) = drawn
            if pick < 60 { return scalars[pick % scalars.count] }
            return Unicode.Scalar(raw) ?? "\u{FFFD}"
        }
    }

    /// Strings of up to `length` hostile scalars.
    static func string(of length: ClosedRange<Int>) -> Generator<String, some SendableSequenceType> {
        scalar.array(of: length).map { scalars in
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            return text
        }
    }

    /// Every scalar of `scalars` in one string, each also alone.
    static var samples: [String] {
        scalars.map { String(Character($0)) } + [String(String.UnicodeScalarView(scalars))]
    }
}
