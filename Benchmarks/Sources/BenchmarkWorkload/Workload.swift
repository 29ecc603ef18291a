import MVXMetrics

// The workload the benchmarks and the profiling driver share.

/// How a document save attempt ended.
public enum DocumentSaveOutcome: UInt8, MetricCase {
    case success, failure, tooLarge

    /// The Prometheus label value, made once so no contender builds strings per operation.
    public var label: String {
        switch self {
        case .success: "success"
        case .failure: "failure"
        case .tooLarge: "too_large"
        }
    }
}

/// A duration in whole nanoseconds: 8 bytes where `Duration` takes 16, so the
/// event stays at 24 bytes, and a `MetricValue` in seconds like `Duration`.
public struct Nanoseconds: MetricValue, Hashable {
    public var nanoseconds: Int

    @inlinable public init(nanoseconds: Int) { self.nanoseconds = nanoseconds }

    public static var unit: MetricUnit? { .seconds }
    @inlinable public var metricValue: Double { Double(nanoseconds) * 1e-9 }
}

/// The fact every contender measures: one document save attempt, 24 bytes.
public struct DocumentSaveAttempt: MetricEvent {
    public static let eventType = "document_storage.save.attempt"
    public var outcome: DocumentSaveOutcome
    public var contentSize: ByteCount
    public var duration: Nanoseconds

    @inlinable
    public init(outcome: DocumentSaveOutcome, contentSize: ByteCount, duration: Nanoseconds) {
        self.outcome = outcome
        self.contentSize = contentSize
        self.duration = duration
    }
}

/// The same sequence of attempts for every contender: a precomputed table, so
/// making an event costs a load, not the benchmark's time.
public enum Workload {
    /// Entries in the table; a power of two, so an index wraps with a mask.
    public static let count = 1024
    public static let events: [DocumentSaveAttempt] = (0..<count).map { index in
        let value = (index &* 2_654_435_761) & 0xFFFF_FFFF
        let outcome: DocumentSaveOutcome = value % 10 < 8 ? .success : (value % 10 < 9 ? .failure : .tooLarge)
        return DocumentSaveAttempt(
            outcome: outcome, contentSize: ByteCount(512 + value % 65_536),
            duration: Nanoseconds(nanoseconds: 1_000_000 + value % 40_000_000))
    }

    /// The histogram's bucket bounds in seconds, for the peers: MVX's
    /// `HistogramBuckets.durations`, the Prometheus defaults, 11 buckets.
    public static let durationBucketBounds = HistogramBuckets.durations.upperBounds

    /// The attempt number `index` (wrapping around the table).
    @inlinable @inline(__always)
    public static func event(_ index: Int) -> DocumentSaveAttempt {
        events.withUnsafeBufferPointer { $0[index & (count - 1)] }
    }

    /// The bytes of attempts `range`, for checking sums after a run.
    public static func bytes(_ range: Range<Int>) -> UInt64 {
        var total: UInt64 = 0
        for index in range { total &+= UInt64(event(index).contentSize.bytes) }
        return total
    }
}
