import Foundation
import MVXMetricsTestSupport

/// What a plain HTTP/1.1 GET returned.
struct HTTPReply {
    var status: Int
    var body: String
}

/// GETs `path` from 127.0.0.1:`port` over a socket of its own
/// (`Connection: close`), reading the reply to its end. It blocks the calling
/// thread: call it from a thread of its own (`onThread`), never from a task.
func httpGet(port: Int, path: String, timeout: Duration = .seconds(30)) throws -> HTTPReply {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(socket) }
    // Bounded: a server that stops accepting or answering fails the call
    // instead of holding the calling thread for ever (scaled for a sanitized
    // run).
    var limit = timeval(tv_sec: Int(timeout.scaled.components.seconds), tv_usec: 0)
    setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED) }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    guard send(socket, request, request.count, 0) == request.count else { throw POSIXError(.EPIPE) }
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = recv(socket, &buffer, buffer.count, 0)
        if count <= 0 { break }
        reply += buffer[0..<count]
    }
    let text = String(decoding: reply, as: UTF8.self)
    guard let headerEnd = text.range(of: "\r\n\r\n"), text.hasPrefix("HTTP/1.1 "),
        let status = Int(text.dropFirst(9).prefix(3))
    else { throw POSIXError(.EBADMSG) }
    var body = String(text[headerEnd.upperBound...])
    if text[..<headerEnd.lowerBound].lowercased().contains("transfer-encoding: chunked") { body = dechunked(body) }
    return HTTPReply(status: status, body: body)
}

/// The body of a chunked reply, without its chunk framing.
private func dechunked(_ text: String) -> String {
    var result = Substring()
    var rest = Substring(text)
    while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
        let start = lineEnd.upperBound
        let utf8 = rest.utf8
        let end = utf8.index(start, offsetBy: size)
        result += rest[start..<end]
        rest = rest[end...].dropFirst(2)
    }
    return String(result)
}
