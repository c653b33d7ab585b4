"""Tiny timing harness shared by the Python benchmark scripts of compare.sh.

`measure(fn, seconds)` calibrates a loop count so that one batch takes about seconds/5, runs five
batches and returns the median rate in calls per second of *thread CPU time*
(`time.thread_time`): on a shared machine the wall clock also counts the time other processes
hold the core, CPU time does not (OpenSSL's `speed` and the Rust benches measure the same way). Results are printed as one JSON document
(`emit`) that report.py merges with the other sources.
"""

import json
import statistics
import sys
import time


def measure(fn, seconds: float) -> float:
    """Median calls/second of `fn()` over 5 batches lasting ~seconds/5 each."""
    n = 1
    while True:
        t0 = time.thread_time()
        for _ in range(n):
            fn()
        dt = time.thread_time() - t0
        if dt >= min(0.02, seconds / 10) or n >= 1 << 24:
            break
        n *= 4
    per_batch = max(1, int(n * (seconds / 5) / max(dt, 1e-9)))
    rates = []
    for _ in range(5):
        t0 = time.thread_time()
        for _ in range(per_batch):
            fn()
        rates.append(per_batch / (time.thread_time() - t0))
    return statistics.median(rates)


class Results:
    """Collects rows {id, impl, ops_per_sec, unit} and sample outputs for cross-checks."""

    def __init__(self, source: str):
        self.source = source
        self.rows = []
        self.samples = {}
        self.errors = []

    def add(self, row_id: str, key: str, impl: str, fn, seconds: float, per_call: int = 1,
            unit: str = "op"):
        """Times fn under (row_id, key); per_call = operations per call (e.g. 50 URLs)."""
        try:
            rate = measure(fn, seconds) * per_call
        except Exception as exc:  # a broken peer must show in the report, not kill the run
            self.errors.append(f"{row_id}/{impl}: {type(exc).__name__}: {exc}")
            return
        self.rows.append({"id": row_id, "key": key, "impl": impl, "ops_per_sec": rate, "unit": unit,
                          "source": self.source})
        print(f"  {row_id:<22} {impl:<44} {rate:>14,.0f} {unit}/s", file=sys.stderr)

    def sample(self, key: str, value):
        self.samples[key] = value

    def emit(self, path: str):
        with open(path, "w") as f:
            json.dump({"source": self.source, "rows": self.rows, "samples": self.samples,
                       "errors": self.errors}, f, indent=1)
