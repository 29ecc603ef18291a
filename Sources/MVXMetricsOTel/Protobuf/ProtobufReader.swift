/// Reads the one message the exporter receives, `ExportMetricsServiceResponse`,
/// for its `partial_success`: how many data points the collector rejected,
/// and why. Anything it cannot read is treated as a response without one.
struct ProtobufReader {
    /// What a collector said it could not accept of a request it answered 200.
    struct PartialSuccess: Equatable {
        var rejectedDataPoints: Int64
        var errorMessage: String
    }

    /// The partial success in a response body, nil when there is none.
    static func partialSuccess(in body: [UInt8]) -> PartialSuccess? {
        var reader = ProtobufReader(body[...])
        var result: PartialSuccess?
        while let field = reader.next() {
            guard field.number == 1, case .bytes(let nested) = field.value else { continue }
            var inner = ProtobufReader(nested)
            var partial = PartialSuccess(rejectedDataPoints: 0, errorMessage: "")
            while let field = inner.next() {
                switch (field.number, field.value) {
                case (1, .varint(let value)): partial.rejectedDataPoints = Int64(bitPattern: value)
                case (2, .bytes(let text)): partial.errorMessage = String(decoding: text, as: UTF8.self)
                default: break
                }
            }
            result = partial
        }
        guard let result, result.rejectedDataPoints != 0 || !result.errorMessage.isEmpty else { return nil }
        return result
    }

    private enum FieldValue {
        case varint(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed
    }

    private var rest: ArraySlice<UInt8>

    private init(_ bytes: ArraySlice<UInt8>) { rest = bytes }

    private mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = rest.popFirst() {
            guard shift < 64 else { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    /// The next field, or nil at the end or at anything malformed.
    private mutating func next() -> (number: UInt64, value: FieldValue)? {
        guard let tag = varint() else { return nil }
        let number = tag >> 3
        switch tag & 7 {
        case 0:
            return varint().map { (number, .varint($0)) }
        case 1, 5:
            let size = tag & 7 == 1 ? 8 : 4
            guard rest.count >= size else { return nil }
            rest.removeFirst(size)
            return (number, .fixed)
        case 2:
            guard let length = varint(), length <= UInt64(rest.count) else { return nil }
            let bytes = rest.prefix(Int(length))
            rest.removeFirst(Int(length))
            return (number, .bytes(bytes))
        default:
            return nil
        }
    }
}
