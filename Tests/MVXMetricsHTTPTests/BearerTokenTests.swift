import Hummingbird
import Testing

@testable import MVXMetricsHTTP

/// The token comparison itself, on headers an HTTP parser might never pass
/// through but the function must still judge right.
@Suite struct BearerTokenTests {
    private let token = Array("secret".utf8)

    private func matches(_ header: String, _ token: [UInt8]) -> Bool {
        BearerTokenMiddleware<BasicRequestContext>.matches(header, token)
    }

    @Test func onlyBearerSpaceAndTheExactTokenMatch() {
        #expect(matches("Bearer secret", token))
        #expect(matches("bEARER secret", token))
        // Found while writing the fuzz harness's property: the space was
        // case-folded too, so a NUL passed for it.
        #expect(!matches("Bearer\u{0}secret", token))
        #expect(!matches("Bearer\u{0}", []))
        #expect(!matches("Bearer  secret", token))
        #expect(!matches("Bearer secret ", token))
        #expect(!matches("Bearer secreT", token))
        #expect(!matches("Bearer", token))
    }
}
