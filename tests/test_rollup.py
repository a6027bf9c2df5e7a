"""The hourly rollups stay exact: after inserts, status updates and --full, every count read
through them equals a plain count over the documents in MongoDB."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from conftest import NOW, TZ, run

PARIS = ZoneInfo(TZ)
YESTERDAY = datetime(2026, 11, 23, tzinfo=PARIS)


def docs() -> list[dict]:
    """Runs every 20 minutes yesterday, odd minutes included, so that windows cut hours."""
    out = []
    for i in range(72):
        ts = (YESTERDAY + timedelta(minutes=20 * i + 7)).astimezone(timezone.utc)
        status = "FAILED" if i % 5 == 0 else "RUNNING" if i % 7 == 0 else "SUCCESS"
        out.append(run(f"job-{i % 4}", ("Spark", "dbt")[i % 2], status, f"error kind {i % 3} in stage", ts))
    return out


def truth(rows, start, end, status="failed") -> int:
    """Plain Python over the documents: runs of `status` with start <= timestamp < end."""
    names = {"FAILED": "failed", "SUCCESS": "success", "RUNNING": "running"}
    return sum(1 for d in rows if names[d["status"]] == status and start <= d["timestamp"] < end)


def test_counts_stay_exact_through_updates_and_full(mongo_db, make_engine):
    rows = docs()
    mongo_db.flows.insert_many([dict(d) for d in rows])
    engine = make_engine(mongo_db.name)
    engine.ingest()
    day = (YESTERDAY.astimezone(timezone.utc), (YESTERDAY + timedelta(days=1)).astimezone(timezone.utc))
    a = engine.ask("How many failures yesterday?")
    assert a.result.value == truth(rows, *day)

    # runs written as RUNNING are finished later: some fail, some succeed
    for d in mongo_db.flows.find({"status": "RUNNING"}):
        new = "FAILED" if d["timestamp"].minute % 2 else "SUCCESS"
        mongo_db.flows.update_one({"_id": d["_id"]}, {"$set": {"status": new}})
    rows = [dict(d, status=d["status"]) for d in mongo_db.flows.find({}, {"_id": 0})]
    for d in rows:
        d["timestamp"] = d["timestamp"].replace(tzinfo=timezone.utc)
    engine.ingest()
    assert engine.ask("How many failures yesterday?").result.value == truth(rows, *day)
    assert truth(rows, *day, status="running") == 0
    # all time reads the daily rollup: it must have followed the updates too
    ever = (datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc))
    assert engine.ask("How many failures?").result.value == truth(rows, *ever)
    assert engine.ask("How many successful runs?").result.value == truth(rows, *ever, status="success")
    # a window that cuts hours: partial hours come from the records, whole ones from rollups
    start = (YESTERDAY + timedelta(hours=2, minutes=30)).astimezone(timezone.utc)
    end = (YESTERDAY + timedelta(hours=6, minutes=10)).astimezone(timezone.utc)
    from core.ask.executor import Executor
    from core.ask.query import Query, Window

    ex = Executor(engine.store, PARIS, engine.vocabulary(), lambda: NOW)
    assert ex.run(Query(statuses=("failed",), window=Window(start, end))).value == truth(rows, start, end)
    assert ex.run(Query(window=Window(start, end))).value == sum(1 for d in rows if start <= d["timestamp"] < end)

    engine.ingest(full=True)
    assert engine.ask("How many failures yesterday?").result.value == truth(rows, *day)
    by_pipe = Counter(d["pipeline_name"] for d in rows if d["status"] == "FAILED")
    a = engine.ask("failures by pipeline yesterday")
    assert dict(a.result.groups) == dict(by_pipe)


def test_days_in_a_half_hour_zone(mongo_db, make_engine):
    """Asia/Kolkata days start at 18:30 UTC: hourly buckets cannot cut them, records can."""
    kolkata = ZoneInfo("Asia/Kolkata")
    base = datetime(2026, 11, 22, 18, 0, tzinfo=timezone.utc)  # 23:30 in Kolkata on the 22nd
    rows = [run("job", "Spark", "FAILED", "boom", base + timedelta(minutes=10 * i)) for i in range(12)]
    mongo_db.flows.insert_many([dict(d) for d in rows])
    engine = make_engine(mongo_db.name, FLOWRAG_TIMEZONE="Asia/Kolkata")
    engine.ingest()
    expected = Counter(d["timestamp"].astimezone(kolkata).date().isoformat() for d in rows)
    a = engine.ask("failures per day in the last 7 days")
    assert dict(a.result.groups) == dict(expected)


def test_every_grouping_over_all_time_and_a_window(mongo_db, make_engine):
    """Each grouping answers over all time and over a window (a crash here once hid behind
    "per hour" without a window)."""
    rows = docs()
    mongo_db.flows.insert_many([dict(d) for d in rows])
    engine = make_engine(mongo_db.name)
    engine.ingest()
    hours = Counter(d["timestamp"].astimezone(PARIS).strftime("%H") for d in rows if d["status"] == "FAILED")
    for q in ("failures per hour", "échecs par heure hier", "failures by status", "failures per day",
              "échecs par techno", "failures by pipeline this week", "failures by error"):
        a = engine.ask(q)
        assert a.result.groups, q
    assert dict(engine.ask("failures per hour").result.groups) == dict(hours)
