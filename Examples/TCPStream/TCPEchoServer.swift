import Dispatch
import Foundation
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
public final class TCPEchoServer: Sendable {
    /// What the server does with one connection.
    public enum Behavior: Sendable, Hashable {
        /// Sends back every byte it receives.
        case echo
        /// Reads but never answers, so the client's reads time out.
        case silent
        /// Closes the connection as soon as it is accepted.
        case disconnect
        /// Echoes, then closes the connection after echoing this many bytes.
        case echoThenDisconnect(afterBytes: Int)
    }

    /// The port the server listens on.
    public let port: UInt16
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)
    private let echoedBytes = Atomic<Int>(0)
    private let acceptedConnections = Atomic<Int>(0)
    private let group = DispatchGroup()

    /// Starts listening on `127.0.0.1:port` (port 0 picks a free one).
    public init(
        port: UInt16 = 0, behavior: @escaping @Sendable (_ connection: Int) -> Behavior = { _ in .echo }
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

    private func acceptLoop(behavior: @Sendable (Int) -> Behavior) {
        var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        while !stopped.load(ordering: .acquiring) {
            guard poll(&descriptor, 1, 10) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK)
            let index = acceptedConnections.wrappingAdd(1, ordering: .relaxed).oldValue
            let chosen = behavior(index)
            group.enter()
            Thread { [self] in
                serve(connection, chosen)
                Socket.close(connection)
                group.leave()
            }.start()
        }
    }

    private func serve(_ connection: Int32, _ behavior: Behavior) {
        if behavior == .disconnect { return }
        var budget = Int.max
        if case .echoThenDisconnect(let bytes) = behavior { budget = bytes }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var descriptor = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        while !stopped.load(ordering: .acquiring), budget > 0 {
            guard poll(&descriptor, 1, 10) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { Socket.receive(connection, $0) }
            if count == 0 { return }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return
            }
            if behavior == .silent { continue }
            let reply = min(count, budget)
            guard sendAll(connection, buffer[..<reply]) else { return }
            echoedBytes.wrappingAdd(reply, ordering: .relaxed)
            budget -= reply
        }
    }

    private func sendAll(_ connection: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = bytes.startIndex
        var descriptor = pollfd(fd: connection, events: Int16(POLLOUT), revents: 0)
        while offset < bytes.endIndex, !stopped.load(ordering: .acquiring) {
            let count = bytes[offset...].withUnsafeBytes { Socket.send(connection, $0) }
            if count > 0 {
                offset += count
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                _ = poll(&descriptor, 1, 10)
            } else {
                return false
            }
        }
        return offset == bytes.endIndex
    }
}
