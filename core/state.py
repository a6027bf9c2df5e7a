"""What outlives index generations: which generation is current, the embedding cache, the
answers given with the feedback on them, per-channel settings and which channel each assistant
thread is looking at. One small SQLite file beside the index."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from typing import Sequence

import numpy as np

from .errors import IndexCorrupt
from .migrations import Step, script
from .sqlitedb import SqliteDB

STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vectors (embedder TEXT NOT NULL, sig TEXT NOT NULL, vec BLOB NOT NULL,
    PRIMARY KEY (embedder, sig));
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, at TEXT NOT NULL, question TEXT NOT NULL, text TEXT NOT NULL,
    citations TEXT NOT NULL, mode TEXT NOT NULL, language TEXT NOT NULL, interpretation TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS answers_at ON answers (at);
CREATE TABLE IF NOT EXISTS feedback (
    at TEXT NOT NULL, user TEXT, answer_id TEXT, vote TEXT, question TEXT);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback (at);
"""
KEEP_ANSWERS = timedelta(days=90)
KEEP_THREADS = timedelta(days=90)
# Version 2: per-channel settings (core/channels.py) and the channel an assistant thread is viewing.
STATE_V2 = """
CREATE TABLE IF NOT EXISTS channel_settings (
    channel TEXT PRIMARY KEY, settings TEXT NOT NULL, updated_by TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assistant_threads (
    channel TEXT NOT NULL, thread_ts TEXT NOT NULL, context TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (channel, thread_ts));
"""
# Version 3: exactly-once posts and alerts keyed on when a failure became known (bot/claims.py,
# bot/alerts.py). A claim is one row with a unique key, taken before posting: among the processes
# sharing this file, the one whose INSERT added the row is the only one that posts. A failing
# message is new when its signature first appears here, whatever the run's own timestamp (a run
# started hours ago and set to FAILED now is news now).
STATE_V3 = """
CREATE TABLE IF NOT EXISTS post_claims (
    key TEXT PRIMARY KEY, owner TEXT NOT NULL, at TEXT NOT NULL, ts TEXT);
CREATE TABLE IF NOT EXISTS failures_known (sig TEXT PRIMARY KEY, known_at TEXT NOT NULL, backfill INTEGER NOT NULL);
"""
KEEP_CLAIMS = timedelta(days=30)
CLAIM_STALE = timedelta(minutes=10)


