/// Protocol Buffers' wire format, written by hand for the few OTLP messages the
/// exporter sends, so that the target needs neither swift-protobuf nor its
/// generated code.
///
/// Fields are written in the order the caller gives; a nested message is
/// written into its own writer first and then as a length-delimited field.
/// Default values (zero, empty) are left out, as proto3 does.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
    }

    private mutating func tag(_ field: UInt64, _ type: WireType) {
        varint(field << 3 | type.rawValue)
    }

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func littleEndian(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// A `string` field; left out when empty.
    mutating func string(_ field: UInt64, _ value: String) {
        guard !value.isEmpty else { return }
        stringAlways(field, value)
    }

    /// A `string` field written even when empty: a `oneof` member, where an
    /// empty string still says which member is set.
    mutating func stringAlways(_ field: UInt64, _ value: String) {
        tag(field, .lengthDelimited)
        varint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// A nested message field, written even when empty (presence matters for
    /// the `oneof` of a metric's data and of a value).
    mutating func message(_ field: UInt64, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        tag(field, .lengthDelimited)
        varint(UInt64(nested.bytes.count))
        bytes.append(contentsOf: nested.bytes)
    }

    /// A `fixed64` field; left out when zero.
    mutating func fixed64(_ field: UInt64, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, .fixed64)
        littleEndian(value)
    }

    /// An `sfixed64` field written even when zero: it is a member of a
    /// `oneof`, where a zero says which member is set.
    mutating func sfixed64Always(_ field: UInt64, _ value: Int64) {
        tag(field, .fixed64)
        littleEndian(UInt64(bitPattern: value))
    }

    /// A `double` field written even when zero, for `oneof` members and
    /// `optional` fields, whose presence is meaningful.
    mutating func doubleAlways(_ field: UInt64, _ value: Double) {
        tag(field, .fixed64)
        littleEndian(value.bitPattern)
    }

    /// An enum or `bool` field (both varints); left out when zero.
    mutating func enumeration(_ field: UInt64, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, .varint)
        varint(value)
    }

    /// A packed `repeated fixed64` field; left out when empty.
    mutating func packedFixed64(_ field: UInt64, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        tag(field, .lengthDelimited)
        varint(UInt64(values.count * 8))
        for value in values { littleEndian(value) }
    }

    /// A packed `repeated double` field; left out when empty.
    mutating func packedDouble(_ field: UInt64, _ values: [Double]) {
        packedFixed64(field, values.map(\.bitPattern))
    }
}
