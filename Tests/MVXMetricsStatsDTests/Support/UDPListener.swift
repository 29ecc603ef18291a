import Foundation
import MVXMetricsTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A plain UDP socket on 127.0.0.1 that collects the datagrams sent to it.
final class UDPListener {
    let port: Int
    private let descriptor: Int32

    /// Binds `port`, or a free one for 0 (the port of a server that came back, say).
    init(port: Int = 0) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }

    /// Every datagram that arrives within `timeout` (scaled:
    /// ``Swift/Duration/scaled``) of the previous one.
    func receive(timeout: Duration = .milliseconds(500)) -> [String] {
        let timeout = timeout.scaled
        var datagrams: [String] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            var descriptors = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(
                timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
            guard poll(&descriptors, 1, milliseconds) > 0 else { return datagrams }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return datagrams }
            datagrams.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
    }
}
