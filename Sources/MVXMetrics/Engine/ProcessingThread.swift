import CMVXMetricsShims

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A joinable POSIX thread running one closure: the runtime's processing
/// thread. The core avoids Foundation's `Thread`, which would pull all of
/// Foundation into every library that adopts it.
final class ProcessingThread: @unchecked Sendable {
    // @unchecked: `handle` is immutable; `pthread_t` is not marked Sendable on
    // every platform.
    private let handle: pthread_t

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    private init(handle: pthread_t) { self.handle = handle }

    /// Starts a thread named `name` (at most 15 bytes are kept) running `body`.
    static func spawn(name: String, _ body: @escaping @Sendable () -> Void) throws(MetricsError) -> ProcessingThread {
        let box = unsafe Unmanaged.passRetained(
            Box {
                setCurrentThreadName(name)
                body()
            })
        #if canImport(Darwin)
            var handle: pthread_t?
            let result = pthread_create(
                &handle, nil,
                { raw in
                    let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
                    box.body()
                    return nil
                }, box.toOpaque())
            guard result == 0, let handle else {
                box.release()
                throw MetricsError(
                    .invalidState, "could not start the processing thread: pthread_create returned \(result)")
            }
        #else
            var handle = pthread_t()
            let result = unsafe pthread_create(
                &handle, nil,
                { raw in
                    let box = unsafe Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                    box.body()
                    return nil
                }, unsafe box.toOpaque())
            guard result == 0 else {
                unsafe box.release()
                throw MetricsError(
                    .invalidState, "could not start the processing thread: pthread_create returned \(result)")
            }
        #endif
        return ProcessingThread(handle: handle)
    }

    /// Waits for the thread to finish.
    func join() {
        pthread_join(handle, nil)
    }

    /// Lets the thread release its resources when it finishes, unjoined.
    func detach() {
        pthread_detach(handle)
    }

    private static func setCurrentThreadName(_ name: String) {
        unsafe mvx_set_thread_name(String(decoding: name.utf8.prefix(15), as: UTF8.self))
    }
}
