import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many connections the server may hold given the process's descriptor
/// limit (`ulimit -n`): each holds one descriptor, and a process out of them
/// cannot open files or start threads (Swift's executor stops the process
/// when it cannot), so the cap is lowered to leave the rest of the process a
/// reserve, and the excess the listener takes in before it closes it is
/// bounded too.
enum DescriptorBudget {
    /// Descriptors kept for the rest of the process (its files, its own
    /// clients and servers, the runtime's threads and event loops).
    static let reserved = 64
    /// Connections over the cap the listener may hold while it closes them:
    /// past that it stops accepting, and the kernel's queue holds the rest
    /// until places free up (they are then accepted and closed in turn).
    static let excess = 16

    /// The process's soft descriptor limit, if it has one.
    static var processLimit: Int? {
        var limit = rlimit()
        #if canImport(Glibc)
            guard unsafe getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        #else
            guard getrlimit(RLIMIT_NOFILE, &limit) == 0 else { return nil }
        #endif
        guard limit.rlim_cur < rlim_t(Int.max) else { return nil }
        return Int(limit.rlim_cur)
    }

    /// The cap in force for `maximumConnections` under `limit`: the same when
    /// it fits, otherwise lowered (to at least 1) so that it, the excess and
    /// the reserve fit.
    static func cap(_ maximumConnections: Int, limit: Int?) -> Int {
        let requested = max(1, maximumConnections)
        guard let limit else { return requested }
        return max(1, min(requested, limit - reserved - excess))
    }

    /// Logs a warning when the cap had to be lowered.
    static func warnIfLowered(_ maximumConnections: Int, to cap: Int, limit: Int?, logger: Logger) {
        guard cap < max(1, maximumConnections), let limit else { return }
        logger.warning(
            "maximumConnections lowered from \(maximumConnections) to \(cap): the process may hold \(limit) file descriptors (ulimit -n), and \(reserved + excess) are kept for the rest of it; raise the limit to allow more"
        )
    }
}
