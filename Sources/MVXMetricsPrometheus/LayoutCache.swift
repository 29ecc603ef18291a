import MVXMetricsLocking

/// The layouts an exposition rendered last, one per configuration, shared by
/// its copies and safe to use from any thread.
///
/// A pthread lock (`LockedValue`), not `Synchronization.Mutex`: the thread
/// sanitizer cannot see the latter's futex on Linux and reports the accesses
/// it protects as races (concurrent renders were, in the sanitized test run).
final class LayoutCache: Sendable {
    /// Enough for each format under one entity label; a configuration beyond
    /// it evicts the oldest.
    private static let capacity = 4

    private let layouts = LockedValue<[ExpositionLayout]>([])

    /// The layout for `input`: the cached one if it still fits, a new one
    /// (which replaces it) otherwise.
    func layout(for input: ExpositionInput, _ configuration: ExpositionLayout.Configuration) -> ExpositionLayout {
        // Matching and building run outside the lock, so concurrent scrapes
        // only contend for these two short critical sections.
        let cached = layouts.withLock { $0 }
        if let layout = cached.first(where: { $0.fits(input, configuration) }) { return layout }
        let layout = ExpositionLayout(configuration, input)
        layouts.withLock { layouts in
            layouts.removeAll { $0.configuration == configuration }
            layouts.append(layout)
            if layouts.count > Self.capacity { layouts.removeFirst() }
        }
        return layout
    }
}
