"""Schema changes are named steps recorded in each file (core/migrations.py): a file from any
earlier release opens and gets exactly the steps it lacks; a file from a newer release is refused
with the fix; an up-to-date file opens without waiting for a writer."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from core.errors import IndexMismatch
from core.state import StateStore
from core.store import SqliteRecordStore


def steps_recorded(path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [n for (n,) in db.execute("SELECT name FROM _migrations ORDER BY rowid")]
    finally:
        db.close()


def as_previous_release(path, version: int, key: str = "schema_version") -> None:
    """What a release before named steps left: no _migrations table, a version number in meta."""
    db = sqlite3.connect(path)
    db.execute("DROP TABLE _migrations")
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(version)))
    db.commit()
    db.close()


def test_a_store_from_the_previous_release_gets_only_the_steps_it_lacks(tmp_path):
    path = tmp_path / "records.sqlite3"
    SqliteRecordStore(path).close()
    as_previous_release(path, 3)  # the release before this one had rollups and sig_words
    db = sqlite3.connect(path)
    db.execute("INSERT INTO rollup VALUES (1, 't', 'p', 'failed', 's', 7, 0, 0)")  # a rebuild would drop it
    db.commit()
    db.close()
    store = SqliteRecordStore(path)
    assert store.query("SELECT n FROM rollup") == [(7,)], "a step the file already had was run again"
    store.close()
    assert steps_recorded(path)[:2] == ["rollups", "sig_words"]


def test_a_first_release_store_gets_its_rollups_built(tmp_path):
    path = tmp_path / "records.sqlite3"
    SqliteRecordStore(path).close()
    as_previous_release(path, 1)
    db = sqlite3.connect(path)
    db.execute("INSERT INTO records (id, ts, pipeline, pipeline_key, tech, tech_key, status, message, sig, h) "
               "VALUES ('r1', 3600000, 'p', 'p', 't', 't', 'failed', 'boom', 's1', 'x')")
    db.commit()
    db.close()
    store = SqliteRecordStore(path)
    assert store.query("SELECT hour, n FROM rollup") == [(1, 1)]
    store.close()


@pytest.mark.parametrize("version,missing", [(None, {"channel_settings", "post_claims"}), (2, {"post_claims"})])
def test_a_state_file_from_an_earlier_release_gets_its_tables(tmp_path, version, missing):
    path = tmp_path / "state.sqlite3"
    db = sqlite3.connect(path)  # as the first release (no version) or the previous one (2) wrote it
    db.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                     "INSERT INTO meta VALUES ('generation', '4');")
    if version == 2:
        db.executescript("CREATE TABLE channel_settings (channel TEXT PRIMARY KEY, settings TEXT NOT NULL, "
                         "updated_by TEXT NOT NULL, updated_at TEXT NOT NULL);"
                         "CREATE TABLE assistant_threads (channel TEXT NOT NULL, thread_ts TEXT NOT NULL, "
                         "context TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (channel, thread_ts));"
                         "INSERT INTO meta VALUES ('state_version', '2');")
    db.commit()
    db.close()
    state = StateStore(path)
    tables = {n for (n,) in state.query("SELECT name FROM sqlite_master WHERE type='table'")}
    assert missing <= tables and state.generation() == 4
    assert state.claim("digest:C1:2026-11-24", "me") and not state.claim("digest:C1:2026-11-24", "other")
    state.close()


def test_a_file_from_a_newer_release_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "records.sqlite3"
    SqliteRecordStore(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO _migrations VALUES ('something_from_the_future', '2027-01-01')")
    db.commit()
    db.close()
    with pytest.raises(IndexMismatch, match="newer flowrag.*ingest --full"):
        SqliteRecordStore(path)
    state_path = tmp_path / "state.sqlite3"
    StateStore(state_path).close()
    as_previous_release(state_path, 99, key="state_version")
    with pytest.raises(IndexMismatch, match="newer flowrag"):
        StateStore(state_path)


def test_an_up_to_date_file_opens_while_a_writer_holds_the_lock(tmp_path):
    """A bot process opening the index while an ingest writes must not wait for it."""
    path = tmp_path / "records.sqlite3"
    SqliteRecordStore(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    opened = []
    t0 = time.monotonic()
    thread = threading.Thread(target=lambda: opened.append(SqliteRecordStore(path)), daemon=True)
    thread.start()
    thread.join(10)
    writer.execute("ROLLBACK")
    writer.close()
    assert opened, "opening waited for the writer"
    assert time.monotonic() - t0 < 10
    opened[0].close()
