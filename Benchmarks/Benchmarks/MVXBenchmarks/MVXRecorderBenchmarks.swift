import Benchmark
import BenchmarkWorkload
import MVXMetrics

/// MVX's recorders on the workload: the inline recorder, the queued
/// recorder's producer cost (`record` alone), and the queued recorder end to
/// end (emit, flush, totals checked).
enum MVXRecorderBenchmarks {
    static func register() {
        registerInline()
        registerQueuedProducer(erased: false)
        registerQueuedProducer(erased: true)
        registerQueuedEndToEnd()
    }

    // MARK: Inline

    /// The whole work on the caller's thread: route, lock, three metrics.
    static func registerInline() {
        for threads in [1, 2] {
            let state = BenchmarkState<InlineMetricsRecorder>()
            Benchmark(
                "MVX inline record, \(threads) thread\(threads == 1 ? "" : "s")",
                configuration: Harness.configuration(.kilo)
            ) { benchmark in
                let recorder = state.current
                if threads == 1 {
                    Harness.runOneThread(benchmark, next: &state.next) { recorder.record($0) }
                } else {
                    Harness.runTwoThreads(benchmark, helper: state.helper, next: &state.next) { recorder.record($0) }
                }
            } setup: {
                let recorder = InlineMetricsRecorder(entityID: "document-storage")
                try DocumentMetrics.register(in: recorder)
                state.set(
                    recorder,
                    helperJob: threads == 1
                        ? nil
                        : { recorder, range in
                            for index in range { recorder.record(Workload.event(index)) }
                        })
            } teardown: {
                DocumentMetrics.verify(state.current.snapshot(), events: 0..<state.next, context: "inline recorder")
                state.clear()
            }
        }
    }

    // MARK: Queued, producer cost

    /// `record` alone: each measurement records into a recorder whose runtime
    /// has not started, so nothing drains while the clock runs; its lanes hold
    /// the whole batch, are made by one event recorded before the clock starts,
    /// and are drained (and the totals checked) after it stops.
    ///
    /// `erased` records through `any MetricsRecorder`, as a component that was
    /// handed its recorder does: the call then goes through the protocol
    /// witness, unspecialized.
    static func registerQueuedProducer(erased: Bool) {
        for threads in [1, 2] {
            // The recorder of the current measurement, and the same recorder
            // as `any MetricsRecorder`.
            let state = BenchmarkState<(QueuedMetricsRecorder, any MetricsRecorder)>()
            let via = erased ? " via any MetricsRecorder" : ""
            Benchmark(
                "MVX queued record\(via), producer, \(threads) thread\(threads == 1 ? "" : "s")",
                configuration: Harness.configuration(.kilo)
            ) { benchmark in
                let count = benchmark.configuration.scalingFactor.rawValue
                let first = state.next
                let runtime = MetricsRuntime(
                    configuration: .init(
                        name: "bench", defaultCapacity: count + threads, defaultOverflowPolicy: .dropNew))
                let recorder = try! runtime.makeRecorder(entityID: "document-storage")
                try! DocumentMetrics.register(in: recorder)
                let producer: any MetricsRecorder = opaque(recorder)
                state.replace((recorder, producer))
                // One event per producing thread before the clock starts makes its lane.
                recorder.record(Workload.event(first))
                state.next += 1
                if threads == 2 {
                    state.helper.run((first + 1)..<(first + 2))
                    state.next += 1
                }
                switch (threads, erased) {
                case (1, false): Harness.runOneThread(benchmark, next: &state.next) { recorder.record($0) }
                case (1, true): Harness.runOneThread(benchmark, next: &state.next) { producer.record($0) }
                case (_, false):
                    Harness.runTwoThreads(benchmark, helper: state.helper, next: &state.next) { recorder.record($0) }
                case (_, true):
                    Harness.runTwoThreads(benchmark, helper: state.helper, next: &state.next) { producer.record($0) }
                }
                // Never started, so shutting down processes the queued events here.
                runtime.shutdown()
                DocumentMetrics.verify(recorder.snapshot(), events: first..<state.next, context: "queued producer")
            } setup: {
                let placeholder = MetricsRuntime()
                let recorder = try placeholder.makeRecorder(entityID: "placeholder")
                state.set(
                    (recorder, recorder),
                    helperJob: threads == 1
                        ? nil
                        : { recorders, range in
                            if erased {
                                for index in range { recorders.1.record(Workload.event(index)) }
                            } else {
                                for index in range { recorders.0.record(Workload.event(index)) }
                            }
                        })
            } teardown: {
                state.clear()
            }
        }
    }

    /// Hides the recorder's type from the optimizer, as a component that
    /// stores `any MetricsRecorder` does.
    @inline(never)
    static func opaque(_ recorder: QueuedMetricsRecorder) -> any MetricsRecorder { recorder }

    // MARK: Queued, end to end

    /// Emit a batch, flush, and stop the clock when every event is applied to
    /// the three metrics on the runtime's thread. The block policy makes the
    /// run lossless; the totals are checked at teardown.
    static func registerQueuedEndToEnd() {
        for threads in [1, 2] {
            let state = BenchmarkState<(MetricsRuntime, QueuedMetricsRecorder)>()
            Benchmark(
                "MVX queued end to end, \(threads) producer\(threads == 1 ? "" : "s")",
                configuration: Harness.configuration(.mega, maxDuration: .seconds(3))
            ) { benchmark in
                let recorder = state.current.1
                if threads == 1 {
                    Harness.runOneThread(benchmark, next: &state.next) {
                        recorder.record($0)
                    } finish: {
                        try! recorder.flush()
                    }
                } else {
                    Harness.runTwoThreads(benchmark, helper: state.helper, next: &state.next) {
                        recorder.record($0)
                    } finish: {
                        try! recorder.flush()
                    }
                }
            } setup: {
                let runtime = MetricsRuntime(configuration: .init(name: "bench", defaultOverflowPolicy: .block))
                try runtime.start()
                let recorder = try runtime.makeRecorder(entityID: "document-storage")
                try DocumentMetrics.register(in: recorder)
                state.set(
                    (runtime, recorder),
                    helperJob: threads == 1
                        ? nil
                        : { contender, range in
                            for index in range { contender.1.record(Workload.event(index)) }
                        })
            } teardown: {
                let (runtime, recorder) = state.current
                DocumentMetrics.verify(recorder.snapshot(), events: 0..<state.next, context: "queued end to end")
                runtime.shutdown()
                state.clear()
            }
        }
    }
}
