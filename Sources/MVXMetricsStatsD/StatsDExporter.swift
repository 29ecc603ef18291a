import MVXMetrics
import MVXMetricsExportSupport
import MVXMetricsLocking
import ServiceLifecycle

/// Sends MVX dimensions to a StatsD server as lines over UDP.
///
/// Run it as a `Service` in your `ServiceGroup`: every
/// ``Configuration/interval``, and once more on graceful shutdown, it takes
/// the recorders' snapshots and sends what changed since the last export:
///
/// | MVX dimension | StatsD line |
/// | --- | --- |
/// | counter, floating sum | `name:<growth since last sent>|c` |
/// | gauge | `name:<value>|g` when it changed (a negative value is sent as `name:0|g` then `name:-5|g`) |
/// | distribution in seconds | `name:<milliseconds>|ms`, one per new observation |
/// | other distribution | `name:<value>|ms` (`|h` with DogStatsD tags), one per new observation |
///
/// Lines are packed into datagrams of at most
/// ``Configuration/maximumDatagramSize`` bytes. Sends never block: a datagram
/// that cannot go out at once is dropped and counted in ``statistics``.
///
/// A server that is down or goes away costs nothing but those datagrams:
/// recording and processing go on as before (exporting runs in this
/// service's task, never on their paths), each refused datagram is counted in
/// ``Statistics/datagramsRefused``, and sending resumes by itself when the
/// server is back. The growth of counters carried by a lost datagram is not
/// sent again, as with any UDP loss; the recorders' own totals stay exact.
///
/// Names are `[prefix.]entity.metric[.dimension][.label.value…]`, or with
/// ``Configuration/TagStyle/dogStatsD`` tags `[prefix.]metric[.dimension]`
/// with `|#entity_id:…,label:value` and the recorder's common labels
/// (`MetricsRuntime.Configuration.commonLabels`), which names without tags
/// cannot carry. New observations of a distribution are
/// rebuilt from its bucket counts, each at its bucket's upper bound (or the
/// observed maximum): counts are exact, values exact to the bucket.
///
/// ```swift
/// let statsD = try StatsDExporter(runtime: runtime, configuration: .init(port: 8125))
/// // ServiceGroup(services: [statsD, MetricsRuntimeService(runtime: runtime), app], ...)
/// // (first in the group: it stops last, and its final export has everything)
/// ```
public final class StatsDExporter: Service, Sendable {
    /// Where and how to send.
    public struct Configuration: Sendable {
        /// How labels travel.
        public enum TagStyle: Sendable, Hashable {
            /// Labels and the entity id become parts of the name.
            case none
            /// DogStatsD tags: `|#entity_id:api,reason:tls`.
            case dogStatsD
        }

        /// The server's IPv4 address.
        public var host: String
        /// The server's UDP port.
        public var port: Int
        /// A first name part for every metric, if any.
        public var prefix: String?
        /// How labels travel.
        public var tagStyle: TagStyle
        /// The largest datagram sent, in bytes: 1432 keeps within a common MTU.
        public var maximumDatagramSize: Int
        /// How often changed metrics are sent.
        public var interval: Duration
        /// The most timing lines sent per series in one export; further new
        /// observations are counted in ``Statistics/timingsDropped``.
        public var maximumTimingsPerSeries: Int

        /// Creates a configuration.
        public init(
            host: String = "127.0.0.1", port: Int = 8125, prefix: String? = nil, tagStyle: TagStyle = .none,
            maximumDatagramSize: Int = 1432, interval: Duration = .seconds(1), maximumTimingsPerSeries: Int = 1000
        ) {
            self.host = host
            self.port = port
            self.prefix = prefix
            self.tagStyle = tagStyle
            self.maximumDatagramSize = maximumDatagramSize
            self.interval = interval
            self.maximumTimingsPerSeries = maximumTimingsPerSeries
        }
    }

