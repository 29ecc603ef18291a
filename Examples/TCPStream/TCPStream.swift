import MVXMetricsCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP client connection that reports every operation as a fact:
/// open, read, write, drain and close attempts with their outcome, refusal
/// reason, bytes and duration.
///
/// The stream knows what a timeout, a refusal or a remote disconnect is. It
/// does not know which metrics exist: it hands a ``TCPStreamAttemptEvent`` to
/// its recorder after each operation, whatever the outcome.
///
/// Operations block the calling thread until they complete, fail or reach
/// their deadline. Use one operation at a time; ``cancel()`` may be called from
/// any thread to interrupt the one in progress.
///
/// ```swift
/// let stream = TCPStream(metrics: recorder)
/// try stream.open(host: "127.0.0.1", port: server.port)
/// try stream.write(Array("ping".utf8))
/// let reply = try stream.read(upTo: 4)
/// try stream.close()
/// ```
public final class TCPStream<C: Clock>: Sendable where C.Duration == Duration {
    /// The largest write accepted; larger ones are refused with
    /// ``TCPStreamRefusalReason/limitExceeded``.
    public let maximumWriteSize: ByteCount
    private let metrics: any MetricsRecorder
    private let clock: C
    private let descriptor = Mutex<Int32?>(nil)
    private let cancelRequested = Atomic<Bool>(false)

    /// Creates a closed stream that measures operations with `clock`.
    public init(maximumWriteSize: ByteCount = .mebibytes(1), metrics: any MetricsRecorder = .noop, clock: C) {
        self.maximumWriteSize = maximumWriteSize
        self.metrics = metrics
        self.clock = clock
    }

    deinit {
        if let fd = descriptor.withLock({ $0 }) { Socket.close(fd) }
    }

    /// Whether the stream is open.
    public var isOpen: Bool { descriptor.withLock { $0 != nil } }

    /// Interrupts the operation in progress, which ends as
    /// ``TCPStreamOutcome/cancelled``; if none is in progress, the next one is.
    public func cancel() {
        cancelRequested.store(true, ordering: .relaxed)
    }

