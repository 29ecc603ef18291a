import CompressNIO
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
        for item in acceptEncoding.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let coding = parts.first?.trimmingCharacters().lowercased() else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters().lowercased() == "q",
                    let value = Double(pair[1].trimmingCharacters())
                {
                    quality = value
                }
            }
            switch coding {
            case "gzip", "x-gzip": named = (named ?? false) || quality > 0
            case "*": wildcard = quality > 0
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

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
