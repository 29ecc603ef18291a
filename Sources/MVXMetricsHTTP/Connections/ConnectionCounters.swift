import Synchronization

/// The counters behind ``MetricsHTTPServer/Statistics``, shared by every copy
/// of a server and updated from its event loops.
final class ConnectionCounters: Sendable {
    let accepted = Atomic<Int>(0)
    let refused = Atomic<Int>(0)
    let open = Atomic<Int>(0)
    let requests = Atomic<Int>(0)
    let acceptFailures = Atomic<Int>(0)
    let timedOut = Atomic<Int>(0)
    let clientErrors = Atomic<Int>(0)
    let serverErrors = Atomic<Int>(0)

    /// Takes a place for a new connection, or returns false (and counts the
    /// refusal) when `maximum` are open already.
    func admit(maximum: Int) -> Bool {
        if open.add(1, ordering: .relaxed).newValue > maximum {
            open.subtract(1, ordering: .relaxed)
            refused.add(1, ordering: .relaxed)
            return false
        }
        accepted.add(1, ordering: .relaxed)
        return true
    }

    /// Gives back a place ``admit(maximum:)`` took.
    func release() {
        open.subtract(1, ordering: .relaxed)
    }

    /// Counts a response by its status class.
    func countResponse(status code: Int) {
        switch code {
        case 400..<500: clientErrors.add(1, ordering: .relaxed)
        case 500..<600: serverErrors.add(1, ordering: .relaxed)
        default: break
        }
    }

    var statistics: MetricsHTTPServer.Statistics {
        .init(
            connectionsAccepted: accepted.load(ordering: .relaxed),
            connectionsRefused: refused.load(ordering: .relaxed),
            connectionsOpen: open.load(ordering: .relaxed),
            requestsReceived: requests.load(ordering: .relaxed),
            acceptFailures: acceptFailures.load(ordering: .relaxed),
            requestsTimedOut: timedOut.load(ordering: .relaxed),
            clientErrors: clientErrors.load(ordering: .relaxed),
            serverErrors: serverErrors.load(ordering: .relaxed))
    }
}
