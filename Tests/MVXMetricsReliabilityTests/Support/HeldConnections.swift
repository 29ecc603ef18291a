import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Many idle TCP connections to 127.0.0.1, as a flood holds them: opened
/// with a connect timeout (a listener that stopped accepting lets the kernel's
/// backlog fill, and a connect then waits), never written to, and checked for
/// which the server has closed. (Sendable only to come back from the thread
/// that opens them; the test then uses it from one task.)
final class HeldConnections: @unchecked Sendable {
    private(set) var descriptors: [Int32] = []
    /// Connects that failed or timed out.
    private(set) var failedConnects = 0

    /// Opens `count` connections to `port` on a thread of its own (connects
    /// block, and Swift concurrency's threads are few), each connect bounded
    /// by `timeout` and all of them by `total`.
    static func open(
        port: Int, count: Int, timeout: Duration = .seconds(2), total: Duration = .seconds(20)
    ) async -> HeldConnections {
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(
                    returning: HeldConnections(port: port, count: count, timeout: timeout, total: total))
            }.start()
        }
    }

    private init(port: Int, count: Int, timeout: Duration, total: Duration) {
        let deadline = ContinuousClock.now + total
        for _ in 0..<count {
            guard ContinuousClock.now < deadline else {
                failedConnects += 1
                continue
            }
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else {
                failedConnects += 1
                continue
            }
            var limit = timeval(
                tv_sec: Int(timeout.components.seconds),
                tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
            setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if connected == 0 {
                descriptors.append(descriptor)
            } else {
                failedConnects += 1
                close(descriptor)
            }
        }
    }

    deinit { closeAll() }

    /// How many of the held connections the server has closed (end of stream
    /// or reset), without waiting.
    var closedByServer: Int {
        var byte: UInt8 = 0
        return descriptors.filter { descriptor in
            let received = recv(descriptor, &byte, 1, Int32(MSG_DONTWAIT | MSG_PEEK))
            return received == 0 || (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        }.count
    }

    /// Closes every connection.
    func closeAll() {
        for descriptor in descriptors { close(descriptor) }
        descriptors = []
    }
}

/// Raises this process's soft descriptor limit to at least `count` (up to the
/// hard limit), so the attacking side of a flood is not the one that runs out;
/// returns the limit in force.
@discardableResult
func raiseDescriptorLimit(to count: Int) -> Int {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    if limit.rlim_cur < rlim_t(count) {
        limit.rlim_cur = min(limit.rlim_max, rlim_t(count))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    return Int(limit.rlim_cur)
}
