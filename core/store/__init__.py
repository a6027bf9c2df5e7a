"""The record store: every run, its rollups and the words of its messages, in SQLite. Every SQL
statement over the record store lives in this package: `records.py` (the schema, writes, and
the reads entry points need) and `queries.py` (what questions and the digest ask of it)."""
from .records import HOUR_MS, SCHEMA, SqliteRecordStore, from_ms, key_of, to_ms

__all__ = ["HOUR_MS", "SCHEMA", "SqliteRecordStore", "from_ms", "key_of", "to_ms"]
