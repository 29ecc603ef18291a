extension Span {
    /// Whether a batch this long is worth applying through spans of a
    /// building block's counter arrays (``Distribution``, ``OutcomeCounts``).
    ///
    /// Taking the spans costs about as much as three values save; shorter
    /// batches (the inline recorder's are of one event) go value by value.
    @inlinable var isLongEnoughForCounterSpans: Bool { count >= 8 }
}
