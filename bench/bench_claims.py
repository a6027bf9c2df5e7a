"""Exactly-once posting under repeated races: 2 and 3 bot processes (sharing an index, or replicas
with their own) started once, then given the same digest to post, or the same new error to alert,
at the same instant, ROUNDS times each, against the Slack stand-in and a SecantusDB over TCP.
Counts the chat.postMessage calls beyond one per round, chat.delete calls, and claim markers left
scheduled or delivered: all must be 0. tests/test_exactly_once.py runs the same races fewer times.

    python bench/bench_claims.py [--rounds 25]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the stand-in and the race driver live beside the tests
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from claim_race import Workers  # noqa: E402
from conftest import TZ, run  # noqa: E402
from slack_standin import SlackStandin  # noqa: E402
from test_digest import DAY, month  # noqa: E402

TABLES = [f"{a}_{b}" for a in ("sales", "stock", "hr", "crm", "ops", "web") for b in ("orders", "users", "items",
                                                                                       "events", "logs")]


def env_for(slack, uri: str, db: str, **extra) -> dict:
    return {"MONGO_URI": uri, "MONGO_DB": db, "MONGO_COLLECTION": "flows", "FLOWRAG_TIMEZONE": TZ,
            "SLACK_BOT_TOKEN": slack.bot_token, "SLACK_APP_TOKEN": slack.app_token, "SLACK_API_URL": slack.api_url,
            "LITELLM_MODEL": "", "FLOWRAG_DIGEST_LANGUAGE": "en", **extra}


def posts(slack, channel: str) -> int:
    return sum(1 for c in slack.calls_to("chat.postMessage") if c.params.get("channel") == channel and c.response.get("ok"))


def leftovers(slack) -> dict:
    return {"chat.delete": len(slack.calls_to("chat.delete")), "markers_scheduled": len(slack.scheduled),
            "markers_delivered": len(slack.scheduled_sent)}


def digest_races(uri: str, tmp: Path, n: int, shared: bool, rounds: int) -> dict:
    from pymongo import MongoClient

    db = f"claims_d{n}{int(shared)}"
    col = MongoClient(uri).get_database(db).flows
    col.drop()
    col.insert_many([dict(d) for d in month()])
    with SlackStandin() as slack:
        dirs = [tmp / f"{db}-index" if shared else tmp / f"{db}-replica-{i}" for i in range(n)]
        workers = Workers(env_for(slack, uri, db), dirs)
        extra, took = 0, []
        try:
            for r in range(rounds):
                channel = f"C0D{r}"
                slack.post_user_message(channel, "good morning")
                t0 = time.monotonic()
                workers.race(f"digest {channel} {DAY.isoformat()}")
                took.append(time.monotonic() - t0)
                extra += abs(posts(slack, channel) - 1)
        finally:
            workers.close()
        return {"what": "digest", "processes": n, "index": "shared" if shared else "replicas", "rounds": rounds,
                "extra_posts": extra, **leftovers(slack), **_times(took)}


def alert_races(uri: str, tmp: Path, n: int, shared: bool, rounds: int) -> dict:
    from pymongo import MongoClient

    db = f"claims_a{n}{int(shared)}"
    col = MongoClient(uri).get_database(db).flows
    col.drop()
    now = datetime.now(timezone.utc)
    col.insert_many([run(f"job-{i % 4}", "Spark", "FAILED", f"Old failure kind {chr(65 + i)} in stage",
                         now - timedelta(days=2, hours=i)) for i in range(12)])
    with SlackStandin() as slack:
        slack.post_user_message("C0ALERTS", "alerts go here")
        dirs = [tmp / f"{db}-index" if shared else tmp / f"{db}-replica-{i}" for i in range(n)]
        workers = Workers(env_for(slack, uri, db, FLOWRAG_ALERT_CHANNEL="C0ALERTS", FLOWRAG_ALERT_CATCH_UP="0"), dirs)
        extra, took = 0, []
        try:
            workers.race("alert")  # the history: one summary
            extra += abs(posts(slack, "C0ALERTS") - 1)
            for r in range(rounds):
                rid = col.insert_one(run("job-late", "dbt", "RUNNING", "", now - timedelta(hours=2))).inserted_id
                workers.race("alert")
                col.update_one({"_id": rid}, {"$set": {"status": "FAILED",
                                                       "error_message": f"Relation {TABLES[r % len(TABLES)]} missing"}})
                before = posts(slack, "C0ALERTS")
                t0 = time.monotonic()
                workers.race("alert")
                took.append(time.monotonic() - t0)
                extra += abs(posts(slack, "C0ALERTS") - before - 1)
        finally:
            workers.close()
        return {"what": "alert", "processes": n, "index": "shared" if shared else "replicas", "rounds": rounds,
                "extra_posts": extra, **leftovers(slack), **_times(took)}


def _times(took: list[float]) -> dict:
    took = sorted(took)
    return {"round_p50_s": round(statistics.median(took), 2), "round_max_s": round(took[-1], 2)}


def main() -> None:
    from secantus import SecantusDBServer

    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=25)
    args = ap.parse_args()
    rounds = min(args.rounds, len(TABLES))
    with tempfile.TemporaryDirectory() as tmp:
        server = SecantusDBServer(port=0, storage_path=str(Path(tmp) / "db"))
        server.start()
        uri = f"mongodb://127.0.0.1:{server.port}/?directConnection=true"
        try:
            for race in (digest_races, alert_races):
                for n in (2, 3):
                    for shared in (True, False):
                        print(json.dumps(race(uri, Path(tmp), n, shared, rounds)), flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
