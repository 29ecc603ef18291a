import NIOCore
import NIOHTTPTypes

/// One connection's rules past what Hummingbird enforces: the whole request
/// (head and body) must arrive within a deadline of its first byte (the first
/// request: of the connection's start), and after
/// a response that says `Connection: close` (401, 400, 413) the connection
/// closes instead of reading the rest of what the client sends (it reads and
/// drops at most ``lingerBytes`` for at most ``linger``, so the client can
/// still read the response).
///
/// It works through two handlers, one on each side of the HTTP decoder: the
/// wire handler sees a request's first bytes (a trickled head included) and
/// drops input once the connection is closing, so the decoder never reads it;
/// the message handler sees where each request ends and each response's
/// status. Both run on the connection's event loop, which is what makes the
/// shared state safe without a lock.
final class ConnectionDiscipline {
    private let requestTimeout: TimeAmount?
    private let counters: ConnectionCounters
    private var deadline: Scheduled<Void>?
    private var isClosing = false
    private var discarded = 0

    /// How long a closing connection waits for the client to read the final
    /// response before the socket is closed for good: long enough for a
    /// client on the same network, short enough that a client that keeps
    /// sending holds nothing for long.
    static let linger = TimeAmount.seconds(1)
    /// How much of what the client still sends a closing connection reads
    /// (and drops) before it closes for good, whatever the time: closing with
    /// unread input would reset the connection, and the client could lose the
    /// response it has not read yet.
    static let lingerBytes = 64 * 1024

    init(requestTimeout: TimeAmount?, counters: ConnectionCounters) {
        self.requestTimeout = requestTimeout
        self.counters = counters
    }

    /// The handler for the pipeline's head, before the HTTP decoder.
    var wireHandler: WireHandler { WireHandler(self) }
    /// The handler for after the HTTP decoder, before Hummingbird's own.
    var messageHandler: MessageHandler { MessageHandler(self) }

    private func bytesArrived(_ context: ChannelHandlerContext) {
        guard deadline == nil, let requestTimeout else { return }
        let counters = self.counters
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: requestTimeout) {
            counters.timedOut.add(1, ordering: .relaxed)
            context.close(promise: nil)
        }
    }

    private func requestEnded() {
        deadline?.cancel()
        deadline = nil
    }

    private func close(afterFlushing promise: EventLoopFuture<Void>, _ context: ChannelHandlerContext) {
        isClosing = true
        requestEnded()
        // The response first, then end the output so the client reads it and
        // sees the end; the socket closes once the client closes its side or
        // after the linger, whichever comes first.
        promise.assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: Self.linger) { context.close(promise: nil) }
        }
    }

    /// Before the HTTP decoder: arms the deadline on a request's first bytes,
    /// and drops everything once the connection is closing.
    final class WireHandler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer

        private let discipline: ConnectionDiscipline

        init(_ discipline: ConnectionDiscipline) {
            self.discipline = discipline
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !discipline.isClosing else {
                discipline.discarded += unwrapInboundIn(data).readableBytes
                if discipline.discarded > ConnectionDiscipline.lingerBytes { context.close(promise: nil) }
                return
            }
            discipline.bytesArrived(context)
            context.fireChannelRead(data)
        }

        func channelActive(context: ChannelHandlerContext) {
            // A new connection must send its first request within the
            // deadline too, not merely within the idle timeout.
            discipline.bytesArrived(context)
            context.fireChannelActive()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if discipline.isClosing, case ChannelEvent.inputClosed = event {
                context.close(promise: nil)
                return
            }
            context.fireUserInboundEventTriggered(event)
        }

        func channelInactive(context: ChannelHandlerContext) {
            discipline.requestEnded()
            context.fireChannelInactive()
        }
    }

    /// After the HTTP decoder: ends the deadline with the request, counts
    /// responses by status, and closes after a response that asks for it.
    final class MessageHandler: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart

        private let discipline: ConnectionDiscipline
        private var closesAfterResponse = false

        init(_ discipline: ConnectionDiscipline) {
            self.discipline = discipline
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head: discipline.counters.requests.add(1, ordering: .relaxed)
            case .end: discipline.requestEnded()
            case .body: break
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            switch unwrapOutboundIn(data) {
            case .head(let head):
                discipline.counters.countResponse(status: head.status.code)
                if head.headerFields[.connection]?.lowercased() == "close" { closesAfterResponse = true }
                context.write(data, promise: promise)
            case .end where closesAfterResponse:
                closesAfterResponse = false
                let written = context.eventLoop.makePromise(of: Void.self)
                written.futureResult.cascade(to: promise)
                context.writeAndFlush(data, promise: written)
                discipline.close(afterFlushing: written.futureResult, context)
            case .body, .end:
                context.write(data, promise: promise)
            }
        }
    }
}
