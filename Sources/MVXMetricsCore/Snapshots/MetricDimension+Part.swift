extension MetricDimension {
    /// Where a dimension sits in a split of another by one label: `success_total`
    /// is the part of `total` whose `outcome` is `success`.
    ///
    /// A snapshot keeps both the whole and its parts, so `value("total")` and
    /// `value("success_total")` read directly. An exporter with labelled
    /// series writes the parts as one family, `…_total{outcome="success"}`,
    /// and leaves the whole out: summing the parts gives it, and a series
    /// without the label beside them would make `sum()` count everything
    /// twice. ``OutcomeCounts`` marks its case counters this way.
    ///
    /// In JSON: `"part_of":{"label":"outcome","value":"success","whole":"total"}`.
    public struct Part: Sendable, Hashable, Codable {
        /// The name of the dimension this is a part of, with the same labels.
        public var whole: String
        /// The label that tells the parts apart, such as `outcome`.
        public var label: String
        /// This part's value of ``label``, such as `success`.
        public var value: String

        /// Names the part `label="value"` of the dimension `whole`.
        public init(of whole: String, label: String, value: String) {
            self.whole = whole
            self.label = label
            self.value = value
        }
    }
}
