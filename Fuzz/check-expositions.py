#!/usr/bin/env python3
"""Runs the real parsers on what the exposition fuzzer's replay mode wrote.

Usage: check-expositions.py FOLDER PROMTOOL

FOLDER holds, for each corpus entry, NAME.input, NAME.txt (text format 0.0.4),
NAME.om (OpenMetrics) and NAME.labels.json (label values a reader must find),
as ExpositionFuzzer writes them with MVX_FUZZ_EXPOSITIONS set. Every .om file
must pass prometheus_client's strict OpenMetrics parser and give back every
required label value; every .txt file must pass `promtool check metrics`,
whose lint advice about the names and units a snapshot gives is allowed (the
renderer keeps the names it is given wherever the formats allow them; the test
suite's ExpositionChecker allows the first three kinds below, and the fuzzer
also picks names such as `le`, `quantile` and `x_count` on purpose); its other
lint problems (no help text, a counter without `_total`, a series written
twice, a `:` in a name) are the renderer's and fail. Prints one line of
counts; on a failure, names the input to keep as a reproducer.
"""

import concurrent.futures
import json
import pathlib
import subprocess
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families

NAMING_ADVICE = (
    "should be written in 'snake_case' not 'camelCase'",
    "should not include type",
    "should not contain abbreviated units",
    "use base unit",
    'non-counter metrics should not have "_total" suffix',
    'non-histogram metrics should not have "_bucket" suffix',
    'non-histogram and non-summary metrics should not have "_count" suffix',
    'non-histogram and non-summary metrics should not have "_sum" suffix',
    'non-histogram metrics should not have "le" label',
    'non-summary metrics should not have "quantile" label',
)


def check_openmetrics(stem):
    # Bytes decoded, not read_text(): text mode would turn a label value's \r into \n.
    text = stem.with_suffix(".om").read_bytes().decode("utf-8")
    required = set(json.loads(stem.with_suffix(".labels.json").read_bytes()))
    try:
        found = set()
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                found.update(sample.labels.values())
    except Exception as error:  # the parser raises ValueError and others
        return f"the OpenMetrics parser refused it: {error!r}"
    missing = required - found
    if missing:
        return f"label values not read back: {sorted(missing)!r}"
    return None


def check_text(stem, promtool):
    run = subprocess.run(
        [promtool, "check", "metrics"], input=stem.with_suffix(".txt").read_bytes(), capture_output=True
    )
    output = (run.stdout + run.stderr).decode("utf-8", "replace")
    complaints = [
        line
        for line in output.splitlines()
        if line.strip() and not any(advice in line for advice in NAMING_ADVICE)
    ]
    # promtool exits 1 on a parse error and 3 on lint problems.
    if run.returncode in (0, 3) and not complaints:
        return None
    return f"promtool ({run.returncode}): {complaints}"


def main():
    folder, promtool = pathlib.Path(sys.argv[1]), sys.argv[2]
    stems = sorted(path.with_suffix("") for path in folder.glob("*.input"))
    failures = []
    for stem in stems:
        problem = check_openmetrics(stem)
        if problem:
            failures.append((stem, "OpenMetrics", problem))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for stem, problem in zip(stems, pool.map(lambda stem: check_text(stem, promtool), stems)):
            if problem:
                failures.append((stem, "text", problem))
    for stem, format_name, problem in failures[:20]:
        print(f"{format_name} exposition of {stem.with_suffix('.input')}: {problem}")
        print(f"  (it is in {stem.with_suffix('.om' if format_name == 'OpenMetrics' else '.txt')})")
    print(
        f"replayed {len(stems)} corpus entries: {len(stems)} OpenMetrics expositions through the strict parser, "
        f"{len(stems)} text expositions through promtool check metrics, {len(failures)} refused"
    )
    return 1 if failures or not stems else 0


if __name__ == "__main__":
    sys.exit(main())
