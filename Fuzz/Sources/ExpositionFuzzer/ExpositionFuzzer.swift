import MVXMetrics
import MVXMetricsPrometheus

/// libFuzzer's entry point: renders the snapshots the bytes decode to (see
/// ``FuzzedExposition``) in both formats and checks ``ExpositionCheck``'s
/// invariants; a violation stops the run with the exposition in the message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExposition(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ExpositionCheck.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// The invariants every rendering must keep, cheap enough for every input:
/// no crash (the address sanitizer watches the renderer's unsafe writes), valid
/// UTF-8, every line well-formed (``ExpositionGrammar``), every label value
/// read back intact and none invented, and a render that reuses the layout
/// cache equal to a fresh one. The real parsers read the corpus afterwards
/// (``ReplayOutput``).
enum ExpositionCheck {
    static func run(_ bytes: [UInt8]) {
        let fuzzed = FuzzedExposition(bytes)
        var outputs: [PrometheusFormat: [UInt8]] = [:]
        for format in PrometheusFormat.all {
            let fresh = fuzzed.exposition(format).renderBytes(fuzzed.snapshots)
            let other = fuzzed.exposition(format).renderBytes(fuzzed.sameLayout)
            check(fresh, format, fuzzed)
            check(other, format, fuzzed)
            // One exposition lays out `sameLayout`, then renders `snapshots`
            // (same layout, other values) from its cache, then `sameLayout`
            // again: each must equal what a new exposition renders.
            let cached = fuzzed.exposition(format)
            for (snapshots, expected) in [
                (fuzzed.sameLayout, other), (fuzzed.snapshots, fresh), (fuzzed.sameLayout, other),
            ]
            where cached.renderBytes(snapshots) != expected {
                fail("\(format): a render from the layout cache differs from a fresh render", expected)
            }
            outputs[format] = fresh
        }
        if !fuzzed.isHostile {
            ReplayOutput.write(input: bytes, outputs, requiredLabelValues: fuzzed.requiredLabelValues)
        }
    }

    private static func check(_ exposition: [UInt8], _ format: PrometheusFormat, _ fuzzed: FuzzedExposition) {
        guard String(validating: exposition, as: UTF8.self) != nil else {
            fail("\(format): the exposition is not valid UTF-8", exposition)
        }
        let found: Set<String>
        do {
            found = try ExpositionGrammar(format: format, allowsRepeatedBuckets: fuzzed.isHostile)
                .labelValues(of: exposition)
        } catch {
            fail("\(format): line \(error.line): \(error.reason)", exposition)
        }
        let missing = fuzzed.requiredLabelValues.subtracting(found)
        let invented = found.subtracting(fuzzed.possibleLabelValues)
        guard missing.isEmpty, invented.isEmpty else {
            fail(
                "\(format): label values missing \(missing.map(\.debugDescription)), invented \(invented.map(\.debugDescription))",
                exposition)
        }
    }

    private static func fail(_ reason: String, _ exposition: [UInt8]) -> Never {
        fatalError("\(reason)\n--- the exposition ---\n\(String(decoding: exposition, as: UTF8.self))--- end ---")
    }
}
