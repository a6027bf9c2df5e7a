"""The structured record store: normalized records, distinct messages (signatures), a lexical
index over them, the embedding cache and small bits of state. SQLite from the standard library:
exact counts need the records themselves, which a vector index cannot give."""
from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Iterator, Protocol, Sequence

from ..logwords import log_words
from ..migrations import Step, add_column, script
from ..sqlitedb import SqliteDB
from ..models import Record

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    pipeline TEXT NOT NULL, pipeline_key TEXT NOT NULL,
    tech TEXT NOT NULL, tech_key TEXT NOT NULL,
    status TEXT NOT NULL,
    ts INTEGER NOT NULL,          -- epoch milliseconds, UTC
    sig TEXT NOT NULL,
    h TEXT NOT NULL,              -- digest of the normalized row, to tell updates from no-ops
    message TEXT NOT NULL
);
-- covering indexes: facts and filters read only these, never the message column
CREATE INDEX IF NOT EXISTS rec_ts ON records (ts, status, tech_key, pipeline_key, sig);
CREATE INDEX IF NOT EXISTS rec_status ON records (status, tech_key, ts, pipeline_key, sig);
CREATE INDEX IF NOT EXISTS rec_sig ON records (sig, ts);
CREATE TABLE IF NOT EXISTS signatures (sig TEXT PRIMARY KEY, text TEXT NOT NULL, example TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS sig_fts USING fts5 (
    sig UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2');
-- the same messages as words people type (camelCase, dotted names, snake_case split; stems): ranking
CREATE VIRTUAL TABLE IF NOT EXISTS sig_words USING fts5 (
    sig UNINDEXED, words, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS vectors (embedder TEXT NOT NULL, sig TEXT NOT NULL, vec BLOB NOT NULL,
    PRIMARY KEY (embedder, sig));
-- per UTC hour x tech x pipeline x status x message: every count a question asks reads these
-- few rows instead of every record; kept exact by upsert (see _apply_rollup)
CREATE TABLE IF NOT EXISTS rollup (
    hour INTEGER NOT NULL, tech_key TEXT NOT NULL, pipeline_key TEXT NOT NULL, status TEXT NOT NULL,
    sig TEXT NOT NULL, n INTEGER NOT NULL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,
    PRIMARY KEY (hour, tech_key, pipeline_key, status, sig)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rollup_sig ON rollup (sig, hour);
-- the same per UTC day: long windows and all-time questions read ~24x fewer rows
CREATE TABLE IF NOT EXISTS rollup_day (
    day INTEGER NOT NULL, tech_key TEXT NOT NULL, pipeline_key TEXT NOT NULL, status TEXT NOT NULL,
    sig TEXT NOT NULL, n INTEGER NOT NULL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,
    PRIMARY KEY (day, tech_key, pipeline_key, status, sig)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rollup_day_sig ON rollup_day (sig, day);
CREATE INDEX IF NOT EXISTS rollup_day_pipe ON rollup_day (pipeline_key, status, day);
CREATE INDEX IF NOT EXISTS rollup_pipe ON rollup (pipeline_key, hour);
CREATE INDEX IF NOT EXISTS rec_pipe ON records (pipeline_key, status, ts);
CREATE TABLE IF NOT EXISTS feedback (
    at TEXT NOT NULL, user TEXT, answer_id TEXT, vote TEXT, question TEXT);
"""


HOUR_MS = 3_600_000
DAY_MS = 86_400_000


def key_of(name: str) -> str:
    """How names are compared: case and spacing forgiven."""
    return " ".join(name.casefold().split())


def to_ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


_MAX_MS = int(datetime(9999, 12, 31, tzinfo=timezone.utc).timestamp() * 1000)
_MIN_MS = int(datetime(1, 1, 2, tzinfo=timezone.utc).timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    # clamped: one absurd timestamp already in an index must not make every question fail
    return datetime.fromtimestamp(min(max(ms, _MIN_MS), _MAX_MS) / 1000, tz=timezone.utc)


@dataclass(frozen=True)
class UpsertResult:
    new: int
    updated: int
    unchanged: int


class RecordStore(Protocol):
    def upsert(self, rows: Sequence[tuple[Record, str]]) -> UpsertResult: ...
    def known_signatures(self, sigs: Iterable[str]) -> set[str]: ...
    def add_signatures(self, items: Sequence[tuple[str, str, str]]) -> None: ...


def _build_rollups(conn) -> None:
    """The first release had no rollups: build them from the records, once."""
    conn.execute("DELETE FROM rollup")
    conn.execute("DELETE FROM rollup_day")
    conn.execute(f"INSERT INTO rollup SELECT ts / {HOUR_MS}, tech_key, pipeline_key, status, sig, COUNT(*), "
                 "MIN(ts), MAX(ts) FROM records GROUP BY 1, 2, 3, 4, 5")
    conn.execute("INSERT INTO rollup_day SELECT hour / 24, tech_key, pipeline_key, status, sig, SUM(n), "
                 "MIN(min_ts), MAX(max_ts) FROM rollup GROUP BY 1, 2, 3, 4, 5")


def _fill_sig_words(conn) -> None:
    """The log-aware words of each message, for ranking (added in the third schema)."""
    conn.execute("DELETE FROM sig_words")
    rows = conn.execute("SELECT sig, text, example FROM signatures").fetchall()
    conn.executemany("INSERT INTO sig_words (sig, words) VALUES (?, ?)", [(sig, _words(t, ex)) for sig, t, ex in rows])


# the first run of each message, over every status and filter: why-questions and alerts ask it of
# thousands of messages at once; kept at ingest (see _apply_rollup) instead of a MIN over rollup_day
_FIRST_SEEN = """
CREATE TABLE IF NOT EXISTS first_seen (sig TEXT PRIMARY KEY, ts INTEGER NOT NULL) WITHOUT ROWID;
DELETE FROM first_seen;
INSERT INTO first_seen SELECT sig, MIN(min_ts) FROM rollup_day GROUP BY sig
"""
# questions filtered by status or technology, over long windows or all time, read these instead of
# every row of rollup_day (covering: the counts are in the index)
_ROLLUP_DAY_INDEXES = """
CREATE INDEX IF NOT EXISTS rollup_day_status ON rollup_day (status, tech_key, day, sig, n, min_ts, max_ts);
CREATE INDEX IF NOT EXISTS rollup_day_tech ON rollup_day (tech_key, status, day, sig, n, min_ts, max_ts)
"""


class SqliteRecordStore(SqliteDB):
    """The records of one index generation, their rollups and distinct messages."""

    SCHEMA = SCHEMA
    WHAT = "record store"
    NEWER_FIX = "upgrade flowrag, or rebuild the index with `flowrag ingest --full`"
    # duration_s: added by a step, not in SCHEMA's CREATE TABLE, so that a new index and a migrated
    # one have the columns in the same order (upsert inserts by position)
    STEPS = (Step("rollups", _build_rollups), Step("sig_words", _fill_sig_words),
             Step("duration_s", add_column("records", "duration_s", "REAL")),
             Step("first_seen", script(_FIRST_SEEN)), Step("rollup_day_status_tech", script(_ROLLUP_DAY_INDEXES)))

    def clear(self) -> None:
        """Everything but the embedding cache: a rebuild must not pay for vectors again."""
        with self.transaction():
            for table in ("records", "rollup", "rollup_day", "first_seen", "signatures", "sig_fts", "sig_words",
                          "meta"):
                self._conn.execute(f"DELETE FROM {table}")
            self.set_meta(self.LEGACY_KEY, len(self.STEPS) + 1)

    # --- writes ----------------------------------------------------------------
    def upsert(self, rows: Sequence[tuple[Record, str]]) -> UpsertResult:
        """rows: (record, signature id). Call inside a transaction."""
        ids = [r.id for r, _ in rows]
        existing: dict[str, tuple] = {}
        for chunk in _chunks(ids, 900):
            q = (f"SELECT id, h, ts, tech_key, pipeline_key, status, sig FROM records "
                 f"WHERE id IN ({','.join('?' * len(chunk))})")
            existing.update((r[0], r[1:]) for r in self._conn.execute(q, chunk))
        new = updated = 0
        values = []
        added: dict[tuple, list[int]] = {}  # rollup key -> [n, min_ts, max_ts] of new rows
        stale: set[tuple] = set()  # rollup keys an update moved a row out of or into
        for rec, sig in rows:
            h = _digest(rec, sig)
            old = existing.get(rec.id)
            if old is not None and old[0] == h:
                continue
            ts = to_ms(rec.timestamp)
            key = (ts // HOUR_MS, key_of(rec.tech), key_of(rec.pipeline), rec.status, sig)
            if old is None:
                new += 1
                acc = added.setdefault(key, [0, ts, ts])
                acc[0] += 1
                acc[1], acc[2] = min(acc[1], ts), max(acc[2], ts)
            else:
                updated += 1
                stale.add((old[1] // HOUR_MS, *old[2:]))
                stale.add(key)
            existing[rec.id] = (h, ts, *key[1:])  # a batch may carry the same _id twice
            values.append((rec.id, rec.pipeline, key_of(rec.pipeline), rec.tech, key_of(rec.tech), rec.status,
                           ts, sig, h, rec.message, rec.duration_s))
        self._conn.executemany("INSERT OR REPLACE INTO records VALUES (?,?,?,?,?,?,?,?,?,?,?)", values)
        self._apply_rollup(added, stale)
        return UpsertResult(new, updated, len(rows) - new - updated)

    def _apply_rollup(self, added: dict[tuple, list[int]], stale: set[tuple]) -> None:
        """New rows add to their rollup cells; a cell an update touched is recounted from the
        records (a MIN cannot be decremented), so rollups stay exact under updates."""
        upsert = ("INSERT INTO {t} VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET n = n + excluded.n, "
                  "min_ts = MIN(min_ts, excluded.min_ts), max_ts = MAX(max_ts, excluded.max_ts)")
        fresh = [(k, v) for k, v in added.items() if k not in stale]
        self._conn.executemany(upsert.format(t="rollup"), [(*k, *v) for k, v in fresh])
        stale_days = {(k[0] // 24, *k[1:]) for k in stale}
        self._conn.executemany(upsert.format(t="rollup_day"),
                               [(k[0] // 24, *k[1:], *v) for k, v in fresh if (k[0] // 24, *k[1:]) not in stale_days])
        cell = "tech_key=? AND pipeline_key=? AND status=? AND sig=?"
        for hour, *rest in stale:
            self._conn.execute(f"DELETE FROM rollup WHERE hour=? AND {cell}", (hour, *rest))
            self._conn.execute(
                "INSERT INTO rollup SELECT ?, tech_key, pipeline_key, status, sig, COUNT(*), MIN(ts), MAX(ts) "
                f"FROM records WHERE ts >= ? AND ts < ? AND {cell} GROUP BY tech_key, pipeline_key, status, sig",
                (hour, hour * HOUR_MS, (hour + 1) * HOUR_MS, *rest))
        for day, *rest in stale_days:  # after the hours: a day is the sum of its hours
            self._conn.execute(f"DELETE FROM rollup_day WHERE day=? AND {cell}", (day, *rest))
            self._conn.execute(
                "INSERT INTO rollup_day SELECT ?, tech_key, pipeline_key, status, sig, SUM(n), MIN(min_ts), "
                f"MAX(max_ts) FROM rollup WHERE hour >= ? AND hour < ? AND {cell} "
                "GROUP BY tech_key, pipeline_key, status, sig", (day, day * 24, (day + 1) * 24, *rest))
        first: dict[str, int] = {}
        for k, v in added.items():
            first[k[4]] = min(first.get(k[4], v[1]), v[1])
        self._conn.executemany("INSERT INTO first_seen VALUES (?, ?) ON CONFLICT (sig) DO UPDATE SET "
                               "ts = MIN(ts, excluded.ts)", list(first.items()))
        for sig in {k[4] for k in stale}:  # an update may have moved a message's first run, or its last one away
            self._conn.execute("DELETE FROM first_seen WHERE sig=?", (sig,))
            self._conn.execute("INSERT INTO first_seen SELECT sig, MIN(min_ts) FROM rollup_day WHERE sig=? "
                               "GROUP BY sig", (sig,))

    def first_seen(self, sigs: Sequence[str]) -> dict[str, int]:
        """Signature id -> epoch ms of its first run (any status, any filter)."""
        out: dict[str, int] = {}
        for chunk in _chunks(list(sigs), 900):
            out.update(self._conn.execute(f"SELECT sig, ts FROM first_seen WHERE sig IN ({','.join('?' * len(chunk))})",
                                          chunk).fetchall())
        return out

    def known_signatures(self, sigs: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(sigs), 900):
            q = f"SELECT sig FROM signatures WHERE sig IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in self._conn.execute(q, chunk))
        return found

    def add_signatures(self, items: Sequence[tuple[str, str, str]]) -> None:
        """items: (signature id, signature text, an example message)."""
        self._conn.executemany("INSERT OR IGNORE INTO signatures VALUES (?,?,?)", items)
        self._conn.executemany("INSERT INTO sig_fts (sig, text) VALUES (?, ?)",
                               [(s, f"{t}\n{ex[:2000]}") for s, t, ex in items])
        self._conn.executemany("INSERT INTO sig_words (sig, words) VALUES (?, ?)",
                               [(s, _words(t, ex)) for s, t, ex in items])

    # --- reads -----------------------------------------------------------------
    def iter_ids(self) -> Iterator[str]:
        yield from (r[0] for r in self._conn.execute("SELECT id FROM records"))

    def counts(self) -> dict:
        (records,) = self._conn.execute("SELECT COUNT(*) FROM records").fetchone()
        (sigs,) = self._conn.execute("SELECT COUNT(*) FROM signatures").fetchone()
        return {"records": records, "distinct_messages": sigs}

    def vocabulary(self) -> dict[str, dict[str, str]]:
        """Names the questions can refer to: key -> the most common spelling."""
        out: dict[str, dict[str, str]] = {}
        for kind in ("tech", "pipeline"):
            best: dict[str, tuple[int, str]] = {}
            rows = self._conn.execute(
                f"SELECT {kind}_key, {kind}, COUNT(*) FROM records GROUP BY {kind}_key, {kind}")
            for key, name, n in rows:
                if key not in best or n > best[key][0]:
                    best[key] = (n, name)
            out[kind] = {k: v[1] for k, v in best.items()}
        return out

    def lexical(self, match: str, limit: int) -> list[str]:
        """Signature ids by BM25 for an FTS5 MATCH expression."""
        if not match:
            return []
        try:
            rows = self._conn.execute(
                "SELECT sig FROM sig_fts WHERE sig_fts MATCH ? ORDER BY bm25(sig_fts) LIMIT ?", (match, limit))
            return [r[0] for r in rows]
        except sqlite3.OperationalError:  # a query FTS5 cannot parse is simply not a lexical hit
            return []

    def failed_runs(self, sig: str, start: datetime, end: datetime, n: int, *, techs: tuple = (),
                    pipelines: tuple = ()) -> list[tuple]:
        """The latest failed runs showing a message in [start, end), to cite:
        (id, pipeline, tech, status, ts, message). `techs`/`pipelines`: a channel's filter, so that a
        Spark channel's digest never cites the Hadoop runs that show the same message."""
        extra, params = "", []
        for col, names in (("tech_key", techs), ("pipeline_key", pipelines)):
            if names:
                extra += f" AND {col} IN ({','.join('?' * len(names))})"
                params += [key_of(x) for x in names]
        return self._conn.execute(
            "SELECT id, pipeline, tech, status, ts, message FROM records INDEXED BY rec_sig "
            f"WHERE sig=? AND ts >= ? AND ts < ? AND status='failed'{extra} ORDER BY ts DESC LIMIT ?",
            (sig, to_ms(start), to_ms(end), *params, n)).fetchall()

    def ranked_words(self, match: str, limit: int) -> list[tuple[str, float]]:
        """(signature id, BM25 score; lower is better) over the log-aware words."""
        if not match:
            return []
        try:
            return self._conn.execute("SELECT sig, bm25(sig_words) AS s FROM sig_words WHERE sig_words MATCH ? "
                                      "ORDER BY s LIMIT ?", (match, limit)).fetchall()
        except sqlite3.OperationalError:
            return []

    def distinct_messages(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM signatures").fetchone()[0]

    def messages_with_word(self, word: str, limit: int) -> list[str]:
        """The messages (up to `limit`) one of whose log words is `word` exactly (no stem)."""
        try:
            return [s for (s,) in self._conn.execute("SELECT sig FROM sig_words WHERE sig_words MATCH ? LIMIT ?",
                                                     (f'"{word}"', limit))]
        except sqlite3.OperationalError:
            return []

    def is_empty(self) -> bool:
        return not self._conn.execute("SELECT 1 FROM records LIMIT 1").fetchone()

    def ids_stored_twice(self) -> tuple[int, str | None]:
        """Records of an index from before typed ids that are there twice, under their old id ("777")
        and their typed one ("int:777"): how many, and one of them."""
        twice = ("FROM records t WHERE (t.id GLOB 'int:*' OR t.id GLOB 'double:*') AND EXISTS "
                 "(SELECT 1 FROM records o WHERE o.id = substr(t.id, instr(t.id, ':') + 1))")
        (n,) = self._conn.execute(f"SELECT COUNT(*) {twice}").fetchone()
        row = self._conn.execute(f"SELECT t.id {twice} LIMIT 1").fetchone() if n else None
        return n, row[0] if row else None

    def failing_signatures(self) -> set[str]:
        """Every message that failed at least once."""
        return {r[0] for r in self._conn.execute("SELECT DISTINCT sig FROM rollup_day WHERE status='failed'")}

    def signature_texts(self, sigs: Sequence[str]) -> dict[str, tuple[str, str]]:
        out = {}
        for chunk in _chunks(list(sigs), 900):
            q = f"SELECT sig, text, example FROM signatures WHERE sig IN ({','.join('?' * len(chunk))})"
            out.update({s: (t, e) for s, t, e in self._conn.execute(q, chunk)})
        return out


def _words(text: str, example: str) -> str:
    return " ".join(log_words(f"{example[:2000]}\n{text}"))


def _digest(rec: Record, sig: str) -> str:
    h = hashlib.blake2b(digest_size=12)
    for part in (rec.pipeline, rec.tech, rec.status, rec.timestamp.isoformat(), sig, rec.message,
                 repr(rec.duration_s)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _chunks(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i : i + n]
