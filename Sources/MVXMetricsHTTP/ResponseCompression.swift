import CompressNIO
import MVXMetricsPrometheus
import NIOCore

/// gzip for the endpoint's responses, when the client's `Accept-Encoding`
/// allows it: Prometheus asks for it on every scrape, and exposition text,
/// with its repeated names and labels, shrinks to a fraction.
enum ResponseCompression {
    /// Bodies shorter than this go out as they are: gzip's own framing
    /// (18 bytes) and the work would outweigh what it saves.
    static let minimumSize = 256

    /// Whether `acceptEncoding` accepts gzip: `gzip` (or `x-gzip`) with a
    /// quality above zero, or, when neither is named, `*` with one.
    static func acceptsGzip(_ acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        var named: Bool?
        var wildcard = false
        for element in HTTPHeaderList(acceptEncoding).elements {
            switch element.value {
            case "gzip", "x-gzip": named = (named ?? false) || element.quality > 0
            case "*": wildcard = element.quality > 0
            default: continue
            }
        }
        return named ?? wildcard
    }

    /// `bytes` compressed with gzip, or nil if zlib failed (the caller then
    /// sends them uncompressed).
    static func gzip(_ bytes: [UInt8]) -> ByteBuffer? {
        var input = ByteBuffer(bytes: bytes)
        return try? input.compress(with: .gzip())
    }
}