    /// Connects to `host` (an IPv4 address or `localhost`) and `port`.
    public func open(host: String, port: UInt16, timeout: Duration = .seconds(5)) throws(TCPStreamError) {
        try attempt(TCPStreamOpenAttempt.self) { () throws(TCPStreamError) in
            guard !isOpen else { throw TCPStreamError(.refused, .alreadyConnected, "the stream is already open") }
            guard let address = Socket.address(host: host, port: port) else {
                throw TCPStreamError(.refused, .invalidAddress, "\"\(host)\" is not an IPv4 address")
            }
            let fd = Socket.makeTCP()
            guard fd >= 0 else { throw TCPStreamError(.failure, nil, "socket(): \(Socket.describe(errno))") }
            do throws(TCPStreamError) {
                var code = Socket.connect(fd, to: address)
                if code == EINPROGRESS {
                    try waitOrThrow(fd, for: Int16(POLLOUT), timeout: timeout, operation: "connect")
                    code = Socket.pendingError(fd)
                }
                switch code {
                case 0: break
                case ECONNREFUSED:
                    throw TCPStreamError(.refused, .connectionRefused, "\(host):\(port) refused the connection")
                case ENETUNREACH, EHOSTUNREACH:
                    throw TCPStreamError(.refused, .networkUnreachable, "\(host):\(port) is unreachable")
                case ETIMEDOUT: throw TCPStreamError(.timeout, nil, "connecting to \(host):\(port) timed out")
                default: throw TCPStreamError(.failure, nil, "connect(): \(Socket.describe(code))")
                }
            } catch {
                Socket.close(fd)
                throw error
            }
            descriptor.withLock { $0 = fd }
            return ByteCount.zero
        }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8], timeout: Duration = .seconds(5)) throws(TCPStreamError) {
        var sent = 0
        try attempt(TCPStreamWriteAttempt.self, bytesOnFailure: { ByteCount(sent) }) { () throws(TCPStreamError) in
            let fd = try openDescriptor()
            guard bytes.count <= maximumWriteSize.bytes else {
                throw TCPStreamError(
                    .refused, .limitExceeded,
                    "a write of \(bytes.count) bytes exceeds the limit of \(maximumWriteSize.bytes)")
            }
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while sent < bytes.count {
                let count = bytes.withUnsafeBytes { Socket.send(fd, UnsafeRawBufferPointer(rebasing: $0[sent...])) }
                if count > 0 {
                    sent += count
                    continue
                }
                let code = errno
                switch code {
                case EAGAIN, EWOULDBLOCK, EINTR:
                    try waitOrThrow(fd, for: Int16(POLLOUT), until: deadline, operation: "write")
                case EPIPE, ECONNRESET:
                    throw TCPStreamError(.remoteDisconnect, nil, "the peer closed the connection during a write")
                default:
                    throw TCPStreamError(.failure, nil, "send(): \(Socket.describe(code))")
                }
            }
            return ByteCount(sent)
        }
    }

    /// Reads at least one and at most `maximum` bytes.
    public func read(upTo maximum: Int, timeout: Duration = .seconds(5)) throws(TCPStreamError) -> [UInt8] {
        var received: [UInt8] = []
        try attempt(TCPStreamReadAttempt.self) { () throws(TCPStreamError) in
            let fd = try openDescriptor()
            let deadline = ContinuousClock.now.advanced(by: timeout)
            var buffer = [UInt8](repeating: 0, count: max(1, maximum))
            while true {
                let count = buffer.withUnsafeMutableBytes { Socket.receive(fd, $0) }
                if count > 0 {
                    received = Array(buffer[..<count])
                    return ByteCount(count)
                }
                if count == 0 {
                    throw TCPStreamError(.remoteDisconnect, nil, "the peer closed the connection")
                }
                let code = errno
                switch code {
                case EAGAIN, EWOULDBLOCK, EINTR:
                    try waitOrThrow(fd, for: Int16(POLLIN), until: deadline, operation: "read")
                case ECONNRESET:
                    throw TCPStreamError(.remoteDisconnect, nil, "the peer reset the connection")
                default:
                    throw TCPStreamError(.failure, nil, "recv(): \(Socket.describe(code))")
                }
            }
        }
        return received
    }

    /// Waits until the peer has acknowledged every byte written.
    public func drain(timeout: Duration = .seconds(5)) throws(TCPStreamError) {
        try attempt(TCPStreamDrainAttempt.self) { () throws(TCPStreamError) in
            let fd = try openDescriptor()
            let deadline = ContinuousClock.now.advanced(by: timeout)
            while true {
                guard let unsent = Socket.unsentBytes(fd) else {
                    throw TCPStreamError(.failure, nil, "could not read the send queue: \(Socket.describe(errno))")
                }
                if unsent == 0 { return ByteCount.zero }
                if cancelRequested.exchange(false, ordering: .relaxed) {
                    throw TCPStreamError(.cancelled, nil, "the drain was cancelled")
                }
                if ContinuousClock.now >= deadline {
                    throw TCPStreamError(.timeout, nil, "\(unsent) bytes were still unacknowledged at the deadline")
                }
                usleep(1000)
            }
        }
    }

    /// Closes the connection.
    public func close() throws(TCPStreamError) {
        try attempt(TCPStreamCloseAttempt.self) { () throws(TCPStreamError) in
            guard
                let fd = descriptor.withLock({ fd in
                    defer { fd = nil }; return fd
                })
            else {
                throw TCPStreamError(.refused, .notConnected, "the stream is not open")
            }
            Socket.close(fd)
            return ByteCount.zero
        }
    }

    // MARK: Measuring

    /// Runs `body`, then records one `Event` with its outcome, bytes and duration.
    private func attempt<Event: TCPStreamAttemptEvent>(
        _ event: Event.Type,
        bytesOnFailure: () -> ByteCount = { .zero },
        _ body: () throws(TCPStreamError) -> ByteCount
    ) throws(TCPStreamError) {
        let start = clock.now
        do {
            let bytes = try body()
            metrics.record(
                Event(outcome: .success, refusalReason: nil, bytes: bytes, duration: start.duration(to: clock.now)))
        } catch {
            metrics.record(
                Event(
                    outcome: error.outcome, refusalReason: error.refusalReason, bytes: bytesOnFailure(),
                    duration: start.duration(to: clock.now)))
            throw error
        }
    }

    private func openDescriptor() throws(TCPStreamError) -> Int32 {
        guard let fd = descriptor.withLock({ $0 }) else {
            throw TCPStreamError(.refused, .notConnected, "the stream is not open")
        }
        return fd
    }

    private func waitOrThrow(
        _ fd: Int32, for events: Int16, timeout: Duration, operation: String
    ) throws(TCPStreamError) {
        try waitOrThrow(fd, for: events, until: ContinuousClock.now.advanced(by: timeout), operation: operation)
    }

    private func waitOrThrow(
        _ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant, operation: String
    ) throws(TCPStreamError) {
        switch Socket.wait(fd, for: events, until: deadline, cancelled: cancelRequested) {
        case .ready: return
        case .timedOut: throw TCPStreamError(.timeout, nil, "the \(operation) timed out")
        case .cancelled: throw TCPStreamError(.cancelled, nil, "the \(operation) was cancelled")
        case .failed(let code): throw TCPStreamError(.failure, nil, "poll(): \(Socket.describe(code))")
        }
    }
}

extension TCPStream where C == ContinuousClock {
    /// Creates a closed stream that measures operations with the continuous clock.
    public convenience init(maximumWriteSize: ByteCount = .mebibytes(1), metrics: any MetricsRecorder = .noop) {
        self.init(maximumWriteSize: maximumWriteSize, metrics: metrics, clock: ContinuousClock())
    }
}
