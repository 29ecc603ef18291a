#!/usr/bin/env python3
"""The Python original's end-to-end throughput, on the benchmark workload.

Runs mvx-common 0.3.0 (module `mvx.common.metrics`), the library MVX Metrics
for Swift was ported from, on the same work as the Swift benchmarks: one
"document save attempt" event per operation (outcome, content size, duration),
counted by outcome, bytes summed, duration in an 11-bucket histogram. The
recorder is made by the package's own `MetricsRuntime`, its queue limit is
raised above the number of events so nothing is dropped, and the totals are
checked after every run, so a harness that lost events fails loudly.

Run it with any Python 3.11+: it makes its own virtual environment next to
itself (`.venv-python-original`), installs mvx-common there, and re-runs itself
inside it. It prints one JSON object, read by `run-benchmarks`:

    python3 Benchmarks/python_original.py [--events N] [--repeats R] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import venv
from pathlib import Path

PACKAGE = "mvx-common==0.3.0"
HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-python-original"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> None:
    """Re-executes this script inside its virtual environment, making it first if needed."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = venv_python()
    marker = VENV / "installed.txt"
    if not python.exists() or not marker.exists() or marker.read_text().strip() != PACKAGE:
        print(f"python_original: creating {VENV.name} with {PACKAGE}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PACKAGE],
            check=True,
        )
        marker.write_text(PACKAGE + "\n")
    os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


def run(arguments: argparse.Namespace) -> dict:
    # Imported here: only the virtual environment has the package.
    from mvx.common.metrics import Metric, MetricEvent, MetricsRuntime
    from mvx.common.metrics import AsyncioMetricsRecorderQueueOverflowPolicy as Overflow

    event_type = "document_storage.save.attempt"
    outcomes = ("success", "failure", "too_large")
    # The Prometheus default buckets, in seconds: HistogramBuckets.durations in Swift.
    bounds = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

    class DocumentSaveAttempt(MetricEvent):
        __slots__ = ("outcome", "content_size", "duration_ns")

        def __init__(self, outcome: str, content_size: int, duration_ns: int) -> None:
            self.outcome = outcome
            self.content_size = content_size
            self.duration_ns = duration_ns

        @property
        def event_type(self) -> str:
            return event_type

    class AttemptsMetric(Metric):
        """Attempts counted by outcome: total and one counter per outcome."""

        def __init__(self) -> None:
            self.total = 0
            self.by_outcome = dict.fromkeys(outcomes, 0)

        @property
        def metric_name(self) -> str:
            return "document_storage.save.attempts"

        def handle_event(self, event: MetricEvent) -> bool:
            if event.event_type != event_type:
                return False
            self.total += 1
            self.by_outcome[event.outcome] += 1
            return True

        def snapshot(self) -> dict:
            return {"total": self.total, **{f"{k}_total": v for k, v in self.by_outcome.items()}}

    class BytesMetric(Metric):
        """Saved bytes summed."""

        def __init__(self) -> None:
            self.total = 0

        @property
        def metric_name(self) -> str:
            return "document_storage.save.bytes"

        def handle_event(self, event: MetricEvent) -> bool:
            if event.event_type != event_type:
                return False
            self.total += event.content_size
            return True

        def snapshot(self) -> dict:
            return {"total": self.total}

    class DurationMetric(Metric):
        """Durations in an 11-bucket histogram, with count and sum."""

        def __init__(self) -> None:
            self.buckets = [0] * (len(bounds) + 1)
            self.count = 0
            self.sum = 0.0

        @property
        def metric_name(self) -> str:
            return "document_storage.save.duration"

        def handle_event(self, event: MetricEvent) -> bool:
            if event.event_type != event_type:
                return False
            seconds = event.duration_ns * 1e-9
            index = len(bounds)
            for position, bound in enumerate(bounds):
                if seconds <= bound:
                    index = position
                    break
            self.buckets[index] += 1
            self.count += 1
            self.sum += seconds
            return True

        def snapshot(self) -> dict:
            return {"count": self.count, "sum": self.sum, "buckets": list(self.buckets)}

    def make_events(count: int, seed: int) -> list:
        # Made before the clock starts, as the Swift benchmarks build theirs from
        # a precomputed table: the measurement is the recording, not the workload.
        events = []
        for index in range(count):
            value = (index * 2654435761 + seed) & 0xFFFFFFFF
            outcome = "success" if value % 10 < 8 else ("failure" if value % 10 < 9 else "too_large")
            events.append(DocumentSaveAttempt(outcome, 512 + value % 65536, 1_000_000 + value % 40_000_000))
        return events

    def one_run(events_total: int, producers: int, run_index: int) -> float:
        runtime = MetricsRuntime(namespace="bench", default_recorder_queue_max_size=events_total + 1)
        runtime.start()
        try:
            recorder = runtime.create_recorder(
                f"document-storage-{run_index}",
                queue_max_size=events_total + 1,
                queue_overflow_policy=Overflow.RAISE_ERROR,
            )
            attempts, saved, durations = AttemptsMetric(), BytesMetric(), DurationMetric()
            for metric in (attempts, saved, durations):
                recorder.register_metric(metric)
            per_producer = events_total // producers
            batches = [make_events(per_producer, seed) for seed in range(producers)]
            expected_bytes = sum(event.content_size for batch in batches for event in batch)
            start_line = threading.Barrier(producers + 1)

            def produce(batch: list) -> None:
                record = recorder.register_event
                start_line.wait()
                for event in batch:
                    record(event)

            threads = [threading.Thread(target=produce, args=(batch,)) for batch in batches]
            for thread in threads:
                thread.start()
            start_line.wait()
            started = time.perf_counter()
            for thread in threads:
                thread.join()
            # Stopping the recorder processes every accepted event first: the
            # package's flush. The clock stops when all of them are applied.
            runtime.stop_recorder(f"document-storage-{run_index}")
            elapsed = time.perf_counter() - started
            recorded = per_producer * producers
            if attempts.total != recorded or durations.count != recorded or saved.total != expected_bytes:
                raise SystemExit(
                    f"python_original: totals wrong after {recorded} events: attempts {attempts.total}, "
                    f"durations {durations.count}, bytes {saved.total} (expected {expected_bytes})"
                )
            return recorded / elapsed
        finally:
            runtime.shutdown()

    results = {}
    for producers in (1, 2):
        rates = [one_run(arguments.events, producers, run) for run in range(arguments.repeats)]
        median = statistics.median(rates)
        results[f"python_original_e2e_{producers}"] = {
            "events_per_second": median,
            "ns_per_event": 1e9 / median,
            "runs": rates,
            "events": arguments.events,
            "producers": producers,
        }
    return {"package": PACKAGE, "python": sys.version.split()[0], "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300_000, help="events per run (default 300000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per producer count; the median is kept")
    parser.add_argument("--smoke", action="store_true", help="a tiny run that checks the harness, not timings")
    arguments = parser.parse_args()
    if arguments.smoke:
        arguments.events, arguments.repeats = 2_000, 1
    ensure_environment()
    print(json.dumps(run(arguments), indent=2))


if __name__ == "__main__":
    main()
