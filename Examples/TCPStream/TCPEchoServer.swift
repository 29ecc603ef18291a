import Dispatch
import Foundation
import MVXMetricsCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small TCP echo server on the loopback interface, with injectable faults:
/// the peer for ``TCPStream`` examples, tests and the demo.
///
/// Each accepted connection gets a ``Behavior`` from the closure given at
/// start, so a test or a workload can make a chosen connection time out or
/// disconnect.
///
/// The server reads every byte a client sends until the client closes the
/// connection, even when it does not answer or has hung up, and reports each
/// connection it served as a ``TCPEchoServerConnection`` fact. So the bytes
/// clients sent always equal the bytes the server echoed plus those it
/// discarded: the demo checks that identity across the two components.
public final class TCPEchoServer: Sendable {
    /// What the server does with one connection.
    public enum Behavior: Sendable, Hashable {
        /// Sends back every byte it receives.
        case echo
        /// Reads but never answers, so the client's reads time out.
        case silent
        /// Hangs up as soon as the connection is accepted: the client reads the
        /// end of the stream. (The server closes its sending side and discards
        /// what the client still sends, so no byte goes unaccounted.)
        case disconnect
        /// Echoes this many bytes, then hangs up like ``disconnect``.
        case echoThenDisconnect(afterBytes: Int)
    }

    /// The port the server listens on.
    public let port: UInt16
    private let listener: Int32
    private let metrics: any MetricsRecorder
    private let stopped = Atomic<Bool>(false)
    private let finishing = Atomic<Bool>(false)
    private let echoedBytes = Atomic<Int>(0)
    private let acceptedConnections = Atomic<Int>(0)
    private let group = DispatchGroup()

    /// Starts listening on `127.0.0.1:port` (port 0 picks a free one), reporting
    /// every connection it served to `metrics`.
    public init(
        port: UInt16 = 0, metrics: any MetricsRecorder = .noop,
        behavior: @escaping @Sendable (_ connection: Int) -> Behavior = { _ in .echo }
    ) throws(TCPStreamError) {
        let fd = Socket.makeTCP()
        guard fd >= 0 else { throw TCPStreamError(.failure, nil, "socket(): \(Socket.describe(errno))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Socket.address(host: "127.0.0.1", port: port)!
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let message = Socket.describe(errno)
            Socket.close(fd)
            throw TCPStreamError(.failure, nil, "could not listen on 127.0.0.1:\(port): \(message)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        self.listener = fd
        self.metrics = metrics
        group.enter()
        let thread = Thread { [self] in
            acceptLoop(behavior: behavior)
            group.leave()
        }
        thread.start()
    }

    deinit { stop() }

    /// Bytes echoed back to clients so far.
    public var bytesEchoed: Int { echoedBytes.load(ordering: .relaxed) }

    /// Connections accepted so far.
    public var connectionsAccepted: Int { acceptedConnections.load(ordering: .relaxed) }

    /// Stops accepting, closes every connection and waits for the server's threads.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        group.wait()
        Socket.close(listener)
    }

    /// Accepts the connections clients have already made, serves each until its
    /// client closes it, then stops; after `timeout`, stops anyway.
    ///
    /// Call it once the clients are done: every byte they sent has then been
    /// read, and every connection reported.
    public func finish(timeout: Duration = .seconds(5)) {
        finishing.store(true, ordering: .releasing)
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        _ = group.wait(timeout: .now() + .nanoseconds(Int(clamping: nanoseconds)))
        stop()
    }

    private func acceptLoop(behavior: @Sendable (Int) -> Behavior) {
        var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        while !stopped.load(ordering: .acquiring) {
            // Once finishing, an empty accept queue means every client's
            // connection has been taken: stop accepting.
            let isFinishing = finishing.load(ordering: .acquiring)
            guard poll(&descriptor, 1, isFinishing ? 0 : 10) > 0 else {
                if isFinishing { return }
                continue
            }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK)
            let index = acceptedConnections.wrappingAdd(1, ordering: .relaxed).oldValue
            let chosen = behavior(index)
            group.enter()
            Thread { [self] in
                let start = ContinuousClock.now
                let (received, echoed) = serve(connection, chosen)
                Socket.close(connection)
                metrics.record(
                    TCPEchoServerConnection(
                        bytesReceived: ByteCount(received), bytesEchoed: ByteCount(echoed),
                        duration: start.duration(to: .now)))
                group.leave()
            }.start()
        }
    }

    /// Serves one connection until its client closes it (or the server stops),
    /// and returns the bytes it received and echoed.
    private func serve(_ connection: Int32, _ behavior: Behavior) -> (received: Int, echoed: Int) {
        let budget: Int
        let hangsUp: Bool
        switch behavior {
        case .echo: (budget, hangsUp) = (.max, false)
        case .silent: (budget, hangsUp) = (0, false)
        case .disconnect: (budget, hangsUp) = (0, true)
        case .echoThenDisconnect(let bytes): (budget, hangsUp) = (max(0, bytes), true)
        }
        var received = 0
        var echoed = 0
        var hungUp = false
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var descriptor = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        while !stopped.load(ordering: .acquiring) {
            if hangsUp, !hungUp, echoed >= budget {
                // Hang up politely: the client reads the end of the stream,
                // and what it still sends is read and discarded below.
                Socket.shutdownSending(connection)
                hungUp = true
            }
            guard poll(&descriptor, 1, 10) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { Socket.receive(connection, $0) }
            if count == 0 { break }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                break
            }
            received += count
            let reply = hungUp ? 0 : min(count, budget - echoed)
            guard reply > 0 else { continue }
            let sent = sendAll(connection, buffer[..<reply])
            echoed += sent
            echoedBytes.wrappingAdd(sent, ordering: .relaxed)
            if sent < reply { break }
        }
        return (received, echoed)
    }

    /// Sends `bytes`, and returns how many the kernel took before an error or a stop.
    private func sendAll(_ connection: Int32, _ bytes: ArraySlice<UInt8>) -> Int {
        var offset = bytes.startIndex
        var descriptor = pollfd(fd: connection, events: Int16(POLLOUT), revents: 0)
        while offset < bytes.endIndex, !stopped.load(ordering: .acquiring) {
            let count = bytes[offset...].withUnsafeBytes { Socket.send(connection, $0) }
            if count > 0 {
                offset += count
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                _ = poll(&descriptor, 1, 10)
            } else {
                break
            }
        }
        return offset - bytes.startIndex
    }
}
