import Foundation
import MVXMetricsTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 response read off a raw socket.
struct RawResponse {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A TCP connection to 127.0.0.1 driven byte by byte, for what URLSession will
/// not send (bodies on GET, oversized headers) or not do (hang up mid-response).
///
/// Reads never block a thread: the server answers from Swift concurrency's
/// few cooperative threads, and tests blocking them in `recv` would starve
/// it. A read polls and yields instead, and gives up after ten seconds, so a
/// server that never answers fails the test instead of hanging it.
final class RawConnection {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private(set) var isClosed = false

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        // Connects and sends block at most 30 s (scaled for a sanitized run):
        // a server that neither accepts, reads nor closes fails the test
        // instead of holding one of the few cooperative threads for ever.
        var limit = timeval(tv_sec: 30 * DeadlineScale.factor, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close() }

    /// Sends every byte; a peer that already hung up is not an error here
    /// (the response, or the closed connection, tells the test what happened).
    /// Returns whether every byte went out.
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Sends every byte without blocking the calling thread: it polls and
    /// yields while the socket's buffer is full, for at most `timeout`
    /// (scaled). Returns whether every byte went out.
    func sendPolling(_ bytes: [UInt8], timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout.scaled
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EAGAIN || errno == EWOULDBLOCK, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(1))
            } else {
                return false
            }
        }
        return true
    }

    /// Reads up to `count` bytes (fewer at the end of the stream); nil once closed.
    func read(upTo count: Int) async -> [UInt8]? {
        if !buffer.isEmpty {
            let taken = Array(buffer.prefix(count))
            buffer.removeFirst(taken.count)
            return taken
        }
        return await receive(upTo: count)
    }

    /// Reads from the socket itself, past anything buffered.
    private func receive(upTo count: Int, timeout: Duration = .seconds(60)) async -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout.scaled
        var chunk = [UInt8](repeating: 0, count: count)
        while true {
            let received = chunk.withUnsafeMutableBytes {
                recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
            }
            if received > 0 { return Array(chunk[..<received]) }
            let nothingYet = received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
            guard nothingYet, ContinuousClock.now < deadline else {
                isClosed = true
                return nil
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Reads one response: its head, and a body of `Content-Length` bytes
    /// (none for a response to HEAD). Nil if the connection closed first.
    func readResponse(toHead: Bool = false) async -> RawResponse? {
        while !containsEndOfHead() {
            guard let chunk = await receive(upTo: 65_536) else { return nil }
            buffer += chunk
        }
        let end = endOfHead()!
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = toHead ? 0 : Int(headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0") ?? 0
        while buffer.count < length {
            guard let chunk = await receive(upTo: 65_536) else { return nil }
            buffer += chunk
        }
        let body = Array(buffer.prefix(length))
        buffer.removeFirst(length)
        return RawResponse(status: status, headers: headers, body: body)
    }

    /// Whether the server closes the connection within `timeout` (reads and
    /// discards whatever it still sends).
    func waitForClose(timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard await receive(upTo: 65_536, timeout: deadline - ContinuousClock.now) != nil else {
                return ContinuousClock.now < deadline
            }
        }
        return false
    }

    func close() {
        guard !closedByUs else { return }
        closedByUs = true
        Glibc.close(descriptor)
    }

    private var closedByUs = false

    private func containsEndOfHead() -> Bool { endOfHead() != nil }

    private func endOfHead() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}

/// Sends `request` on a new connection and reads one response.
func rawRequest(port: Int, _ request: String) async throws -> RawResponse? {
    let connection = try RawConnection(port: port)
    connection.send(request)
    return await connection.readResponse(toHead: request.hasPrefix("HEAD "))
}

/// The TCP connections on 127.0.0.1 whose local port is `port` and that are
/// still open on the server's side (established, or half-closed by the peer
/// and not yet closed by the server), from `/proc/net/tcp`. A server that
/// leaks a connection leaves one here for good.
func openServerConnections(port: Int) -> Int {
    guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return 0 }
    let localSuffix = ":" + String(format: "%04X", port)
    return table.split(separator: "\n").dropFirst().filter { line in
        let fields = line.split(separator: " ")
        guard fields.count > 3 else { return false }
        let state = fields[3]
        return fields[1].hasSuffix(localSuffix) && (state == "01" || state == "08")
    }.count
}
