/// The body of a `/health` response: every check's result, and whether all passed.
///
/// ```json
/// {"checks":[{"detail":"…","name":"tcp read failures below 5%","passed":true,"value":0.01}],"status":"pass"}
/// ```
public struct HealthReport: Sendable, Hashable, Codable {
    /// One check's result, with its name.
    public struct Check: Sendable, Hashable, Codable {
        /// The check's name.
        public var name: String
        /// Whether it passed.
        public var passed: Bool
        /// The value it compared, if any.
        public var value: Double?
        /// What it found.
        public var detail: String
    }

    /// `pass` when every check passed, `fail` otherwise.
    public var status: String
    /// Every check, in the order they were configured.
    public var checks: [Check]

    /// Whether every check passed.
    public var passed: Bool { status == "pass" }

    /// Runs `checks` over `snapshots`.
    public init(checks: [HealthCheck], snapshots: [RecorderSnapshot]) {
        self.checks = checks.map { check in
            let result = check.run(snapshots)
            return Check(name: check.name, passed: result.passed, value: result.value, detail: result.detail)
        }
        self.status = self.checks.allSatisfy(\.passed) ? "pass" : "fail"
    }
}
