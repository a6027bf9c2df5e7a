"""Live ingest: change streams on a replica-set SecantusDB (insert, then a RUNNING run set to
FAILED, then a restart that resumes from the stored token), and the polling path on a standalone
server, where a status update made hours after insertion is caught by the refresh window."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from bson import ObjectId
from pymongo import MongoClient

from conftest import NOW, run


@pytest.fixture(scope="module")
def rs_uri(tmp_path_factory):
    from secantus import SecantusDBServer

    server = SecantusDBServer(port=0, storage_path=str(tmp_path_factory.mktemp("rs")), replica_set_name="rs0")
    server.start()
    yield f"mongodb://127.0.0.1:{server.port}/?directConnection=true"
    server.stop()


def wait_for(predicate, seconds: float = 20.0) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def failures(engine) -> int:
    return engine.ask("how many failures?").result.value


def start(engine):
    from core.live import LiveIngest

    live = LiveIngest(engine, interval_s=1)
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    return live, thread


def test_change_stream_catches_inserts_and_updates_and_resumes(rs_uri, make_engine, tmp_path):
    client = MongoClient(rs_uri, serverSelectionTimeoutMS=3000)
    col = client.live.flows
    col.drop()
    base = NOW - timedelta(hours=3)
    docs = [run(f"job-{i % 5}", "Spark", "FAILED" if i % 10 == 0 else "SUCCESS", f"error {i % 3}",
                base + timedelta(minutes=i)) for i in range(50)]
    col.insert_many([dict(d) for d in docs])
    engine = make_engine("live", MONGO_URI=rs_uri)
    live, thread = start(engine)
    try:
        expected = sum(1 for d in docs if d["status"] == "FAILED")
        assert wait_for(lambda: engine.store.counts()["records"] == 50), "the catch-up ingest did not run"
        assert failures(engine) == expected and live.mode == "change_stream"

        # a run written when it starts, updated when it ends
        rid = col.insert_one(run("job-new", "Spark", "RUNNING", "", NOW - timedelta(minutes=5))).inserted_id
        assert wait_for(lambda: engine.store.counts()["records"] == 51)
        col.update_one({"_id": rid}, {"$set": {"status": "FAILED", "error_message": "Executor lost"}})
        assert wait_for(lambda: failures(engine) == expected + 1), "the status update was not counted"
        assert engine.store.get_meta("change_stream_token")
    finally:
        live.stop.set()
        thread.join(timeout=10)
    # while the bot is down
    col.insert_one(run("job-down", "Spark", "FAILED", "Disk full", NOW - timedelta(minutes=1)))
    live, thread = start(engine)
    try:
        assert wait_for(lambda: failures(engine) == expected + 2), "the restart lost a change"
        assert engine.store.counts()["records"] == 52
    finally:
        live.stop.set()
        thread.join(timeout=10)
        client.close()


def test_polling_re_reads_recent_runs_for_status_updates(mongo_db, make_engine):
    """On a standalone server: the run's ObjectId is 5 hours old, far behind the watermark's
    10-minute overlap; the refresh window still sees its update."""
    old = NOW - timedelta(hours=5)
    doc = dict(run("nightly", "dbt", "RUNNING", "", old), _id=ObjectId.from_datetime(old))
    mongo_db.flows.insert_many([doc] + [run("other", "dbt", "SUCCESS", "", NOW - timedelta(minutes=m))
                                        for m in range(1, 4)])
    engine = make_engine(mongo_db.name)
    engine.ingest()
    assert failures(engine) == 0
    mongo_db.flows.update_one({"_id": doc["_id"]}, {"$set": {"status": "FAILED", "error_message": "timeout"}})
    summary = engine.ingest()
    assert summary.updated == 1 and failures(engine) == 1
    # without the refresh window the update is missed: that is what the window is for
    lazy = make_engine(mongo_db.name, FLOWRAG_REFRESH_WINDOW="0", CHROMA_DB_DIR=str(engine.settings.chroma_db_dir.parent / "lazy"))
    mongo_db.flows.update_one({"_id": doc["_id"]}, {"$set": {"status": "RUNNING"}})
    lazy.ingest()
    mongo_db.flows.update_one({"_id": doc["_id"]}, {"$set": {"status": "FAILED"}})
    lazy.ingest()
    assert failures(lazy) == 0


def test_live_skips_a_cycle_when_another_process_ingests(mongo_db, make_engine):
    from core.ingest import ingest_lock
    from core.live import LiveIngest

    mongo_db.flows.insert_one(run("j", "dbt", "FAILED", "x", NOW - timedelta(minutes=1)))
    engine = make_engine(mongo_db.name)
    with ingest_lock(engine.settings.chroma_db_dir):
        assert LiveIngest(engine).poll_once() is None
    assert LiveIngest(engine).poll_once()["new"] == 1
