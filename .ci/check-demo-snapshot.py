#!/usr/bin/env python3
"""Checks the demo's final snapshot (`mvx-metrics-demo --json`) for consistency.

Independent of the Swift code that produced it: it reads the documented JSON
form only. The identities:

- every attempts metric: total = the sum of its <outcome>_total counters,
  refused_total = the sum of refused_by_reason_total{reason}, and its duration
  distribution (in the metric, or a sibling `….duration` metric) saw `total`;
- bytes sent by the TCP clients = bytes echoed + bytes discarded by the echo
  servers (from the servers' own facts), and bytes received = bytes echoed;
- connections opened by the clients = connections served by the servers;
- every recorder: accepted = processed + dropped + pending, none pending and
  none dropped after the final flush;
- and the run was not vacuous: every fault the demo injects was measured.
"""
import json
import sys


def main(path):
    with open(path) as f:
        recorders = json.load(f)
    metrics = {m["name"]: m for r in recorders for m in r["metrics"]}
    problems = []

    def dims(metric, name, labelled=None):
        return [d for d in metric["dimensions"]
                if d["name"] == name and (labelled is None or bool(d.get("labels")) == labelled)]

    def counter(metric_name, dimension="total", labels=None):
        metric = metrics.get(metric_name)
        if metric is None:
            problems.append(f"missing metric {metric_name}")
            return 0
        for d in metric["dimensions"]:
            if d["name"] == dimension and (d.get("labels") or {}) == (labels or {}):
                return d["value"]
        problems.append(f"missing dimension {metric_name} {dimension} {labels or ''}")
        return 0

    attempts = [m for name, m in metrics.items() if name.endswith(".attempts")]
    if len(attempts) != 6:
        problems.append(f"expected 6 attempts metrics, found {len(attempts)}")
    for m in attempts:
        total = dims(m, "total", False)[0]["value"]
        outcomes = [d for d in m["dimensions"] if not d.get("labels") and d["type"] == "counter"
                    and d["name"].endswith("_total") and d["name"] != "total"]
        summed = sum(d["value"] for d in outcomes)
        if not outcomes or summed != total:
            problems.append(f"{m['name']}: total {total} != sum of outcomes {summed}")
        reasons = dims(m, "refused_by_reason_total", True)
        if reasons:
            refused = dims(m, "refused_total", False)[0]["value"]
            if sum(d["value"] for d in reasons) != refused:
                problems.append(f"{m['name']}: refused {refused} != sum by reason")
        sibling = metrics.get(m["name"][:-len(".attempts")] + ".duration", {"dimensions": []})
        distributions = [d for d in m["dimensions"] + sibling["dimensions"] if d["type"] == "distribution"]
        if not distributions or distributions[0]["value"]["count"] != total:
            problems.append(f"{m['name']}: durations measured != total {total}")
        print(f"  {m['name']}: total {total} = " + " + ".join(
            f"{d['name'][:-len('_total')]} {d['value']}" for d in outcomes if d["value"]))

    sent = counter("tcp_stream.sent.bytes")
    received = counter("tcp_stream.received.bytes")
    echoed = counter("tcp_echo_server.echoed.bytes")
    discarded = counter("tcp_echo_server.discarded.bytes")
    print(f"  bytes sent {sent} = echoed {echoed} + discarded {discarded}; received {received} = echoed")
    if sent != echoed + discarded:
        problems.append(f"bytes sent {sent} != echoed {echoed} + discarded {discarded}")
    if received != echoed:
        problems.append(f"bytes received {received} != echoed {echoed}")
    opened = counter("tcp_stream.open.attempts", "success_total")
    served = counter("tcp_echo_server.connections")
    print(f"  connections opened {opened} = served {served}")
    if opened != served:
        problems.append(f"connections opened {opened} != served {served}")

    for r in recorders:
        s = r["statistics"]
        if s["accepted"] != s["processed"] + s["dropped"] + s["pending"] or s["pending"] or s["dropped"]:
            problems.append(f"recorder {r['entity_id']} lost events: {s}")
        print(f"  recorder {r['entity_id']}: accepted {s['accepted']} = processed {s['processed']}"
              f" + dropped {s['dropped']} + pending {s['pending']}")

    # Not vacuous: the workload ran and every injected fault was measured.
    for metric_name, dimension, labels in [
        ("document_storage.save.attempts", "success_total", None),
        ("document_storage.save.attempts", "too_large_total", None),
        ("document_storage.save.attempts", "invalid_name_total", None),
        ("document_storage.save.attempts", "failure_total", None),
        ("tcp_stream.open.attempts", "refused_by_reason_total", {"reason": "connection_refused"}),
        ("tcp_stream.read.attempts", "timeout_total", None),
        ("tcp_stream.read.attempts", "remote_disconnect_total", None),
        ("tcp_stream.write.attempts", "refused_by_reason_total", {"reason": "limit_exceeded"}),
        ("tcp_echo_server.discarded.bytes", "total", None),
    ]:
        if counter(metric_name, dimension, labels) <= 0:
            problems.append(f"nothing measured for {metric_name} {dimension} {labels or ''}")

    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    print("the demo's final snapshot is consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
