import Foundation

/// A value several threads update and read, under a pthread-based lock: the
/// thread sanitizer sees its ordering (it does not see the futex under
/// `Synchronization.Mutex` on Linux, and reports false races there).
public final class Collected<Value>: @unchecked Sendable {
    // @unchecked: `storage` is only touched with `lock` held.
    private let lock = NSLock()
    private var storage: Value

    /// Creates the box holding `value`.
    public init(_ value: Value) { storage = value }

    /// Changes the value under the lock.
    public func update(_ body: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&storage)
    }

    /// Reads the value under the lock.
    public func read<Result>(_ body: (Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(storage)
    }

    /// A copy of the value.
    public var value: Value { read { $0 } }
}
