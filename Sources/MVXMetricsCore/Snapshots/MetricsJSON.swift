#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The JSON configuration that makes snapshot documents stable.
///
/// Use these when you encode or decode snapshots yourself (for example a
/// `[RecorderSnapshot]` of a whole runtime), so the output matches
/// ``RecorderSnapshot/jsonData(prettyPrinted:)``: keys sorted, non-finite numbers
/// as the strings `"NaN"`, `"+Inf"` and `"-Inf"`.
public enum MetricsJSON {
    /// A new encoder configured for stable snapshot JSON.
    public static func encoder(prettyPrinted: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return encoder
    }

    /// A new decoder that reads what ``encoder(prettyPrinted:)`` writes.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return decoder
    }
}
