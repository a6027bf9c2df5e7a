"""Running or stuck: a RUNNING record younger than its pipeline's usual duration (the 95th
percentile of its own recorded durations) is running; older, it never finished. Two lists, and
"is X still running?" starts with yes or no."""
from __future__ import annotations

import math
import sqlite3
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import NOW, TZ, run

DURATIONS = {"etl_orders": [60 * (3 + i % 7) for i in range(30)], "old_export": [120 + 10 * i for i in range(20)]}


def _data() -> list[dict]:
    out = []
    for pipe, durations in DURATIONS.items():
        for i, d in enumerate(durations):
            out.append(run(pipe, "Talend", "SUCCESS", "done", NOW - timedelta(hours=2 + i), duration_s=d))
    out.append(run("etl_orders", "Talend", "RUNNING", "", NOW - timedelta(minutes=5)))
    out.append(run("old_export", "Talend", "RUNNING", "", NOW - timedelta(days=10)))
    # no duration field, but start and end times: the duration is end − start
    for i in range(6):
        start = NOW - timedelta(days=1, hours=i)
        out.append({"pipeline_name": "spark_daily", "tech": "Spark", "status": "SUCCESS", "error_message": "",
                    "timestamp": start, "start_time": start, "end_time": start + timedelta(minutes=20 + i)})
    out.append(run("spark_daily", "Spark", "RUNNING", "", NOW - timedelta(minutes=50)))
    out.append(run("fresh_job", "dbt", "RUNNING", "", NOW - timedelta(minutes=30)))  # no history at all
    return out


DATA = _data()


def p95(values) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def expected(default_s: float = 3600) -> tuple[list[str], list[str]]:
    """Plain Python over the documents: (running, stuck) pipeline names."""
    usual: dict[str, list[float]] = {}
    for d in DATA:
        if d["status"] == "RUNNING":
            continue
        seconds = d.get("duration_s")
        if seconds is None and "end_time" in d:
            seconds = (d["end_time"] - d["start_time"]).total_seconds()
        if seconds is not None:
            usual.setdefault(d["pipeline_name"], []).append(seconds)
    running, stuck = [], []
    for d in DATA:
        if d["status"] != "RUNNING":
            continue
        durations = usual.get(d["pipeline_name"], [])
        limit = p95(durations) if len(durations) >= 5 else default_s
        (running if (NOW - d["timestamp"]).total_seconds() <= limit else stuck).append(d["pipeline_name"])
    return sorted(running), sorted(stuck)


@pytest.fixture
def db(mongo_db):
    mongo_db.flows.insert_many([dict(d) for d in DATA])
    return mongo_db


def test_two_lists_running_and_stuck(db, make_engine):
    engine = make_engine(db.name)
    engine.ingest()
    running, stuck = expected()
    assert (running, stuck) == (["etl_orders", "fresh_job"], ["old_export", "spark_daily"])
    a = engine.ask("quels jobs tournent encore ?")
    assert a.text.startswith(f"{len(running)} exécutions en cours et {len(stuck)} bloquées"), a.text
    assert sorted(x.pipeline for x in a.result.running) == running
    assert sorted(x.pipeline for x in a.result.stuck) == stuck
    head, rest = a.text.split("En cours", 1)
    live, blocked = rest.split("Bloquées", 1)
    assert all(p in live for p in running) and not any(p in live for p in stuck)
    assert all(p in blocked for p in stuck)
    old = next(x for x in a.result.stuck if x.pipeline == "old_export")
    assert old.usual_s == p95(DURATIONS["old_export"]) and old.usual_from_history
    assert "pas de durée habituelle" in a.text  # fresh_job: the default stood in, and the answer says so


def test_is_it_still_running_starts_with_yes_or_no(db, make_engine):
    engine = make_engine(db.name)
    engine.ingest()
    yes = engine.ask("is etl_orders still running?")
    assert yes.text.startswith("Yes: etl_orders (Talend) — started "), yes.text
    # its RUNNING record is 10 days old and runs finished since: the latest one answers, the stuck one follows
    last = max(d["timestamp"] for d in DATA if d["pipeline_name"] == "old_export" and d["status"] != "RUNNING")
    no = engine.ask("is old_export still running?")
    first, rest = no.text.split("\n", 1)
    assert first == f"No: old_export's last run finished at {last.astimezone(ZoneInfo(TZ)):%Y-%m-%d %H:%M} (success)."
    assert "Stuck, never finished" in rest and "10 d ago" in rest
    fr = engine.ask("est-ce que spark_daily tourne encore ?")
    assert fr.text.startswith("Non, elle est bloquée : spark_daily (Spark) — lancée le "), fr.text


def test_the_default_usual_duration_is_a_setting(db, make_engine):
    engine = make_engine(db.name, FLOWRAG_RUNNING_DEFAULT=600)
    engine.ingest()
    running, stuck = expected(default_s=600)
    assert "fresh_job" in stuck
    a = engine.ask("which jobs are still running?")
    assert sorted(x.pipeline for x in a.result.stuck) == stuck
    assert sorted(x.pipeline for x in a.result.running) == running


def test_an_index_from_before_durations_gets_the_column(tmp_path):
    from core.store import SCHEMA, SqliteRecordStore

    path = tmp_path / "records.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)  # the tables as release 3 wrote them: no duration column
    conn.execute("INSERT INTO meta VALUES ('schema_version', '3')")
    conn.execute("INSERT INTO records VALUES ('a','p','p','T','t','success',1,'s','h','m')")
    conn.commit()
    conn.close()
    store = SqliteRecordStore(path)
    assert store.query("SELECT id, duration_s FROM records") == [("a", None)]
    # every step has run (the duration column and those after it): the file is at the current version
    assert "duration_s" in {n for (n,) in store.query("SELECT name FROM _migrations")}
    assert store.get_meta("schema_version", 0) == len(SqliteRecordStore.STEPS) + 1
