import MVXMetrics
import MVXMetricsLocking

/// Every series the swift-metrics backend has seen: a number for each
/// (instrument kind, label, dimensions), and the MVX dimension name and labels
/// it appears under.
///
/// Handlers are made on any thread, and their events may be processed before
/// or after other threads' events: the catalog, not the event stream, says
/// what a series is, so a series is known as soon as its handler exists.
final class SwiftMetricsSeriesCatalog: Sendable {
    enum Kind: Hashable {
        case counter, floatingCounter, gauge, recorder, timer

        /// Which bridge metric shows the kind.
        var group: Group {
            switch self {
            case .counter, .floatingCounter: .counters
            case .gauge: .gauges
            case .recorder: .recorders
            case .timer: .timers
            }
        }
    }

    enum Group: Hashable {
        case counters, gauges, recorders, timers
    }

    struct Entry {
        let kind: Kind
        let dimension: String
        let labels: [String: String]
    }

    private struct Key: Hashable {
        let kind: Kind
        let label: String
        let dimensions: [String]
    }

    private struct Name: Hashable {
        let group: Group
        let dimension: String
        let labels: [String: String]
    }

    private struct State {
        var series: [Key: UInt32] = [:]
        var entries: [Entry] = []
        var names: Set<Name> = []
    }

    private let state = LockedValue(State())

    /// The series number for an instrument, assigned on first sight.
    func series(_ kind: Kind, label: String, dimensions: [(String, String)]) -> UInt32 {
        let key = Key(kind: kind, label: label, dimensions: dimensions.map { "\($0.0)\u{0}\($0.1)" })
        return state.withLock { state in
            if let series = state.series[key] { return series }
            var labels: [String: String] = [:]
            // Two dimension keys that read the same once made valid
            // (`status-code`, `status.code`) keep both values.
            for (name, value) in dimensions {
                let base = Self.labelName(name)
                var label = base
                var suffix = 1
                while labels[label] != nil {
                    suffix += 1
                    label = Self.suffixed(base, suffix)
                }
                labels[label] = value
            }
            let base = Self.dimensionName(label)
            var dimension = base
            var suffix = 1
            // Two labels that read the same once made valid keep apart.
            while !state.names.insert(Name(group: kind.group, dimension: dimension, labels: labels)).inserted {
                suffix += 1
                dimension = Self.suffixed(base, suffix)
            }
            let series = UInt32(state.entries.count)
            state.entries.append(Entry(kind: kind, dimension: dimension, labels: labels))
            state.series[key] = series
            return series
        }
    }

    /// The series shown by `group`, with their numbers.
    func entries(in group: Group) -> [(series: Int, entry: Entry)] {
        state.withLock { state in
            state.entries.enumerated().filter { $0.element.kind.group == group }.map { ($0.offset, $0.element) }
        }
    }

    /// `name_2`, shortening `name` so that the whole stays within
    /// ``MetricNaming/maximumPartLength``.
    static func suffixed(_ name: String, _ number: Int) -> String {
        let suffix = "_\(number)"
        return String(name.prefix(MetricNaming.maximumPartLength - suffix.count)) + suffix
    }

    /// A swift-metrics label as an MVX dimension name: lowercase letters,
    /// digits and underscores, starting with a letter (`hb.requests` →
    /// `hb_requests`; an empty label is `m_`).
    static func dimensionName(_ label: String) -> String {
        var result = ""
        for scalar in label.lowercased().unicodeScalars {
            let valid = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "_"
            result.unicodeScalars.append(valid ? scalar : "_")
        }
        if !(result.unicodeScalars.first.map { $0 >= "a" && $0 <= "z" } ?? false) { result = "m_" + result }
        return String(result.prefix(MetricNaming.maximumPartLength))
    }

    /// A swift-metrics dimension name as an MVX label name.
    static func labelName(_ name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            let valid =
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_"
            result.unicodeScalars.append(valid ? scalar : "_")
        }
        if result.isEmpty || result.first!.isNumber { result = "_" + result }
        while result.hasPrefix("__") { result.removeFirst() }
        return String(result.prefix(MetricNaming.maximumPartLength))
    }
}
