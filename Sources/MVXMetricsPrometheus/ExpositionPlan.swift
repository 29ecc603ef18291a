import MVXMetrics

/// An exposition with its values left out: every byte between the values,
/// already escaped and in order, and where each value comes from. Rendering
/// it copies those bytes and formats the numbers, so the names, label sets,
/// order and collision numbering are worked out once per layout, not per scrape.
struct ExpositionPlan: Sendable {
    /// A dimension's place in an ``ExpositionInput``.
    struct Source: Sendable {
        var snapshot: Int32
        var metric: Int32
        var dimension: Int32
    }

    /// One value: the literal bytes before it end at `literalEnd`.
    struct Step: Sendable {
        var literalEnd: Int
        var source: Source
        /// The index in `histograms`, ``oneLine`` for a one-line sample, or
        /// ``created`` for the start of the snapshot's totals.
        var histogram: Int32

        static let oneLine: Int32 = -1
        static let created: Int32 = -2
    }

    /// A histogram's lines, whose count depends on its buckets, so only their
    /// beginnings can be laid out.
    struct HistogramSeries: Sendable {
        /// `name_bucket{labels,le="`
        var bucketPrefix: [UInt8]
        /// `name_sum{labels} `
        var sumPrefix: [UInt8]
        /// `name_count{labels} `
        var countPrefix: [UInt8]
        /// OpenMetrics treats a histogram's sum as a counter: with a negative
        /// observation or bucket it is not one, and the format says to leave it
        /// out (its parsers then also refuse `_count`; `+Inf` has the count).
        var omitsSumWhenNegative: Bool
    }

    var literal: ExpositionWriter
    private(set) var steps: [Step] = []
    private(set) var histograms: [HistogramSeries] = []
    private var histogramSteps: [Int] = []

    init(capacity: Int) {
        literal = ExpositionWriter(capacity: capacity)
    }

    /// A one-line sample's value, after `prefix` (`name{labels} `).
    mutating func addValue(_ source: Source, after prefix: [UInt8]) {
        literal.write(prefix)
        steps.append(Step(literalEnd: literal.bytes.count, source: source, histogram: Step.oneLine))
    }

    /// A `_created` sample's value, the start of the totals of the snapshot
    /// `source` is in, after `prefix` (`name_created{labels} `).
    mutating func addCreated(_ source: Source, after prefix: [UInt8]) {
        literal.write(prefix)
        steps.append(Step(literalEnd: literal.bytes.count, source: source, histogram: Step.created))
    }

    /// A histogram's lines, each ending with a newline.
    mutating func addHistogram(_ source: Source, series: HistogramSeries) {
        histograms.append(series)
        histogramSteps.append(steps.count)
        steps.append(Step(literalEnd: literal.bytes.count, source: source, histogram: Int32(histograms.count - 1)))
    }

    /// The exposition of `input`, which must have the layout this plan was
    /// made from (``ExpositionInput/hasSameLayout(as:)``).
    func render(_ input: ExpositionInput) -> [UInt8] {
        let width = NumberFormatting.maximumWidth
        // An upper bound, so the writes below need no capacity checks.
        var capacity = max(1, literal.bytes.count + steps.count * width)
        for index in histogramSteps {
            let step = steps[index]
            guard case .distribution(let distribution) = input.value(at: step.source) else { continue }
            let series = histograms[Int(step.histogram)]
            capacity +=
                (distribution.buckets.count + 1) * (series.bucketPrefix.count + 2 * width + 4)
                + series.sumPrefix.count + series.countPrefix.count + 2 * width + 2
        }
        return unsafe literal.bytes.withUnsafeBufferPointer { literal in
            unsafe [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                let start = buffer.baseAddress!
                var cursor = unsafe start
                var copied = 0
                for step in steps {
                    unsafe cursor.append(literal, from: copied, to: step.literalEnd)
                    copied = step.literalEnd
                    if step.histogram == Step.created {
                        unsafe cursor += NumberFormatting.writeSeconds(
                            milliseconds: input.startMilliseconds(ofSnapshot: Int(step.source.snapshot)), to: cursor)
                        continue
                    }
                    switch input.value(at: step.source) {
                    case .counter(let count):
                        unsafe cursor += NumberFormatting.write(count, to: cursor)
                    case .sum(let number):
                        unsafe cursor += NumberFormatting.write(number, to: cursor)
                    case .gauge(let number):
                        // A layout match guarantees a set gauge here.
                        guard let number else { continue }
                        unsafe cursor += NumberFormatting.write(number, to: cursor)
                    case .distribution(let distribution):
                        // A layout match guarantees a histogram step here;
                        // without one, writing nothing keeps the bound true.
                        guard step.histogram >= 0 else { continue }
                        unsafe Self.write(distribution, histograms[Int(step.histogram)], at: &cursor)
                    }
                }
                unsafe cursor.append(literal, from: copied, to: literal.count)
                count = unsafe cursor - start
            }
        }
    }

    private static func write(
        _ distribution: DistributionSnapshot, _ series: HistogramSeries, at cursor: inout UnsafeMutablePointer<UInt8>
    ) {
        for bucket in distribution.buckets {
            unsafe cursor.append(series.bucketPrefix)
            unsafe cursor += NumberFormatting.write(bucket.upperBound, to: cursor)
            unsafe cursor.append("\"} ")
            unsafe cursor += NumberFormatting.write(bucket.cumulativeCount, to: cursor)
            unsafe cursor.append("\n")
        }
        unsafe cursor.append(series.bucketPrefix)
        unsafe cursor.append("+Inf\"} ")
        unsafe cursor += NumberFormatting.write(distribution.count, to: cursor)
        unsafe cursor.append("\n")
        if series.omitsSumWhenNegative,
            (distribution.min ?? 0) < 0 || distribution.buckets.contains(where: { $0.upperBound < 0 })
        {
            return
        }
        unsafe cursor.append(series.sumPrefix)
        unsafe cursor += NumberFormatting.write(distribution.sum, to: cursor)
        unsafe cursor.append("\n")
        unsafe cursor.append(series.countPrefix)
        unsafe cursor += NumberFormatting.write(distribution.count, to: cursor)
        unsafe cursor.append("\n")
    }
}

extension UnsafeMutablePointer<UInt8> {
    @inline(__always)
    fileprivate mutating func append(_ source: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        guard end > start else { return }
        unsafe update(from: source.baseAddress! + start, count: end - start)
        unsafe self += end - start
    }

    @inline(__always)
    fileprivate mutating func append(_ bytes: [UInt8]) {
        unsafe bytes.withUnsafeBufferPointer { unsafe append($0, from: 0, to: $0.count) }
    }

    @inline(__always)
    fileprivate mutating func append(_ text: StaticString) {
        unsafe update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        unsafe self += text.utf8CodeUnitCount
    }
}
