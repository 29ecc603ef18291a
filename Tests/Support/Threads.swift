import Dispatch
import Foundation

/// Runs each body on its own thread and returns when all have finished: a join,
/// not a sleep.
public func runOnThreads(_ bodies: [@Sendable () -> Void]) {
    let group = DispatchGroup()
    for body in bodies {
        group.enter()
        Thread {
            body()
            group.leave()
        }.start()
    }
    group.wait()
}
