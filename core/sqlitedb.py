"""The SQLite plumbing both stores share: one connection per thread (sqlite3 objects are not
shareable), WAL so that readers work while an ingest writes, metadata, transactions, and read
snapshots."""
from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Sequence

from . import migrations
from .errors import IndexCorrupt, IndexMismatch


class SqliteDB:
    SCHEMA = ""
    WHAT = "store"
    STEPS: tuple[migrations.Step, ...] = ()  # the schema changes since the first release, in order
    LEGACY_KEY = "schema_version"  # where releases before named steps kept their version number
    NEWER_FIX = "upgrade flowrag"

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        try:
            self._conn.executescript(self.SCHEMA)
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise IndexCorrupt(
                f"The {self.WHAT} {self.path} cannot be opened ({e}). "
                "Delete the CHROMA_DB_DIR directory and run `flowrag ingest --full`."
            ) from None

    def _migrate(self) -> None:
        """Bring a file written by an older release up to date, in place (core/migrations.py)."""
        if not self.STEPS:
            return
        conn = self._conn
        legacy = int(self.get_meta(self.LEGACY_KEY, 1) or 1)
        if legacy > len(self.STEPS) + 1:
            raise self._newer(f"version {legacy}, this one reads {len(self.STEPS) + 1}")
        has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE name='_migrations'").fetchone()
        if has_table and {n for (n,) in conn.execute("SELECT name FROM _migrations")} == {s.name for s in self.STEPS}:
            return  # up to date: opening takes no write lock (an ingest may hold it)
        with self.transaction():
            try:
                todo = migrations.pending(conn, self.STEPS, legacy)
            except LookupError as e:
                raise self._newer(f"its changes {e} are unknown here") from None
            migrations.apply(conn, todo)
            self.set_meta(self.LEGACY_KEY, len(self.STEPS) + 1)

    def _newer(self, detail: str) -> IndexMismatch:
        return IndexMismatch(f"The {self.WHAT} {self.path} was written by a newer flowrag ({detail}): {self.NEWER_FIX}.")

    @property
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute("PRAGMA cache_size=-65536")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def get_meta(self, key: str, default=None):
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, key: str, value) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    def transaction(self):
        return _Tx(self._conn)

    @contextmanager
    def snapshot(self):
        """One read transaction: every statement inside sees the same committed state, so the
        facts and the citations of an answer agree even while an ingest commits batches."""
        conn = self._conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self._conn.execute(sql, params).fetchall()

    def execute(self, sql: str, params: Sequence = ()) -> None:
        self._conn.execute(sql, params)


class _Tx:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type, *_):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
