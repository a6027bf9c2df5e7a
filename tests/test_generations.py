"""An index that is always whole: `--full` builds a new generation beside the current one while
questions keep being answered from it, a killed rebuild leaves it in place, and a running engine
follows the switch (its Chroma handle included)."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from conftest import NOW, TZ, run

ROOT = Path(__file__).resolve().parent.parent


def dataset(n: int = 6000) -> list[dict]:
    base = NOW - timedelta(days=3)
    return [run(f"job-{i % 30}", ("Spark", "dbt", "NiFi")[i % 3], "FAILED" if i % 4 == 0 else "SUCCESS",
                f"{('Disk', 'Network', 'Schema')[i % 3]} error in stage {i % 7}" if i % 4 == 0 else "",
                base + timedelta(seconds=40 * i)) for i in range(n)]


def rebuild_process(settings, mongo_uri: str, db: str) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("flowrag")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "flowrag"]
    env = {**os.environ, "MONGO_URI": mongo_uri, "MONGO_DB": db, "MONGO_COLLECTION": "flows",
           "CHROMA_DB_DIR": str(settings.chroma_db_dir), "FLOWRAG_TIMEZONE": TZ, "LITELLM_MODEL": "",
           "FLOWRAG_BATCH_SIZE": "200"}
    return subprocess.Popen(cmd + ["ingest", "--full", "--json"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_questions_are_answered_whole_during_a_rebuild_in_another_process(mongo_db, mongo_uri, make_engine):
    docs = dataset()
    mongo_db.flows.insert_many([dict(d) for d in docs])
    engine = make_engine(mongo_db.name)
    engine.ingest()
    failed = sum(1 for d in docs if d["status"] == "FAILED")
    assert engine.ask("how many failures?").result.value == failed
    gen0 = engine.status()["generation"]

    proc = rebuild_process(engine.settings, mongo_uri, mongo_db.name)
    answers, during = [], 0
    deadline = time.time() + 120
    while proc.poll() is None and time.time() < deadline:
        a = engine.ask("how many Disk failures?")  # a topic: Chroma and FTS are read too
        answers.append(a.result.value)
        during += engine.status()["generation"] == gen0
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    disk = sum(1 for d in docs if d["status"] == "FAILED" and d["error_message"].startswith("Disk"))
    assert during >= 3, "the rebuild was too quick to ask anything while it ran"
    assert set(answers) == {disk}, f"answers during the rebuild: {sorted(set(answers))}"
    # the running engine follows the switch: new generation, handles reopened, same answers
    a = engine.ask("how many Disk failures?")
    assert engine.status()["generation"] == gen0 + 1 and a.result.value == disk and a.citations


def test_a_killed_rebuild_leaves_the_index_in_place_and_generations_only_grow(mongo_db, mongo_uri, make_engine):
    docs = dataset(8000)
    mongo_db.flows.insert_many([dict(d) for d in docs])
    engine = make_engine(mongo_db.name)
    engine.ingest()
    failed = sum(1 for d in docs if d["status"] == "FAILED")
    proc = rebuild_process(engine.settings, mongo_uri, mongo_db.name)
    deadline = time.time() + 60
    state = sqlite3.connect(engine.settings.chroma_db_dir / "state.sqlite3")
    while time.time() < deadline and not list(engine.settings.chroma_db_dir.glob("records-g*.sqlite3")):
        time.sleep(0.05)
    time.sleep(0.5)  # well inside the build
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    state.close()
    assert engine.status()["generation"] == 0
    assert engine.ask("how many failures?").result.value == failed

    engine.ingest(full=True)  # the next rebuild takes a new number and cleans up
    assert engine.status()["generation"] == 2
    assert engine.ask("how many failures?").result.value == failed
    engine.ingest(full=True)
    assert engine.status()["generation"] == 3
    files = sorted(p.name for p in engine.settings.chroma_db_dir.glob("*.sqlite3") if p.name != "chroma.sqlite3")
    # the previous generation goes once no reader holds it (this engine moved on with the switch)
    assert files == ["records-g3.sqlite3", "state.sqlite3"], files


def test_an_index_from_the_previous_release_opens_and_keeps_its_cache(mongo_db, make_engine, make_settings):
    docs = dataset(600)
    mongo_db.flows.insert_many([dict(d) for d in docs])
    engine = make_engine(mongo_db.name)
    engine.ingest()
    engine.close()
    # make it look like the first release wrote it: no rollups, no state file, vectors in the store
    index = engine.settings.chroma_db_dir
    db = sqlite3.connect(index / "flowrag.sqlite3")
    db.execute("DELETE FROM rollup")
    db.execute("DELETE FROM rollup_day")
    db.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    db.execute("DROP TABLE _migrations")  # the first release knew no named steps
    state = sqlite3.connect(index / "state.sqlite3")
    vectors = state.execute("SELECT embedder, sig, vec FROM vectors").fetchall()
    state.close()
    (index / "state.sqlite3").unlink()
    db.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?,?)", vectors)
    db.commit()
    db.close()

    reopened = make_engine(mongo_db.name)
    failed = sum(1 for d in docs if d["status"] == "FAILED")
    assert reopened.ask("how many failures?").result.value == failed
    summary = reopened.ingest(full=True)
    assert summary.embedded == 0, "the first release's embedding cache was kept"


def test_replicas_each_with_their_own_index_answer_alike(mongo_db, make_settings, embedder, tmp_path):
    """The supported layout for several bot processes: MongoDB is the source of truth and each
    replica keeps and ingests its own index; a rebuild on one leaves the other untouched."""
    from core.engine import Engine

    docs = dataset(900)
    mongo_db.flows.insert_many([dict(d) for d in docs])
    a, b = (Engine(make_settings(mongo_db.name, CHROMA_DB_DIR=str(tmp_path / name)), embedder=embedder,
                   clock=lambda: NOW) for name in ("replica-a", "replica-b"))
    try:
        a.ingest()
        b.ingest()
        a.ingest(full=True)
        failed = sum(1 for d in docs if d["status"] == "FAILED")
        for q in ("how many failures?", "how many Disk failures?", "failures by technology"):
            ra, rb = a.ask(q), b.ask(q)
            assert ra.result.as_json() == rb.result.as_json(), q
        assert a.ask("how many failures?").result.value == failed
        assert (a.status()["generation"], b.status()["generation"]) == (1, 0)
    finally:
        a.close()
        b.close()


def test_an_old_generation_stays_while_a_reader_holds_it_and_goes_after(mongo_db, make_engine):
    from core.index import ChromaIndex

    docs = dataset(600)
    mongo_db.flows.insert_many([dict(d) for d in docs])
    builder = make_engine(mongo_db.name)
    builder.ingest(full=True)  # generation 1
    reader = make_engine(mongo_db.name)  # a bot in another process, say: its own handles
    disk = sum(1 for d in docs if d["status"] == "FAILED" and d["error_message"].startswith("Disk"))
    assert reader.ask("how many Disk failures?").result.value == disk
    directory = builder.settings.chroma_db_dir
    g1 = directory / "records-g1.sqlite3"
    name = builder.settings.chroma_collection

    builder.ingest(full=True)  # generation 2, while the reader is still on 1
    assert g1.exists() and ChromaIndex(path=directory, collection=f"{name}-g1").count() > 0
    assert reader.status()["generation"] == 2  # status follows the switch (and releases 1)
    builder.ingest()  # the next ingest removes what nobody reads any more
    assert not g1.exists() and ChromaIndex(path=directory, collection=f"{name}-g1").count() == 0
    assert reader.ask("how many Disk failures?").result.value == disk
    files = sorted(p.name for p in directory.glob("*.sqlite3") if p.name != "chroma.sqlite3")
    assert files == ["records-g2.sqlite3", "state.sqlite3"], files
