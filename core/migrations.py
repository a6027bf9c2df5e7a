"""Schema changes as an ordered list of named steps per database, each recorded once in a
`_migrations` table when it has run (the way sqlite-utils' migrations and simonw/llm do it).

Adding a change is appending a `Step` to the database's list; nothing else counts versions. A file
written before the table existed kept a version number in `meta` (`legacy_key`): the first
`version - 1` steps are what it already had, and are recorded as such. A file that has run a step
this code does not know was written by a newer flowrag: refused, with the fix. The version number
is still written (the number of steps + 1) so that an older release refuses a newer file too.
Steps run on a file the current schema just created as well, so each must be harmless there
(add a column only if it is missing, rebuild derived rows from what is there).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Sequence

TABLE = "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[sqlite3.Connection], None]


def script(sql: str) -> Callable[[sqlite3.Connection], None]:
    """A step made of plain SQL statements."""
    def run(conn: sqlite3.Connection) -> None:
        for statement in filter(str.strip, sql.split(";")):
            conn.execute(statement)
    return run


def add_column(table: str, column: str, decl: str) -> Callable[[sqlite3.Connection], None]:
    """ALTER TABLE … ADD COLUMN, unless the current schema already created it."""
    def run(conn: sqlite3.Connection) -> None:
        if column not in {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
    return run


def pending(conn: sqlite3.Connection, steps: Sequence[Step], legacy_version: int) -> list[Step]:
    """The steps still to run. Raises LookupError naming the steps of a newer release."""
    conn.execute(TABLE)
    done = {name for (name,) in conn.execute("SELECT name FROM _migrations")}
    unknown = done - {s.name for s in steps}
    if unknown:
        raise LookupError(", ".join(sorted(unknown)))
    if not done:  # written before steps had names: its version number says how far it went
        now = _now()
        conn.executemany("INSERT OR IGNORE INTO _migrations VALUES (?, ?)",
                         [(s.name, now) for s in steps[:max(0, legacy_version - 1)]])
        done = {s.name for s in steps[:max(0, legacy_version - 1)]}
    return [s for s in steps if s.name not in done]


def apply(conn: sqlite3.Connection, steps: Sequence[Step]) -> list[str]:
    """Run the given steps in order, recording each; the caller holds the transaction."""
    for step in steps:
        step.run(conn)
        conn.execute("INSERT INTO _migrations VALUES (?, ?)", (step.name, _now()))
    return [s.name for s in steps]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
