/// Packs lines into datagrams of at most `maximumSize` bytes, lines separated
/// by newlines. A line longer than the limit travels alone.
enum StatsDDatagrams {
    static func pack(_ lines: [String], maximumSize: Int) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var current: [UInt8] = []
        for line in lines {
            let bytes = Array(line.utf8)
            if !current.isEmpty, current.count + 1 + bytes.count > maximumSize {
                datagrams.append(current)
                current = []
            }
            if !current.isEmpty { current.append(UInt8(ascii: "\n")) }
            current.append(contentsOf: bytes)
        }
        if !current.isEmpty { datagrams.append(current) }
        return datagrams
    }
}
