#!/usr/bin/env python3
"""Benchmark: ingest speed, re-ingest cost, peak memory and `ask` latency, on a real MongoDB
wire server (SecantusDB, run as a separate process so that RSS figures are flowrag's alone).

    python bench/bench_ingest.py --loghub                 # the 16,000 Loghub records (../shared/datasets)
    python bench/bench_ingest.py --synthetic 1000000      # synthetic records
    python bench/bench_ingest.py --synthetic 100000 --mongo-uri mongodb://host:27017  # your own server

Prints one JSON object; targets are in the README."""
from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

LOGHUB = ROOT.parent / "shared" / "datasets" / "loghub_flows.py"
QUESTIONS = [
    "How many Spark failures yesterday?", "Quelles technos ont échoué hier ?",
    "Which pipeline failed the most last week?", "Combien d'échecs Talend cette semaine ?",
    "Why did Kafka fail in the last 3 days?", "connection refused errors since Monday",
    "Hadoop errors yesterday", "OutOfMemoryError Java heap space", "explique les erreurs dbt d'hier",
    "How many warnings today?",
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_mongo(data_dir: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "secantus", "--host", "127.0.0.1", "--port", str(port),
                             "--storage-path", data_dir, "--standalone", "--log-level", "WARNING"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    from pymongo import MongoClient

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            MongoClient(uri, serverSelectionTimeoutMS=500).admin.command("ping")
            return proc, uri
        except Exception:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("SecantusDB did not start")


def fill(uri: str, args) -> int:
    from pymongo import MongoClient

    col = MongoClient(uri)[args.db]["flows"]
    col.drop()
    if args.loghub:
        with tempfile.NamedTemporaryFile(suffix=".jsonl") as f:
            subprocess.run([sys.executable, str(LOGHUB), "--out", f.name], check=True)
            from bson import json_util

            docs = [json_util.loads(line) for line in Path(f.name).read_text().splitlines() if line.strip()]
        col.insert_many(docs)
        return len(docs)
    from core.synthetic import load

    return load(col, args.synthetic, seed=1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--loghub", action="store_true")
    src.add_argument("--synthetic", type=int)
    p.add_argument("--mongo-uri", help="an existing MongoDB (its data is replaced in --db)")
    p.add_argument("--db", default="flowrag_bench")
    p.add_argument("--keep", help="keep the index in this directory")
    p.add_argument("--asks", type=int, default=50)
    args = p.parse_args()

    work = tempfile.mkdtemp(prefix="flowrag-bench-")
    proc = None
    uri = args.mongo_uri
    if not uri:
        proc, uri = start_mongo(os.path.join(work, "mongo"))
    try:
        t = time.perf_counter()
        n = fill(uri, args)
        load_s = time.perf_counter() - t

        from core.engine import Engine
        from core.settings import load_settings

        settings = load_settings(_env_file=None, MONGO_URI=uri, MONGO_DB=args.db,
                                 CHROMA_DB_DIR=args.keep or os.path.join(work, "index"), LITELLM_MODEL=None)
        rss_before = peak_rss_mb()
        t = time.perf_counter()
        engine = Engine(settings)
        first = engine.ingest(full=True)
        ingest_s = time.perf_counter() - t
        rss_ingest = peak_rss_mb()
        t = time.perf_counter()
        again = engine.ingest()
        reingest_s = time.perf_counter() - t

        engine.ask(QUESTIONS[0], use_llm=False)  # warm: first query loads the index into memory
        lat, slowest = [], (0.0, "", {})
        for i in range(args.asks):
            t = time.perf_counter()
            answer = engine.ask(QUESTIONS[i % len(QUESTIONS)], use_llm=False)
            lat.append((time.perf_counter() - t) * 1000)
            slowest = max(slowest, (lat[-1], QUESTIONS[i % len(QUESTIONS)], answer.timings_ms), key=lambda x: x[0])
        lat.sort()
        print(json.dumps({
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "records": n, "mongo_load_s": round(load_s, 1),
            "ingest_s": round(ingest_s, 2), "records_per_s": round(n / ingest_s),
            "scanned": first.scanned, "skipped": first.skipped, "distinct_messages": first.distinct_messages,
            "embedded": first.embedded,
            "reingest_s": round(reingest_s, 2), "reingest_embedded": again.embedded, "reingest_new": again.new,
            "peak_rss_mb_before_ingest": round(rss_before), "peak_rss_mb_after_ingest": round(rss_ingest),
            "ask_p50_ms": round(statistics.median(lat), 1),
            "ask_p95_ms": round(lat[int(len(lat) * 0.95) - 1], 1), "asks": len(lat),
            "slowest_ask": {"ms": round(slowest[0], 1), "question": slowest[1], "timings_ms": slowest[2]},
        }, indent=2))
    finally:
        if proc:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
