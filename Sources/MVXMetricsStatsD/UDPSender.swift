import MVXMetrics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A non-blocking, connected UDP socket: a send either goes out at once or is
/// dropped, so a slow or absent StatsD server never holds anyone up.
final class UDPSender: @unchecked Sendable {
    // @unchecked: the descriptor is immutable; sends are serialised by the exporter.
    private let descriptor: Int32

    /// Opens a socket towards `host` (an IPv4 address or `localhost`) and `port`.
    init(host: String, port: Int) throws(MetricsError) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(truncatingIfNeeded: port).bigEndian
        guard (1...65535).contains(port),
            unsafe inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1
        else {
            throw MetricsError(
                .invalidConfiguration,
                "StatsD address \(host):\(port) is not an IPv4 address and port (e.g. 127.0.0.1:8125)")
        }
        #if canImport(Darwin)
            let fd = socket(AF_INET, SOCK_DGRAM, 0)
        #else
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
        guard fd >= 0 else {
            throw MetricsError(
                .invalidConfiguration, unsafe "could not open a UDP socket: \(String(cString: strerror(errno)))")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let connected = unsafe withUnsafePointer(to: &address) {
            unsafe $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                unsafe connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw MetricsError(
                .invalidConfiguration, unsafe "could not address \(host):\(port): \(String(cString: strerror(errno)))")
        }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// What became of one datagram.
    enum Outcome {
        /// Handed to the kernel whole.
        case sent
        /// Refused because an earlier datagram came back "port unreachable":
        /// nothing listens at the address now.
        case refused
        /// Dropped for any other reason (a full socket buffer, say).
        case dropped
    }

    /// Sends one datagram, at once or not at all.
    func send(_ datagram: [UInt8]) -> Outcome {
        let sent = unsafe datagram.withUnsafeBytes { buffer in
            #if canImport(Darwin)
                Darwin.send(descriptor, buffer.baseAddress, buffer.count, 0)
            #else
                unsafe Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            #endif
        }
        if sent == datagram.count { return .sent }
        // The kernel reports the ICMP error of an earlier datagram on a later
        // send to a connected socket, and clears it: the next one goes out.
        return sent < 0 && errno == ECONNREFUSED ? .refused : .dropped
    }
}
