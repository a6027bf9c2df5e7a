#!/usr/bin/env python3
"""Benchmark at realistic diversity (bench/scale_data.py): fresh ingest, re-ingest with nothing
new, +1 % incremental, and `ask` latency per question shape without LLM, on SecantusDB run as a
separate process on loopback.

    python bench/bench_scale.py --runs 100000
    python bench/bench_scale.py --runs 1000000 --rebuild   # + a second --full (generations on disk)

Creates the index on `timestamp` the README asks for, and (after a first re-ingest) one on
`{_id: 1, timestamp: 1}`, which SecantusDB needs to serve `_id` ranges; `--no-index`: neither.

Prints one JSON object; the README's Performance section quotes it."""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench_ingest import start_mongo  # noqa: E402
import scale_data  # noqa: E402

# question shapes: a fixed list, the same at every size
SHAPES = {
    "count": ["How many Spark failures yesterday?", "Combien d'échecs Talend cette semaine ?",
              "How many failed runs last week?", "How many warnings today?",
              "how many Kafka runs failed in the last 3 days?", "combien de runs Hive hier ?"],
    "rate": ["What is the failure rate of Snowflake this week?", "taux d'échec de dbt le mois dernier",
             "failure rate of airflow_sales_load last week", "What was the success rate yesterday?"],
    "grouping": ["Quelles technos ont échoué hier ?", "Which pipeline failed the most last week?",
                 "failures by technology this month", "top 5 pipelines by failures in the last 7 days",
                 "errors per day last week", "which Databricks pipelines failed yesterday?"],
    "why_no_window": ["Why did Spark fail?", "why does spark_sales_build fail?", "pourquoi Talend échoue ?",
                      "Why do Kafka connectors fail?", "what causes the NiFi failures?",
                      "why do runs fail with lost connection?", "pourquoi les runs Informatica sont en échec ?"],
    "why_window": ["Why did Kafka fail in the last 3 days?", "explique les erreurs dbt d'hier",
                   "why did Hive fail yesterday?"],
    "all_time": ["How many failures in total?", "which technology failed the most ever?",
                 "when did Snowflake first fail?", "most frequent error of all time",
                 "combien d'échecs Databricks depuis le début ?", "new errors today"],
    "search": ["out of memory errors last week", "permission denied errors since Monday",
               "timed out errors yesterday"],
}


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return round(s[max(0, min(len(s) - 1, int(round(p * len(s))) - 1))], 1)


def du_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=100_000)
    p.add_argument("--passes", type=int, default=2, help="times each question is asked")
    p.add_argument("--rebuild", action="store_true", help="then a second `ingest --full`")
    p.add_argument("--keep", help="keep the index in this directory")
    p.add_argument("--no-index", action="store_true", help="create no MongoDB index (as before issue 20)")
    args = p.parse_args()

    from pymongo import MongoClient

    work = Path(tempfile.mkdtemp(prefix="flowrag-scale-"))
    proc, uri = start_mongo(str(work / "mongo"))
    out: dict = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "runs": args.runs}
    try:
        col = MongoClient(uri)["flowrag_scale"]["flows"]
        now = datetime.now(timezone.utc)
        t = time.perf_counter()
        scale_data.load(col, args.runs, end=now - timedelta(hours=1))
        out["mongo_load_s"] = round(time.perf_counter() - t, 1)
        if not args.no_index:
            col.create_index("timestamp")  # the refresh window's index (README, flowrag doctor)

        from core.engine import Engine
        from core.settings import load_settings

        index_dir = Path(args.keep) if args.keep else work / "index"
        # SecantusDB sorts the whole collection for the first `_id`-ordered read: on a busy machine it
        # misses the driver's heartbeats for longer than the default 5 s, which cancels the read
        settings = load_settings(_env_file=None, MONGO_URI=uri, MONGO_DB="flowrag_scale",
                                 CHROMA_DB_DIR=str(index_dir), LITELLM_MODEL=None, MONGO_TIMEOUT_MS=120_000)
        engine = Engine(settings)
        t = time.perf_counter()
        first = engine.ingest(full=True)
        out["fresh_ingest_s"] = round(time.perf_counter() - t, 1)
        out["distinct_messages"], out["embedded"] = first.distinct_messages, first.embedded
        t = time.perf_counter()
        again = engine.ingest()
        out["reingest_s"] = round(time.perf_counter() - t, 2)
        out["reingest_scanned"], out["reingest_refreshed"] = again.scanned, again.refreshed
        if not args.no_index:
            # SecantusDB serves `_id` ranges only through an index that starts with _id (README)
            col.create_index([("_id", 1), ("timestamp", 1)], name="id_timestamp")
            t = time.perf_counter()
            engine.ingest()
            out["reingest_with_id_index_s"] = round(time.perf_counter() - t, 2)
        extra = max(1, args.runs // 100)
        scale_data.load(col, extra, end=datetime.now(timezone.utc), seed=2, days=1 / 24)
        t = time.perf_counter()
        inc = engine.ingest()
        out["incremental_1pct_s"] = round(time.perf_counter() - t, 2)
        out["incremental_new"], out["incremental_embedded"] = inc.new, inc.embedded

        engine.ask("How many failures yesterday?", use_llm=False)  # warm: opens the store
        lat: dict[str, list[float]] = {k: [] for k in SHAPES}
        slowest = (0.0, "")
        for _ in range(args.passes):
            for shape, questions in SHAPES.items():
                for q in questions:
                    t = time.perf_counter()
                    engine.ask(q, use_llm=False)
                    ms = (time.perf_counter() - t) * 1000
                    lat[shape].append(ms)
                    slowest = max(slowest, (ms, q))
        every = [x for v in lat.values() for x in v]
        out["ask"] = {"questions": sum(len(v) for v in SHAPES.values()), "asks": len(every),
                      "p50_ms": pct(every, .5), "p95_ms": pct(every, .95), "max_ms": round(max(every), 1),
                      "slowest": {"ms": round(slowest[0], 1), "question": slowest[1]},
                      "by_shape": {k: {"p50_ms": pct(v, .5), "p95_ms": pct(v, .95), "max_ms": round(max(v), 1)}
                                   for k, v in lat.items()}}
        out["index_mb"] = du_mb(index_dir)
        engine.close()

        # a count question from the command line, as a user types it: process start-up included
        env = {**os.environ, "CHROMA_DB_DIR": str(index_dir), "MONGO_URI": uri, "MONGO_DB": "flowrag_scale"}
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "flowrag", "ask", "How many Spark failures yesterday?"],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        out["cli_count_question_s"] = round(time.perf_counter() - t, 2)

        if args.rebuild:
            engine = Engine(settings)
            t = time.perf_counter()
            engine.ingest(full=True)
            out["rebuild_s"] = round(time.perf_counter() - t, 1)
            engine.close()
            out["index_mb_after_rebuild"] = du_mb(index_dir)
        print(json.dumps(out, indent=2))
    finally:
        proc.terminate()
        proc.wait(30)


if __name__ == "__main__":
    main()
