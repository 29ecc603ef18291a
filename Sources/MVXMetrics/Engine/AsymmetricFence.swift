import CMVXMetricsShims
import Synchronization

/// A fence split unevenly between a frequent side and a rare side.
///
/// Producers (frequent) publish an event and then read a flag the processing
/// thread or a stopping caller (rare) writes; the rare side writes its flag and
/// then reads what producers published. Dekker's pattern needs a full fence on
/// both sides. With Linux `membarrier`, the rare side forces a full fence on
/// every thread of the process, so the frequent side needs only a compiler
/// barrier, which costs nothing. Where `membarrier` is unavailable, both sides
/// pay a sequentially consistent fence.
@usableFromInline
enum AsymmetricFence {
    /// Whether `membarrier` is registered for this process.
    static let isExpedited: Bool = mvx_membarrier_register() == 0

    /// The frequent side's half.
    @inlinable @inline(__always)
    static func light(expedited: Bool) {
        if expedited {
            mvx_compiler_barrier()
        } else {
            atomicMemoryFence(ordering: .sequentiallyConsistent)
        }
    }

    /// The rare side's half.
    static func heavy(expedited: Bool) {
        if expedited, mvx_membarrier() == 0 { return }
        atomicMemoryFence(ordering: .sequentiallyConsistent)
    }
}
