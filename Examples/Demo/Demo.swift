import Dispatch
import DocumentStorageExample
import Foundation
import MVXMetrics
import MVXMetricsHTTP
import MVXMetricsLocking
import TCPStreamExample

/// The instrumented example service: a document storage saving documents and
/// TCP clients talking to echo servers over 127.0.0.1, all reporting facts to
/// queued recorders of one ``MVXMetrics/MetricsRuntime``, served over HTTP
/// while they run.
///
/// ```swift
/// let demo = try Demo(configuration: .init(duration: .seconds(10)))
/// let address = try await demo.start()        // "http://127.0.0.1:9464/", or nil
/// await demo.run(refreshEvery: .seconds(1)) { elapsed in … }
/// let outcome = await demo.stop()             // final snapshot, checked
/// ```
///
/// The recorders are made per component, as a service would: document storage
/// drops new events when its queues are full (the production default), and the
/// TCP recorders block instead, so not one byte fact is lost and the byte
/// identities of ``ConsistencyReport`` hold exactly.
public final class Demo: Sendable {
    /// What the demo runs.
    public let configuration: DemoConfiguration
    /// The runtime every recorder belongs to.
    public let runtime: MetricsRuntime
    /// The snapshots the live page charts.
    public let history = SnapshotHistory()

    private let documents: DocumentWorkload
    private let documentRecorder: QueuedMetricsRecorder
    private let tcpRecorder: QueuedMetricsRecorder
    private let echoRecorder: QueuedMetricsRecorder
    private let stopSignal = StopSignal()
    private let workers = DispatchGroup()
    // LockedValue (pthread), not Synchronization.Mutex: the thread sanitizer
    // cannot see the latter's futex on Linux and reports false races.
    private let state = LockedValue(State())

    private struct State {
        var startedAt: ContinuousClock.Instant?
        var peers: EchoPeers?
        var server: DemoHTTPServer?
        var sampler: Task<Void, Never>?
        var notes: [String] = []
    }

    /// What a finished run measured.
    public struct Outcome: Sendable {
        /// Every recorder's final snapshot, taken after the last event was processed.
        public var snapshots: [RecorderSnapshot]
        /// The identities the final snapshot satisfies (or not).
        public var report: ConsistencyReport
        /// How long the workload ran.
        public var elapsed: Duration
        /// What the HTTP endpoint refused or cut short (nil when not serving).
        public var http: MetricsHTTPServer.Statistics?
        /// The endpoint's connection cap in force (nil when not serving).
        public var httpConnectionCap: Int?
    }

    /// Creates the runtime and its recorders and registers the metrics; nothing
    /// runs until ``start()``.
    public init(configuration: DemoConfiguration = DemoConfiguration()) throws {
        self.configuration = configuration
        runtime = MetricsRuntime(configuration: .init(name: "mvx-metrics-demo"))
        documentRecorder = try runtime.makeRecorder(entityID: "document-storage")
        tcpRecorder = try runtime.makeRecorder(entityID: "tcp-stream", overflowPolicy: .block)
        echoRecorder = try runtime.makeRecorder(entityID: "tcp-echo-server", overflowPolicy: .block)
        for metric in try DocumentStorageMetrics.all() { try documentRecorder.register(metric) }
        for metric in try TCPStreamMetrics.all() { try tcpRecorder.register(metric) }
        for metric in TCPEchoServerMetrics.all() { try echoRecorder.register(metric) }
        documents = try DocumentWorkload(recorder: documentRecorder)
    }

    deinit {
        // Released without stop(): end the threads and tasks that would
        // otherwise outlive it (the runtime shuts itself down when released).
        stopSignal.raise()
        state.withLock { $0.sampler?.cancel() }
    }

    /// Starts the runtime, the HTTP endpoint (unless serving is off), the echo
    /// servers and the workload; returns the live page's address, if serving.
    ///
    /// Things worth telling the user (a busy preferred port) are in ``notes``.
    public func start() async throws -> String? {
        try await runtime.start()
        var address: String?
        do {
            if let server = try await startServer() {
                state.withLock { $0.server = server }
                address = "http://127.0.0.1:\(server.port)/"
            }
            let peers = try EchoPeers(recorder: echoRecorder)
            state.withLock {
                $0.peers = peers
                $0.startedAt = .now
            }
            startWorkload(peers: peers)
        } catch {
            await state.withLock { $0.server }?.stop()
            await runtime.shutdown()
            documents.removeFolder()
            throw error
        }
        let interval = configuration.sampleInterval
        let sampler = Task { [runtime, history] in
            while !Task.isCancelled {
                history.append(await runtime.snapshot())
                try? await Task.sleep(for: interval)
            }
        }
        state.withLock { $0.sampler = sampler }
        return address
    }

