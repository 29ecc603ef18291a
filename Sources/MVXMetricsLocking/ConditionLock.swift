#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pthread mutex with a condition variable, for threads that wait for a
/// state change (the processing thread waiting for work, callers waiting for a
/// flush). Timed waits use the monotonic clock where the platform allows.
///
/// Like ``LockedValue``, it is `Sendable` only when its value is.
// @safe: it owns its mutex and condition, and touches the value only with the mutex held.
@safe
package final class ConditionLock<Value> {
    private var value: Value
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// Creates a condition lock protecting `value`.
    package init(_ value: Value) {
        self.value = value
        unsafe mutex.initialize(to: pthread_mutex_t())
        unsafe condition.initialize(to: pthread_cond_t())
        unsafe pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        unsafe pthread_condattr_init(&attributes)
        #if os(Linux)
            unsafe pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        #endif
        unsafe pthread_cond_init(condition, &attributes)
        unsafe pthread_condattr_destroy(&attributes)
    }

    deinit {
        unsafe pthread_cond_destroy(condition)
        unsafe pthread_mutex_destroy(mutex)
        unsafe condition.deallocate()
        unsafe mutex.deallocate()
    }

    /// Runs `body` with the lock held.
    package func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        unsafe pthread_mutex_lock(mutex)
        defer { unsafe pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Changes the value and wakes every waiter.
    package func withLockBroadcasting<Result>(_ body: (inout Value) -> Result) -> Result {
        unsafe pthread_mutex_lock(mutex)
        defer {
            unsafe pthread_cond_broadcast(condition)
            unsafe pthread_mutex_unlock(mutex)
        }
        return body(&value)
    }

    /// Waits until `done` returns a result, or `timeout` nanoseconds pass
    /// (nil waits for ever). Returns the result, or nil on timeout.
    package func wait<Result>(
        timeoutNanoseconds: Int64? = nil, until done: (inout Value) -> Result?
    ) -> Result? {
        unsafe pthread_mutex_lock(mutex)
        defer { unsafe pthread_mutex_unlock(mutex) }
        let deadline = timeoutNanoseconds.map { Self.now() + $0 }
        while true {
            if let result = done(&value) { return result }
            if let deadline {
                let remaining = deadline - Self.now()
                if remaining <= 0 { return nil }
                waitUnlocked(nanoseconds: remaining)
            } else {
                unsafe pthread_cond_wait(condition, mutex)
            }
        }
    }

    private func waitUnlocked(nanoseconds: Int64) {
        #if os(Linux)
            let deadline = Self.now() + nanoseconds
            var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            unsafe pthread_cond_timedwait(condition, mutex, &time)
        #else
            var time = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
            pthread_cond_timedwait_relative_np(condition, mutex, &time)
        #endif
    }

    /// Nanoseconds on the monotonic clock.
    package static func now() -> Int64 {
        var time = timespec()
        unsafe clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}

// @unchecked: `value` is only touched with `mutex` held, and is itself Sendable.
extension ConditionLock: @unchecked Sendable where Value: Sendable {}
