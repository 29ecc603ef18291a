import Foundation

/// How many times longer than usual the tests may wait for something to
/// happen: `MVX_DEADLINE_SCALE`, a whole number of at least 1, or 1 when it is
/// not set.
///
/// `.ci/run` sets it for its thread-sanitizer pass, where everything runs
/// several times slower, so the end-to-end suites keep their real servers,
/// processes and browser there instead of being skipped. At 1 every deadline is
/// exactly the one written in the test.
///
/// Every deadline a test waits on goes through ``Swift/Duration/scaled`` (or,
/// for a `TimeInterval` or a time limit, ``factor``). The waiting helpers
/// (``eventually(timeout:_:)``, ``runTool(_:_:input:timeout:)``, and the test
/// servers' `waitFor`, `poll` and `receive`) scale the deadline they are
/// given, so their callers write the unscaled one.
public enum DeadlineScale {
    /// The factor every deadline is multiplied by.
    public static let factor: Int = {
        guard let text = ProcessInfo.processInfo.environment["MVX_DEADLINE_SCALE"], !text.isEmpty else { return 1 }
        guard let factor = Int(text), factor >= 1 else {
            preconditionFailure("MVX_DEADLINE_SCALE must be a whole number of at least 1, not \(text)")
        }
        return factor
    }()
}

extension Duration {
    /// This deadline times ``DeadlineScale/factor``: itself, exactly, in a
    /// normal run.
    public var scaled: Duration { self * DeadlineScale.factor }
}