    /// What the HTTP endpoint refused or cut short so far (nil when not serving).
    public var httpStatistics: MetricsHTTPServer.Statistics? {
        state.withLock { $0.server }?.server.statistics
    }

    /// Removes the documents' temporary folder; for a process about to end at
    /// once (``stop()`` removes it too).
    public func removeTemporaryFiles() {
        documents.removeFolder()
    }

    /// What the demo wants the user to know about how it started.
    public var notes: [String] { state.withLock { $0.notes } }

    /// How long the workload has run.
    public var elapsed: Duration {
        state.withLock { $0.startedAt }.map { $0.duration(to: .now) } ?? .zero
    }

    /// Whether the run is over: its duration passed, or a stop was requested.
    public var isFinished: Bool {
        if stopSignal.isRaised { return true }
        guard let duration = configuration.duration else { return false }
        return elapsed >= duration
    }

    /// Asks the run to end; safe from any thread, a signal handler's queue included.
    public func requestStop() {
        stopSignal.raise()
    }

    /// Waits until the run is over, calling `refresh` about every `interval`
    /// with the elapsed time (for a view), and once more at the end.
    public func run(refreshEvery interval: Duration, _ refresh: (Duration) async -> Void) async {
        var nextRefresh = ContinuousClock.now
        while !isFinished {
            if ContinuousClock.now >= nextRefresh {
                await refresh(elapsed)
                nextRefresh = .now + interval
            }
            // Short naps, so a stop request or the end of the duration is
            // noticed within a tenth of a second whatever the refresh interval.
            // Cancelling the waiting task is a stop request too.
            do { try await Task.sleep(for: .milliseconds(50)) } catch { requestStop() }
        }
        await refresh(min(elapsed, configuration.duration ?? elapsed))
    }

    /// Ends the run cleanly: stops the workload and waits for its threads, lets
    /// the echo servers serve what the clients sent, flushes every recorder,
    /// takes the final snapshot, then stops the HTTP endpoint and the runtime.
    public func stop() async -> Outcome {
        stopSignal.raise()
        let elapsed = min(self.elapsed, configuration.duration ?? self.elapsed)
        await withCheckedContinuation { continuation in
            workers.notify(queue: .global()) { continuation.resume() }
        }
        if let peers = state.withLock({ $0.peers }) {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    peers.finish()
                    continuation.resume()
                }
            }
        }
        await runtime.flush()
        let snapshots = await runtime.snapshot()
        history.append(snapshots)
        let (sampler, server) = state.withLock { ($0.sampler, $0.server) }
        sampler?.cancel()
        await sampler?.value
        await server?.stop()
        await runtime.shutdown()
        documents.removeFolder()
        return Outcome(
            snapshots: snapshots, report: ConsistencyReport(snapshots), elapsed: elapsed,
            http: server?.server.statistics, httpConnectionCap: server?.server.connectionCap)
    }

    private func startServer() async throws -> DemoHTTPServer? {
        switch configuration.serving {
        case .off:
            return nil
        case .port(let port):
            do {
                return try await DemoHTTPServer.start(
                    port: port, runtime: runtime, history: history,
                    maximumConnections: configuration.maximumConnections)
            } catch {
                throw DemoError(
                    "could not listen on 127.0.0.1:\(port) (\(Self.reason(error))); choose another --port, "
                        + "--port 0 for a free one, or --no-serve")
            }
        case .preferredPort(let port):
            do {
                return try await DemoHTTPServer.start(
                    port: port, runtime: runtime, history: history,
                    maximumConnections: configuration.maximumConnections)
            } catch {
                let server = try await DemoHTTPServer.start(
                    port: 0, runtime: runtime, history: history,
                    maximumConnections: configuration.maximumConnections)
                state.withLock {
                    $0.notes.append(
                        "port \(port) is not available (\(Self.reason(error))); serving on port \(server.port) instead")
                }
                return server
            }
        }
    }

    private func startWorkload(peers: EchoPeers) {
        let rate = Double(max(1, configuration.rate))
        let clients = max(1, configuration.tcpClients)
        spawn { [documents, stopSignal] in documents.run(rate: rate, stop: stopSignal) }
        let tcp = TCPWorkload(peers: peers, recorder: tcpRecorder)
        for client in 0..<clients {
            // Clients start at different places in the session cycle.
            let offset = client * TCPWorkload.Session.cycle.count / clients
            spawn { [stopSignal] in tcp.run(rate: rate / Double(clients), offset: offset, stop: stopSignal) }
        }
    }

    /// Runs `body` on a thread of its own: the workload blocks on sockets and
    /// files, which must not happen on the concurrency pool's few threads.
    private func spawn(_ body: @escaping @Sendable () -> Void) {
        workers.enter()
        let thread = Thread { [workers] in
            body()
            workers.leave()
        }
        thread.start()
    }

    private static func reason(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("EADDRINUSE") { return "address already in use" }
        return text
    }
}
