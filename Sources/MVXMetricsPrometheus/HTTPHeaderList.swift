/// The elements of an HTTP header that lists values with parameters
/// (`Accept`, `Accept-Encoding`): `a;q=0.5;x=y, b`. Content negotiation and
/// the HTTP endpoint's compression read them the same way.
package struct HTTPHeaderList {
    /// One element: its value (a media type or a coding), lowercased, and its
    /// parameters in order, names lowercased.
    package struct Element {
        package var value: String
        package var parameters: [(name: String, value: String)]
        /// The last well-formed `q` parameter, or 1.
        package var quality: Double
    }

    package let elements: [Element]

    /// Reads `header`; elements and parameters without a value are skipped,
    /// spaces and tabs around each part are not part of it.
    package init(_ header: String) {
        elements = header.split(separator: ",").compactMap { item in
            let parts = item.split(separator: ";").map { $0.trimmingSpaces() }
            guard let value = parts.first?.lowercased() else { return nil }
            var parameters: [(name: String, value: String)] = []
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
                guard pair.count == 2 else { continue }
                let name = pair[0].lowercased()
                if name == "q", let number = Double(pair[1]) { quality = number }
                parameters.append((name, pair[1]))
            }
            return Element(value: value, parameters: parameters, quality: quality)
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
