import Synchronization

/// The series of a ``LabelCounts`` as dimensions in label order, kept from one
/// snapshot to the next.
///
/// A snapshot of 100,000 series used to sort the label values and make a
/// labels dictionary for every series, each time. The layout does that work
/// once per series: a snapshot copies the dimensions and sets their counts,
/// and values that appeared since the last snapshot are sorted among
/// themselves and merged in. It costs a dimension per series while the
/// metric lives.
///
/// A snapshot is a read of the metric, so the layout is a reference with a
/// lock of its own; copies of a `LabelCounts` share it, and a copy whose
/// values no longer extend the ones it was made from starts it again.
final class LabelCountsLayout: Sendable {
    private struct State {
        /// The values the layout holds, in the order they appeared (it keeps
        /// the metric's array itself, so recognizing it costs nothing).
        var values: [String] = []
        /// `values`' positions, sorted by value.
        var order: [Int] = []
        /// One dimension per value, in `order`.
        var dimensions: [MetricDimension] = []
    }

    private let state = Mutex(State())

    init() {}

    /// The dimensions of `values` (in the order they appeared) and their
    /// `counts`, sorted by value.
    func dimensions(name: String, label: String, values: [String], counts: [UInt64]) -> [MetricDimension] {
        state.withLock { state in
            let known = state.values.count
            if known > values.count || !values.prefix(known).elementsEqual(state.values) {
                state = State()
            }
            if state.values.count < values.count {
                extend(&state, to: values, name: name, label: label)
            }
            var result = state.dimensions
            for index in result.indices { result[index].value = .counter(counts[state.order[index]]) }
            return result
        }
    }

    /// Merges the values that appeared since the layout was made into it.
    private func extend(_ state: inout State, to values: [String], name: String, label: String) {
        let added = (state.values.count..<values.count).sorted { values[$0] < values[$1] }
        var order: [Int] = []
        var dimensions: [MetricDimension] = []
        order.reserveCapacity(values.count)
        dimensions.reserveCapacity(values.count)
        var old = 0
        var new = 0
        while old < state.order.count || new < added.count {
            let takesOld =
                new == added.count
                || (old < state.order.count && values[state.order[old]] < values[added[new]])
            if takesOld {
                order.append(state.order[old])
                dimensions.append(state.dimensions[old])
                old += 1
            } else {
                order.append(added[new])
                dimensions.append(MetricDimension(name, labels: [label: values[added[new]]], value: .counter(0)))
                new += 1
            }
        }
        state = State(values: values, order: order, dimensions: dimensions)
    }
}
