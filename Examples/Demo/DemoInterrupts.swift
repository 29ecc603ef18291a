import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The demo's answer to Ctrl-C, SIGTERM and SIGHUP, in force from the first
/// line of `main`: before the options are parsed, while the demo starts, while
/// it runs and while it stops. The first signal asks the run to stop (at once,
/// if it comes before the run has begun), so the demo still flushes, prints
/// its report and removes its temporary folder; a second one ends the process
/// straight away (exit code 130, the folder left behind).
///
/// The handler only counts, in an atomic, which is all a signal handler may
/// safely do; the command watches the count. No signal is lost between the
/// process starting and the handler being in place if whoever starts the
/// process holds the signals blocked until then (the handler unblocks them);
/// otherwise one in the few milliseconds before `main` takes the default
/// action, as it would for any program.
public enum DemoInterrupts {
    /// How many of the signals have arrived.
    private static let received = Atomic<Int>(0)
    /// The terminal whose cursor a second signal shows again, or -1.
    private static let cursorDescriptor = Atomic<Int32>(-1)
    private static let installed = Atomic<Bool>(false)

    /// Installs the handler; later calls do nothing.
    public static func install() {
        // Touch the atomics first, so the handler never runs their lazy
        // initialisation.
        _ = received.load(ordering: .relaxed)
        _ = cursorDescriptor.load(ordering: .relaxed)
        guard installed.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, handle)
            sigaddset(&blocked, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &blocked, nil)
    }

    /// Whether a stop was asked for.
    public static var isStopRequested: Bool { received.load(ordering: .relaxed) > 0 }

    /// Shows the cursor of `descriptor` again should a second signal end the
    /// process while the live view hides it.
    static func restoresCursor(on descriptor: Int32?) {
        cursorDescriptor.store(descriptor ?? -1, ordering: .relaxed)
    }

    /// Calls `stop` as soon as a signal has arrived (at once if one already
    /// has), checking every 20 ms until the task is cancelled.
    static func watch(_ stop: @escaping @Sendable () -> Void) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                if isStopRequested {
                    stop()
                    return
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}

/// The handler: it counts, and on a second signal ends the process, with
/// async-signal-safe calls only.
private func handle(_: Int32) {
    DemoInterrupts.signalArrived()
}

extension DemoInterrupts {
    fileprivate static func signalArrived() {
        guard received.add(1, ordering: .relaxed).newValue > 1 else { return }
        let descriptor = cursorDescriptor.load(ordering: .relaxed)
        if descriptor >= 0 {
            let show: StaticString = "\u{1B}[?25h\n"
            _ = write(descriptor, show.utf8Start, show.utf8CodeUnitCount)
        }
        _exit(130)
    }
}
