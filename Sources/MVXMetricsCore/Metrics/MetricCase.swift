/// An enumeration whose cases name dimensions or label values: outcomes,
/// refusal reasons, error categories.
///
/// Because the cases are known at compile time, every series they name can exist
/// from the start (as zero rather than absent) and their number cannot grow at
/// run time: cardinality is bounded by the type.
///
/// ```swift
/// enum DocumentSaveOutcome: MetricCase {
///     case success, failure, tooLarge
/// }
/// // dimensions: total, success_total, failure_total, too_large_total
/// ```
///
/// The default ``metricLabel`` is the case name in snake case
/// (`remoteDisconnect` becomes `remote_disconnect`). Implement it to choose other
/// names; they must be valid dimension names (see ``MetricNaming``).
public protocol MetricCase: CaseIterable, Hashable, Sendable {
    /// The case's name in dimension names and label values, such as `remote_disconnect`.
    var metricLabel: String { get }
}

extension MetricCase {
    /// The case name in snake case: `remoteDisconnect` becomes `remote_disconnect`.
    public var metricLabel: String { MetricCaseName.snakeCase(String(describing: self)) }
}

/// Helpers shared by the building blocks that index enumeration cases.
enum MetricCaseName {
    /// Converts `remoteDisconnect`, `TLSError` or `http2Error` to `remote_disconnect`,
    /// `tls_error` and `http2_error`.
    static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber
                    || (previous.isUppercase && next?.isLowercase == true)
                {
                    result.append("_")
                }
            }
            result += character.lowercased()
        }
        return result
    }
}

/// Finds a case's position in `allCases`.
///
/// A linear search: outcome and reason enumerations have a handful of cases,
/// and comparing two payload-free cases compares one byte.
@usableFromInline
struct MetricCaseIndexer<Case: MetricCase>: Sendable {
    @usableFromInline let cases: [Case]

    init() {
        self.cases = Array(Case.allCases)
    }

    /// The position of `value` in `allCases`, or `nil` if a custom `allCases`
    /// leaves it out.
    @inlinable @inline(__always)
    func index(of value: Case) -> Int? {
        // Not `cases.span`: `Array.span` needs macOS 26, above the package's platforms.
        for index in cases.indices where cases[index] == value { return index }
        return nil
    }
}
