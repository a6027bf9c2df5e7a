#!/usr/bin/env python3
"""Benchmark: `redact()` throughput, old module against new, on real and synthetic log text.

    python bench/bench_redact.py                    # old = core/redact.py at HEAD, new = the work tree
    python bench/bench_redact.py --old-ref HEAD~1   # once the new module is committed
    python bench/bench_redact.py --repeat 7 --json  # more runs; one JSON object instead of a table

Corpora: the messages of the Loghub records built by ../shared/datasets/loghub_flows.py
(read in place, never copied into the repo), and synthetic Java/Spark/Python stack traces
of 2-60 KB. Each figure is the best of --repeat runs over the whole corpus. The last lines
put the difference in the ingest budget's terms: redaction may add at most 10 % of the
~14.5 s that ingesting the 16,000 Loghub records takes end to end."""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGHUB = ROOT.parent / "shared" / "datasets" / "loghub_flows.py"
INGEST_SECONDS = 14.5  # end-to-end ingest of the 16,000 Loghub records (bench/bench_ingest.py --loghub)
BUDGET = 0.10


def load_old(ref: str) -> types.ModuleType:
    """core/redact.py as it is at `ref`, loaded as a module of its own."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:core/redact.py"],
        check=True, capture_output=True, text=True,
    ).stdout
    module = types.ModuleType("redact_old")
    module.__file__ = f"<{ref}:core/redact.py>"
    sys.modules["redact_old"] = module  # dataclasses and friends look modules up by name
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def load_new() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("redact_new", ROOT / "core" / "redact.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["redact_new"] = module
    spec.loader.exec_module(module)
    return module


def loghub_messages(path: Path) -> list[str]:
    spec = importlib.util.spec_from_file_location("loghub_flows", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [record["error_message"] for record, _ in module.records(dt.date(2026, 11, 23))]


_JAVA_FRAMES = (
    "\tat org.apache.spark.sql.catalyst.trees.TreeNode.mapChildren(TreeNode.scala:1228)\n",
    "\tat org.apache.spark.rdd.RDD.computeOrReadCheckpoint(RDD.scala:367)\n",
    "\tat org.apache.hadoop.hdfs.DFSOutputStream$DataStreamer.run(DFSOutputStream.java:562)\n",
    "\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)\n",
    "\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:262)\n",
)
_PY_FRAME = (
    '  File "/opt/airflow/dags/etl/load_{i}.py", line {n}, in execute\n'
    "    self.hook.run(sql, parameters={{'batch': {n}, 'token_count': {i}}})\n"
)


def synthetic_traces() -> list[str]:
    """Stack traces of 2-60 KB; one in four carries a secret in its header line."""
    heads = (
        "org.apache.spark.SparkException: Job aborted due to stage failure: Task 3 in stage 7.0 failed 4 times\n",
        "java.sql.SQLException: connection refused url=jdbc:postgresql://etl:Pw0rd@db-prod:5432/dwh\n",
        "Traceback (most recent call last):\n",
        "py4j.protocol.Py4JJavaError: An error occurred while calling o123.save. -----------------\n",
    )
    traces = []
    for k, frames in enumerate((25, 100, 250, 700)):
        for h, head in enumerate(heads):
            if head.startswith("Traceback"):
                body = "".join(_PY_FRAME.format(i=i, n=10 + i % 300) for i in range(frames // 2))
                body += "psycopg2.OperationalError: FATAL:  password authentication failed for user \"etl\"\n"
            else:
                body = "".join(_JAVA_FRAMES[(i + h) % len(_JAVA_FRAMES)] for i in range(frames))
                body += "Caused by: java.io.IOException: Filesystem closed\n"
            traces.append(head + body)
    return traces


def best_time(redact, texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            redact(text)
        best = min(best, time.perf_counter() - started)
    return best


def measure(name: str, texts: list[str], old, new, repeat: int) -> dict:
    size = sum(len(t.encode("utf-8")) for t in texts)
    # Interleaved, so that a noisy moment on the machine hurts both sides alike.
    old_s = new_s = float("inf")
    for _ in range(repeat):
        old_s = min(old_s, best_time(old.redact, texts, 1))
        new_s = min(new_s, best_time(new.redact, texts, 1))
    row = {"corpus": name, "messages": len(texts), "mb": round(size / 1e6, 3)}
    for side, seconds in (("old", old_s), ("new", new_s)):
        row[side] = {
            "seconds": round(seconds, 4),
            "mb_per_s": round(size / 1e6 / seconds, 2),
            "us_per_message": round(seconds * 1e6 / len(texts), 2),
        }
    row["change_pct"] = round((new_s - old_s) / old_s * 100, 1)  # + is slower
    return row


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--old-ref", default="HEAD", help="git revision of the old core/redact.py (default: HEAD)")
    p.add_argument("--loghub", type=Path, default=LOGHUB, help="path to loghub_flows.py")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    a = p.parse_args(argv)

    old, new = load_old(a.old_ref), load_new()
    same_source = Path(new.__file__).read_text() == subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{a.old_ref}:core/redact.py"], capture_output=True, text=True).stdout
    if not a.loghub.exists():
        p.error(f"{a.loghub} not found: the Loghub corpus is read from shared/datasets beside the repo")
    loghub = loghub_messages(a.loghub)
    traces = synthetic_traces()
    rows = [measure("loghub", loghub, old, new, a.repeat), measure("stack traces", traces, old, new, a.repeat)]

    lh = rows[0]
    per_ingest = {side: lh[side]["seconds"] * 16_000 / lh["messages"] for side in ("old", "new")}
    added = per_ingest["new"] - per_ingest["old"]
    result = {
        "old_ref": a.old_ref,
        "same_source": same_source,
        "rows": rows,
        "loghub_16k": {
            "old_seconds": round(per_ingest["old"], 4),
            "new_seconds": round(per_ingest["new"], 4),
            "added_seconds": round(added, 4),
            "added_pct_of_ingest": round(added / INGEST_SECONDS * 100, 2),
            "budget_seconds": round(BUDGET * INGEST_SECONDS, 2),
            "within_budget": added <= BUDGET * INGEST_SECONDS,
        },
    }
    if a.json:
        print(json.dumps(result, indent=2))
        return 0
    if same_source:
        print(f"note: core/redact.py is unchanged since {a.old_ref}; pass --old-ref to compare with an older one")
    print(f"{'corpus':<14}{'msgs':>7}{'MB':>8}   {'old MB/s':>9}{'old us/msg':>11}   "
          f"{'new MB/s':>9}{'new us/msg':>11}   {'change':>7}")
    for r in rows:
        print(f"{r['corpus']:<14}{r['messages']:>7}{r['mb']:>8.3f}   {r['old']['mb_per_s']:>9.2f}"
              f"{r['old']['us_per_message']:>11.2f}   {r['new']['mb_per_s']:>9.2f}"
              f"{r['new']['us_per_message']:>11.2f}   {r['change_pct']:>+6.1f}%")
    b = result["loghub_16k"]
    print(f"16,000 Loghub messages: old {b['old_seconds']:.3f} s, new {b['new_seconds']:.3f} s, "
          f"added {b['added_seconds']:+.3f} s = {b['added_pct_of_ingest']:+.2f} % of the {INGEST_SECONDS} s ingest "
          f"(budget {b['budget_seconds']} s: {'within' if b['within_budget'] else 'OVER'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
