"""A message's first run, as a why-answer and the new-error alerts show it, is the earliest run in
MongoDB carrying it: kept at ingest, through updates that move that run, and built once for an
index from before (migration step "first_seen")."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

from conftest import NOW, run

DISK = "No space left on device while writing /data/spark/part-{} on worker {}"


def docs() -> list[dict]:
    out = []
    for i in range(12):  # the disk message, from 30 hours ago, every 2 hours
        out.append(run("spark-etl", "Spark", "FAILED", DISK.format(i, i + 3), NOW - timedelta(hours=30 - 2 * i)))
    for i in range(6):
        out.append(run("spark-etl", "Spark", "SUCCESS", "done", NOW - timedelta(hours=20 - i)))
    return out


def _first(engine) -> tuple:
    a = engine.ask("Why did Spark fail?", use_llm=False)
    return a.result.explained.first_seen, a.result.explained.signature_id


def test_first_seen_follows_the_earliest_run_through_updates_and_old_indexes(mongo_db, make_engine):
    rows = docs()
    mongo_db.flows.insert_many(rows)
    engine = make_engine(mongo_db.name)
    engine.ingest()
    disk = [d for d in rows if d["status"] == "FAILED"]
    first, sig = _first(engine)
    assert first == min(d["timestamp"] for d in disk)

    # the earliest run was mis-dated: fixed in MongoDB, re-read by the refresh window
    earliest = min(disk, key=lambda d: d["timestamp"])
    moved = NOW - timedelta(hours=1)
    mongo_db.flows.update_one({"_id": earliest["_id"]}, {"$set": {"timestamp": moved}})
    assert engine.ingest().updated == 1
    rest = [d["timestamp"] for d in disk if d["_id"] != earliest["_id"]] + [moved]
    assert _first(engine)[0] == min(rest)

    # an index written before the step: no first_seen table; opening it builds it from the rollups
    path = engine.store.path
    engine.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE first_seen")
    conn.execute("DELETE FROM _migrations WHERE name IN ('first_seen', 'rollup_day_status_tech')")
    conn.execute("DROP INDEX rollup_day_status")
    conn.commit()
    conn.close()
    again = make_engine(mongo_db.name)
    assert _first(again) == (min(rest), sig)
    names = {r[0] for r in again.store.query("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"rollup_day_status", "rollup_day_tech"} <= names
