import InMemoryLogging
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import MVXMetricsHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// Accepts that fail for want of descriptors or memory, as NIO reports them
/// on the listener's pipeline: counted one by one, logged once per interval,
/// and passed on to NIO's own back-off.
@Suite struct AcceptFailureObserverTests {
    @Test func acceptFailuresAreCountedLoggedOncePerIntervalAndPassedOn() throws {
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "accept") { _ in handler }
        let counters = ConnectionCounters()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            AcceptFailureObserver(counters: counters, logger: logger, limiter: LogRateLimiter(interval: .seconds(3600)))
        )
        for _ in 0..<100 { channel.pipeline.fireErrorCaught(IOError(errnoCode: EMFILE, reason: "accept")) }
        channel.pipeline.fireErrorCaught(IOError(errnoCode: ENFILE, reason: "accept"))
        // Not a shortage: not counted.
        channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNABORTED, reason: "accept"))
        #expect(counters.statistics.acceptFailures == 101)
        let warnings = handler.entries.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.description.contains("out of file descriptors") == true)
        // Passed on down the pipeline, where NIO's back-off handler sits.
        #expect(throws: IOError.self) { try channel.throwIfErrorCaught() }
    }

    @Test func theConnectionCapIsLoweredToFitTheDescriptorLimit() {
        #expect(DescriptorBudget.cap(128, limit: 1024) == 128)
        #expect(DescriptorBudget.cap(1000, limit: 1024) == 1024 - 80)
        #expect(DescriptorBudget.cap(1000, limit: 128) == 48)
        #expect(DescriptorBudget.cap(1000, limit: 50) == 1)
        #expect(DescriptorBudget.cap(0, limit: nil) == 1)
        #expect(DescriptorBudget.cap(5000, limit: nil) == 5000)
    }
}
