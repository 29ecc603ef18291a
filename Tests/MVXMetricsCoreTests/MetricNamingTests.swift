import MVXMetricsCore
import Testing

@Suite struct MetricNamingTests {
    @Test(arguments: ["document_storage.save.attempts", "a", "tcp_stream.read2.attempts", "x.y_z.w9"])
    func acceptsValidMetricNames(_ name: String) {
        #expect(MetricNaming.isValidMetricName(name))
    }

    @Test(arguments: [
        "", ".", "a.", ".a", "a..b", "Document.save", "a.Save", "1a", "a.1b", "a-b", "a b", "a/b", "é", "a.b\n",
        String(repeating: "a", count: 201),
    ])
    func rejectsInvalidMetricNames(_ name: String) {
        #expect(!MetricNaming.isValidMetricName(name))
        #expect(throws: MetricsError.self) { try MetricNaming.validateMetricName(name) }
    }

    @Test func dimensionLabelAndUnitRules() {
        #expect(MetricNaming.isValidDimensionName("success_total"))
        #expect(!MetricNaming.isValidDimensionName("Success"))
        #expect(!MetricNaming.isValidDimensionName("a.b"))
        #expect(!MetricNaming.isValidDimensionName("_total"))
        #expect(MetricNaming.isValidLabelName("reason"))
        #expect(MetricNaming.isValidLabelName("_reason"))
        #expect(MetricNaming.isValidLabelName("Reason2"))
        #expect(!MetricNaming.isValidLabelName("__reason"))
        #expect(!MetricNaming.isValidLabelName("2reason"))
        #expect(!MetricNaming.isValidLabelName("re-ason"))
        #expect(!MetricNaming.isValidLabelName(""))
    }

    @Test func errorMessagesQuoteHostileNamesOnOneLine() throws {
        let error = #expect(throws: MetricsError.self) {
            try MetricNaming.validateMetricName("bad\nname\"" + String(repeating: "x", count: 300))
        }
        #expect(error?.code == .invalidName)
        #expect(error?.message.contains("\n") == false)
        #expect(error?.message.contains("bad\\nname\\\"") == true)
        #expect(error?.message.contains("…") == true)
    }

    @Test func caseNamesAreSnakeCase() {
        enum Sample: MetricCase {
            case success, remoteDisconnect, tlsError, TLSHandshake, http2Error
        }
        #expect(
            Sample.allCases.map(\.metricLabel) == [
                "success", "remote_disconnect", "tls_error", "tls_handshake", "http2_error",
            ])
    }
}
