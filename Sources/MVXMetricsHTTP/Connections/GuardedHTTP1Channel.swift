import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 channel with the endpoint's own limits around it: at
/// most `maximumConnections` open at once (one more is closed as soon as it
/// is accepted, and counted), and each connection's ``ConnectionDiscipline``.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let maximumConnections: Int
    let requestTimeout: TimeAmount?
    let counters: ConnectionCounters

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let counters = self.counters
        let requestTimeout = self.requestTimeout
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let discipline = ConnectionDiscipline(requestTimeout: requestTimeout, counters: counters)
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(discipline.wireHandler, position: .first)
            let state = try pipeline.handler(type: HTTPConnectionStateHandler.self)
            try pipeline.addHandler(discipline.messageHandler, position: .before(state))
            return value
        }
    }

    /// Serves the connection, or closes it at once when `maximumConnections`
    /// are being served already. The decision is made here, once NIO has
    /// registered the connection, not while it is set up: a connection closed
    /// before its registration never reports its closing, and the listener's
    /// count of open connections would never come down.
    func handle(value: Value, logger: Logger) async {
        guard counters.admit(maximum: maximumConnections) else {
            // Through executeThenClose, which finishes the writer: NIO stops
            // the process on a channel whose writer is dropped unfinished.
            try? await value.executeThenClose { _, _ in }
            return
        }
        defer { counters.release() }
        await base.handle(value: value, logger: logger)
    }
}
