import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Watches the listening socket for accepts that fail for want of a resource
/// (no file descriptor left, no memory): it counts them and logs a warning at
/// most once per interval. NIO's own accept back-off, further down the
/// pipeline, then waits a second before accepting again, so the server lives
/// through it.
final class AcceptFailureObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel

    private let counters: ConnectionCounters
    private let logger: Logger
    private let limiter: LogRateLimiter

    init(counters: ConnectionCounters, logger: Logger, limiter: LogRateLimiter) {
        self.counters = counters
        self.logger = logger
        self.limiter = limiter
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? IOError, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(error.errnoCode) {
            counters.acceptFailures.add(1, ordering: .relaxed)
            limiter.log(
                logger, level: .warning,
                "could not accept a connection (\(error.errnoCode == ENOMEM || error.errnoCode == ENOBUFS ? "out of memory" : "out of file descriptors")); accepting again in a second",
                metadata: ["errno": "\(error.errnoCode)"])
        }
        context.fireErrorCaught(error)
    }
}
