import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin, non-blocking POSIX socket calls shared by ``TCPStream`` and
/// ``TCPEchoServer``. Every wait is sliced so that a cancellation or stop flag
/// is noticed within ``slice``.
enum Socket {
    /// How often a wait checks its cancellation flag.
    static let slice: Duration = .milliseconds(10)

    enum WaitResult {
        case ready
        case timedOut
        case cancelled
        case failed(Int32)
    }

    static func makeTCP() -> Int32 {
        #if canImport(Darwin)
            let fd = socket(AF_INET, SOCK_STREAM, 0)
            if fd >= 0 {
                var one: Int32 = 1
                setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            }
        #else
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
        if fd >= 0 { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        return fd
    }

    static func address(host: String, port: UInt16) -> sockaddr_in? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let name = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else { return nil }
        return address
    }

    static func connect(_ fd: Int32, to address: sockaddr_in) -> Int32 {
        var address = address
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Darwin)
                    Darwin.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #elseif canImport(Musl)
                    Musl.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        return result == 0 ? 0 : errno
    }

    static func pendingError(_ fd: Int32) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return errno }
        return error
    }

    /// Waits until `fd` is ready for `events`, the deadline passes, or `cancelled` is set.
    static func wait(
        _ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant, cancelled: borrowing Atomic<Bool>
    ) -> WaitResult {
        while true {
            if cancelled.exchange(false, ordering: .relaxed) { return .cancelled }
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return .timedOut }
            let timeout = min(remaining, slice)
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let result = poll(&descriptor, 1, Int32(milliseconds(timeout)))
            if result > 0 { return .ready }
            if result < 0 && errno != EINTR { return .failed(errno) }
        }
    }

    static func send(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int {
        #if canImport(Darwin)
            Darwin.send(fd, buffer.baseAddress, buffer.count, 0)
        #else
            Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
        #endif
    }

    static func receive(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
        recv(fd, buffer.baseAddress, buffer.count, 0)
    }

    /// Bytes written but not yet acknowledged by the peer.
    static func unsentBytes(_ fd: Int32) -> Int? {
        var pending: Int32 = 0
        #if os(Linux)
            guard ioctl(fd, UInt(TIOCOUTQ), &pending) == 0 else { return nil }
        #else
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_NWRITE, &pending, &length) == 0 else { return nil }
        #endif
        return Int(pending)
    }

    /// Closes the sending side: the peer reads the end of the stream, and this
    /// side can still receive.
    static func shutdownSending(_ fd: Int32) {
        #if canImport(Darwin)
            _ = Darwin.shutdown(fd, SHUT_WR)
        #elseif canImport(Musl)
            _ = Musl.shutdown(fd, SHUT_WR)
        #else
            _ = Glibc.shutdown(fd, Int32(SHUT_WR))
        #endif
    }

    static func close(_ fd: Int32) {
        #if canImport(Darwin)
            _ = Darwin.close(fd)
        #elseif canImport(Musl)
            _ = Musl.close(fd)
        #else
            _ = Glibc.close(fd)
        #endif
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
