import MVXMetrics

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// libFuzzer's entry point: the bytes as a snapshot document, read as each of
/// the documented shapes (see ``SnapshotJSONRoundTrip``).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshotJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let document = Data(UnsafeBufferPointer(start: data, count: size))
    SnapshotJSONRoundTrip.check([RecorderSnapshot].self, document)
    SnapshotJSONRoundTrip.check(RecorderSnapshot.self, document)
    SnapshotJSONRoundTrip.check(MetricSnapshot.self, document)
    return 0
}

/// The property of `MetricsJSON`: decoding any bytes either fails with an
/// error or gives a value that survives a round trip: encoding it never
/// fails, the JSON it encodes to decodes again, to an equal value (NaN aside,
/// which equals nothing) that encodes to the same bytes.
enum SnapshotJSONRoundTrip {
    static func check<Value: Codable & Equatable & NaNCarrying>(_ type: Value.Type, _ document: Data) {
        guard let value = try? MetricsJSON.decoder().decode(Value.self, from: document) else { return }
        let encoded: Data
        let decodedAgain: Value
        do {
            encoded = try MetricsJSON.encoder().encode(value)
        } catch {
            fail("\(Value.self) decoded but does not encode: \(error)", document)
        }
        do {
            decodedAgain = try MetricsJSON.decoder().decode(Value.self, from: encoded)
        } catch {
            fail("\(Value.self) encoded to JSON that does not decode: \(error)\n\(text(encoded))", document)
        }
        guard decodedAgain == value || value.containsNaN else {
            fail("\(Value.self) changed in a round trip through\n\(text(encoded))", document)
        }
        guard let encodedAgain = try? MetricsJSON.encoder().encode(decodedAgain), encodedAgain == encoded else {
            fail("\(Value.self) encodes differently after a round trip:\n\(text(encoded))", document)
        }
    }

    private static func text(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self)
    }

    private static func fail(_ reason: String, _ document: Data) -> Never {
        fatalError("\(reason)\n--- the input ---\n\(text(document))\n--- end ---")
    }
}
