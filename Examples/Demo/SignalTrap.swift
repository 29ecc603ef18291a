import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns SIGINT and SIGTERM into a call of a handler on a dispatch queue,
/// instead of the default of ending the process, so Ctrl-C can shut the demo
/// down cleanly.
final class SignalTrap {
    private let signals: [Int32]
    private var sources: [any DispatchSourceSignal] = []

    /// Calls `handler` whenever one of `signals` arrives, until ``cancel()``.
    init(_ signals: [Int32], handler: @escaping @Sendable () -> Void) {
        self.signals = signals
        for number in signals {
            // The default action must be off for the dispatch source to see it.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
    }

    /// Stops handling the signals and restores their default action.
    func cancel() {
        for source in sources { source.cancel() }
        sources = []
        for number in signals { signal(number, SIG_DFL) }
    }
}