class StateStore(SqliteDB):
    SCHEMA = STATE_SCHEMA
    WHAT = "state file"
    LEGACY_KEY = "state_version"
    STEPS = (Step("channel_settings_and_assistant_threads", script(STATE_V2)),
             Step("post_claims_and_failures_known", script(STATE_V3)))

    # --- claims: exactly once among the processes sharing this file ------------
    def claim(self, key: str, owner: str) -> bool:
        """True for exactly one caller per key (claims are kept KEEP_CLAIMS): the INSERT that adds the
        row wins; SQLite serializes writers, so two processes cannot both add it. A claim still
        without a post after CLAIM_STALE (its process was killed) may be taken over, by one caller."""
        now = datetime.now(timezone.utc)
        added = self._conn.execute("INSERT OR IGNORE INTO post_claims (key, owner, at) VALUES (?,?,?)",
                                   (key, owner, now.isoformat())).rowcount == 1
        if not added:  # a claim that never led to a post within CLAIM_STALE: its holder died
            added = self._conn.execute("UPDATE post_claims SET owner=?, at=? WHERE key=? AND ts IS NULL AND at < ?",
                                       (owner, now.isoformat(), key, (now - CLAIM_STALE).isoformat())).rowcount == 1
        if added:
            self._conn.execute("DELETE FROM post_claims WHERE at < ?", ((now - KEEP_CLAIMS).isoformat(),))
        return added

    def claimed(self, key: str) -> dict | None:
        row = self._conn.execute("SELECT owner, at, ts FROM post_claims WHERE key=?", (key,)).fetchone()
        return dict(zip(("owner", "at", "ts"), row)) if row else None

    def claim_posted(self, key: str, ts: str) -> None:
        """The message a claim led to, for whoever needs it later (the digest's thread)."""
        self._conn.execute("UPDATE post_claims SET ts=? WHERE key=?", (ts, key))

    def release(self, key: str, owner: str) -> None:
        """Give a claim back when the post failed, so that the next try (any process) may post."""
        self._conn.execute("DELETE FROM post_claims WHERE key=? AND owner=? AND ts IS NULL", (key, owner))

    # --- failing messages, and when each became known -----------------------
    def learn_failures(self, sigs, *, backfill: bool) -> set[str]:
        """Record these failing signatures as known now; returns those this call added (nobody
        had known them): the caller that adds one owns its alert."""
        now = datetime.now(timezone.utc).isoformat()
        added = set()
        with self.transaction():
            for sig in sigs:
                if self._conn.execute("INSERT OR IGNORE INTO failures_known VALUES (?,?,?)",
                                      (sig, now, int(backfill))).rowcount == 1:
                    added.add(sig)
        return added

    def forget_failures(self, sigs) -> None:
        """Their alert could not be posted: the next check learns them again and retries."""
        self._conn.executemany("DELETE FROM failures_known WHERE sig=?", [(sig,) for sig in sigs])

    def known_failures(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT sig FROM failures_known")}

    # --- assistant threads -------------------------------------------------
    def save_thread_context(self, channel: str, thread_ts: str, context: dict) -> None:
        """Which channel the user was viewing when they opened (or last moved) the assistant panel."""
        now = datetime.now(timezone.utc)
        self._conn.execute("INSERT OR REPLACE INTO assistant_threads VALUES (?,?,?,?)",
                           (channel, thread_ts, json.dumps(context), now.isoformat()))
        self._conn.execute("DELETE FROM assistant_threads WHERE at < ?", ((now - KEEP_THREADS).isoformat(),))

    def thread_context(self, channel: str, thread_ts: str) -> dict | None:
        row = self._conn.execute("SELECT context FROM assistant_threads WHERE channel=? AND thread_ts=?",
                                 (channel, thread_ts)).fetchone()
        return json.loads(row[0]) if row else None

    # --- generations -------------------------------------------------------
    def generation(self) -> int:
        """The index generation questions read. 0 is the layout of the first release."""
        return int(self.get_meta("generation", 0) or 0)

    def switch_generation(self, gen: int) -> None:
        """One row, one statement: readers see the old generation or the new one, never half."""
        with self.transaction():
            if gen <= self.generation():
                raise ValueError("generations only grow")
            self.set_meta("generation", gen)

    def adopt(self, legacy_store) -> None:
        """An index from the first release kept its embedding cache and feedback in the record
        store: copy them here once, so that nothing is embedded again."""
        try:
            self._conn.execute("ATTACH DATABASE ? AS legacy", (str(legacy_store),))
            try:
                with self.transaction():
                    tables = {r[0] for r in self._conn.execute("SELECT name FROM legacy.sqlite_master")}
                    if "vectors" in tables:
                        self._conn.execute("INSERT OR IGNORE INTO vectors SELECT embedder, sig, vec FROM legacy.vectors")
                    if "feedback" in tables:
                        self._conn.execute("INSERT INTO feedback SELECT at, user, answer_id, vote, question "
                                           "FROM legacy.feedback")
                    self.set_meta("adopted", True)
            finally:
                self._conn.execute("DETACH DATABASE legacy")
        except sqlite3.DatabaseError as e:
            raise IndexCorrupt(f"The record store {legacy_store} cannot be opened ({e}). "
                               "Delete the CHROMA_DB_DIR directory and run `flowrag ingest --full`.") from None

    # --- embedding cache ---------------------------------------------------
    def cached_vectors(self, embedder: str, sigs: Sequence[str]) -> dict[str, np.ndarray]:
        out = {}
        sigs = list(sigs)
        for i in range(0, len(sigs), 900):
            chunk = sigs[i:i + 900]
            q = f"SELECT sig, vec FROM vectors WHERE embedder=? AND sig IN ({','.join('?' * len(chunk))})"
            for sig, blob in self._conn.execute(q, [embedder, *chunk]):
                out[sig] = np.frombuffer(blob, dtype=np.float32)
        return out

    def cache_vectors(self, embedder: str, items: dict[str, np.ndarray]) -> None:
        if items:
            self._conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?,?,?)",
                                   [(embedder, s, np.asarray(v, dtype=np.float32).tobytes())
                                    for s, v in items.items()])

    # --- answers and feedback ----------------------------------------------
    def record_answer(self, answer, question: str) -> None:
        """Kept so that a 👍/👎 can be traced to exactly what was said."""
        cites = [{"ref": c.ref, "id": c.id, "pipeline_name": c.pipeline_name, "status": c.status,
                  "timestamp": c.timestamp.isoformat()} for c in answer.citations]
        now = datetime.now(timezone.utc)
        self._conn.execute("INSERT OR REPLACE INTO answers VALUES (?,?,?,?,?,?,?,?)",
                           (answer.id, now.isoformat(), question[:2000], answer.text[:20000], json.dumps(cites),
                            answer.mode, answer.language, answer.interpretation or ""))
        self._conn.execute("DELETE FROM answers WHERE at < ?", ((now - KEEP_ANSWERS).isoformat(),))

    def answer(self, answer_id: str) -> dict | None:
        row = self._conn.execute("SELECT id, at, question, text, citations, mode, language, interpretation "
                                 "FROM answers WHERE id=?", (answer_id,)).fetchone()
        if row is None:
            return None
        keys = ("id", "at", "question", "text", "citations", "mode", "language", "interpretation")
        out = dict(zip(keys, row))
        out["citations"] = json.loads(out["citations"])
        return out

    def record_feedback(self, user: str, answer_id: str, vote: str, question: str) -> None:
        self._conn.execute("INSERT INTO feedback VALUES (?,?,?,?,?)",
                           (datetime.now(timezone.utc).isoformat(), user, answer_id, vote, question))

    def feedback(self) -> list[tuple]:
        return self._conn.execute("SELECT at, user, answer_id, vote, question FROM feedback").fetchall()

    def feedback_summary(self, days: int = 30) -> dict:
        """👍 and 👎 of the last `days` days, one vote per user and answer (the last one)."""
        since = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat()
        rows = self._conn.execute(
            "SELECT vote FROM feedback f WHERE at >= ? AND at = (SELECT MAX(at) FROM feedback g "
            "WHERE g.user IS f.user AND g.answer_id IS f.answer_id)", (since,)).fetchall()
        up = sum(1 for (v,) in rows if v == "up")
        down = sum(1 for (v,) in rows if v == "down")
        return {"days": days, "up": up, "down": down, "ratio": round(up / (up + down), 2) if up + down else None}