    /// What the exporter has sent and dropped.
    public struct Statistics: Sendable, Hashable {
        /// Datagrams sent.
        public var datagramsSent: UInt64 = 0
        /// Datagrams that could not go out at once and were dropped, for any
        /// reason (``datagramsRefused`` among them).
        public var datagramsDropped: UInt64 = 0
        /// Datagrams dropped because the kernel reported the server's port
        /// unreachable (`ECONNREFUSED`): no StatsD server listens there now.
        ///
        /// The kernel learns this from the datagram before, which is lost
        /// although counted as sent, so while the server is down about every
        /// other datagram is counted here.
        public var datagramsRefused: UInt64 = 0
        /// Lines sent.
        public var linesSent: UInt64 = 0
        /// New observations beyond ``Configuration/maximumTimingsPerSeries``, not sent.
        public var timingsDropped: UInt64 = 0
    }

    /// The configuration the exporter sends with.
    public let configuration: Configuration
    private let snapshots: @Sendable () async -> [RecorderSnapshot]
    private let sender: UDPSender
    private let state: LockedValue<State>

    private struct State {
        var formatter: StatsDLineFormatter
        var statistics = Statistics()
    }

    /// Creates an exporter of whatever `snapshots` returns at each export.
    ///
    /// - Throws: `MetricsError.Code.invalidConfiguration` for an
    ///   address that is not IPv4, a datagram limit under 64 bytes, or a
    ///   socket that cannot be opened.
    public init(
        configuration: Configuration, snapshots: @escaping @Sendable () async -> [RecorderSnapshot]
    ) throws(MetricsError) {
        guard configuration.maximumDatagramSize >= 64, configuration.maximumTimingsPerSeries >= 0 else {
            throw MetricsError(
                .invalidConfiguration,
                "a StatsD datagram limit must be at least 64 bytes, got \(configuration.maximumDatagramSize)")
        }
        self.configuration = configuration
        self.snapshots = snapshots
        sender = try UDPSender(host: configuration.host, port: configuration.port)
        state = LockedValue(State(formatter: StatsDLineFormatter(configuration: configuration)))
    }

    /// Creates an exporter of every recorder of `runtime`, each export taken
    /// after a flush, so it has every event recorded before it.
    ///
    /// - Throws: as ``init(configuration:snapshots:)``.
    public convenience init(
        runtime: MetricsRuntime, configuration: Configuration = Configuration()
    )
        throws(MetricsError)
    {
        try self.init(configuration: configuration) { await runtime.flushedSnapshot() }
    }

    /// What the exporter has sent and dropped so far.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Sends what changed since the last export, now. ``run()`` calls it on
    /// its interval; call it yourself only while ``run()`` is not running,
    /// since two exports at once could send one growth twice.
    public func export() async {
        let metrics = ExportedMetric.all(in: await snapshots())
        state.withLock { state in
            var lines: [String] = []
            for metric in metrics {
                lines += state.formatter.lines(
                    for: metric.snapshot, entityID: metric.entityID, commonLabels: metric.commonLabels)
            }
            state.statistics.timingsDropped = state.formatter.timingsDropped
            for datagram in StatsDDatagrams.pack(lines, maximumSize: configuration.maximumDatagramSize) {
                switch sender.send(datagram) {
                case .sent:
                    state.statistics.datagramsSent &+= 1
                case .refused:
                    state.statistics.datagramsDropped &+= 1
                    state.statistics.datagramsRefused &+= 1
                case .dropped:
                    state.statistics.datagramsDropped &+= 1
                }
            }
            state.statistics.linesSent &+= UInt64(lines.count)
        }
    }

    /// Exports every ``Configuration/interval`` until graceful shutdown, then
    /// once more, so the server gets the final state; on cancellation it
    /// returns at once.
    public func run() async throws {
        await PeriodicExport.run(every: configuration.interval) { await self.export() }
    }
}
