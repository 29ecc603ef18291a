#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value protected by a `pthread_mutex_t`, for the package's own targets.
///
/// Why not `Synchronization.Mutex`: on Linux it is built on futexes that the
/// thread sanitizer cannot see, so every access it protects is reported as a
/// race (the `swift test --sanitize=thread` run of this package would be
/// useless), and its priority-inheritance futex spins long under contention
/// (swiftlang/swift#88440). A pthread mutex is understood by the sanitizer and
/// parks promptly. The mutex and the value live at fixed heap addresses, as a
/// pthread mutex requires; they are reached through pointers rather than a
/// `ManagedBuffer` header, whose formal accesses outside the lock the
/// sanitizer would report.
///
/// It is `Sendable` only when its value is, as NIO's `NIOLockedValueBox`:
/// a lock makes access exclusive, not a non-`Sendable` value safe to share.
package struct LockedValue<Value> {
    @usableFromInline let storage: LockStorage<Value>

    /// Creates a lock protecting `value`.
    package init(_ value: Value) {
        storage = LockStorage(value)
    }

    /// Runs `body` with exclusive access to the value.
    @inlinable @inline(__always)
    package func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        unsafe pthread_mutex_lock(storage.mutex)
        defer { unsafe pthread_mutex_unlock(storage.mutex) }
        return unsafe body(&storage.value.pointee)
    }

    /// Runs `body` with exclusive access to the value; `body` may throw.
    @inlinable @inline(__always)
    package func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        unsafe pthread_mutex_lock(storage.mutex)
        defer { unsafe pthread_mutex_unlock(storage.mutex) }
        return unsafe try body(&storage.value.pointee)
    }

    /// Runs `body` with exclusive access to the value if the lock is free
    /// now, and returns nil without waiting if it is not: for `async` callers,
    /// which must not block their thread on a lock held for long.
    @inlinable @inline(__always)
    package func withLockIfAvailable<Result>(_ body: (inout Value) -> Result) -> Result? {
        guard unsafe pthread_mutex_trylock(storage.mutex) == 0 else { return nil }
        defer { unsafe pthread_mutex_unlock(storage.mutex) }
        return unsafe body(&storage.value.pointee)
    }
}

// @unchecked: every access to the value goes through the mutex, and the value
// is itself Sendable.
extension LockedValue: @unchecked Sendable where Value: Sendable {}

// @safe: it owns the mutex and the value, which `LockedValue` reaches only with the mutex held.
@safe
@usableFromInline
final class LockStorage<Value> {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let value: UnsafeMutablePointer<Value>

    init(_ initial: Value) {
        unsafe value = .allocate(capacity: 1)
        unsafe value.initialize(to: initial)
        unsafe mutex = .allocate(capacity: 1)
        unsafe mutex.initialize(to: pthread_mutex_t())
        // A default (not error-checking) mutex: `withLock` always pairs the
        // lock with its unlock, so there is no misuse for error checking to
        // catch, and glibc's error-checking lock and unlock take about 85
        // instructions where the default ones take about 30 (callgrind), on
        // the inline recorder's path of every event.
        let result = unsafe pthread_mutex_init(mutex, nil)
        precondition(result == 0, "pthread_mutex_init failed: \(result)")
    }

    deinit {
        unsafe pthread_mutex_destroy(mutex)
        unsafe mutex.deinitialize(count: 1)
        unsafe mutex.deallocate()
        unsafe value.deinitialize(count: 1)
        unsafe value.deallocate()
    }

}
