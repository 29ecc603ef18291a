#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A port on 127.0.0.1 that refuses every connection for as long as it lives.
///
/// A port taken from a server that was then stopped is free again, and the
/// system may give it to the next socket that asks for any port: a client
/// meant to be refused would then connect to someone else's server. This one
/// holds a bound socket that never listens (and shares its address with no
/// one), so connections are refused and no other socket can take the port.
public final class ClosedPort: Sendable {
    /// The port.
    public let port: UInt16
    private let descriptor: Int32

    /// Reserves a free port.
    public init() throws(TCPStreamError) {
        let fd = Socket.makeTCP()
        guard fd >= 0 else { throw TCPStreamError(.failure, nil, "socket(): \(Socket.describe(errno))") }
        var address = Socket.address(host: "127.0.0.1", port: 0)!
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0 else {
            let message = Socket.describe(errno)
            Socket.close(fd)
            throw TCPStreamError(.failure, nil, "could not reserve a port on 127.0.0.1: \(message)")
        }
        port = UInt16(bigEndian: actual.sin_port)
        descriptor = fd
    }

    deinit { Socket.close(descriptor) }
}
