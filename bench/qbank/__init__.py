"""A labeled question bank for flowrag, independent of the engine it measures.

`data` generates pipeline-run documents with planted features (silent pipelines, a failure
streak, new and recurring messages, night and morning failures); `questions` computes every
expected answer with plain Python over exactly the documents that were inserted; `check`
compares an engine answer to its expectation. Nothing here imports the engine's question
reading or execution code: the bank is the independent proof that it answers right.
"""
from __future__ import annotations

from datetime import datetime, timezone

# The same clock and zone as tests/conftest.py (Tue 2026-11-24 10:30 in Paris), for the bench.
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=timezone.utc)
TZ = "Europe/Paris"

# Settings the bank relies on: "tln" is a site alias, not one of the engine's built-in names.
ENGINE_OVERRIDES = {"FLOWRAG_ALIASES": "tln=Talend"}
