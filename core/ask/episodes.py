"""Failure episodes: "since when is X failing?" as an on-call engineer means it.

A pipeline that failed 13 times in a row with one error, then succeeded once, then failed again
with the same error has not been failing "since its last run": a lone success between two runs
with the same error is a blip, not a recovery. An episode is therefore the failures since the
pipeline's last healthy stretch: walking back from its latest finished run (which must have
failed), failures belong to it; a run of healthy runs ends it, unless it is at most `ISOLATED`
runs long and the failure just before it carries an error the episode already has. RUNNING runs
are neither healthy nor failed: they are skipped.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..store import queries

HEALTHY = ("success", "warning", "unknown")
ISOLATED = 1  # healthy runs in a row that do not end an episode when the same error comes back
PAGE = 64


@dataclass(frozen=True)
class Episode:
    since_ms: int  # the episode's first failed run
    runs: int  # finished runs since then (failed + the isolated healthy ones)
    failed: int
    errors: int  # distinct messages among its failures
    row_since_ms: int  # the failures in a row at the end: the first of them
    in_a_row: int


def current_episode(runs: Iterable[tuple[int, str, str]]) -> Episode | None:
    """`runs`: (ts ms, status, message signature), newest first, RUNNING runs left out.
    None when the latest run did not fail."""
    it = iter(runs)
    first = next(it, None)
    if first is None or first[1] != "failed":
        return None
    since = row_since = first[0]
    sigs = {first[2]}
    total = failed = in_a_row = 1
    in_row, pending = True, 0  # healthy runs seen since the last failure, walking back
    for ts, status, sig in it:
        if status != "failed":
            in_row = False
            pending += 1
            if pending > ISOLATED:
                break
            continue
        if pending:
            if sig not in sigs:  # a healthy run, and before it another error: a recovery
                break
            total, pending = total + pending, 0
        total, failed, since = total + 1, failed + 1, ts
        sigs.add(sig)
        if in_row:
            in_a_row, row_since = in_a_row + 1, ts
    return Episode(since, total, failed, len(sigs), row_since, in_a_row)


def history(store, pipeline_key: str, end_ms: int) -> Iterator[tuple[int, str, str]]:
    """A pipeline's finished runs before `end_ms`, newest first, read lazily: one index-ordered
    stream per status (rec_pipe is (pipeline, status, ts)) merged here, a page at a time, so
    that an episode of three runs costs a few rows even with years of history behind it."""
    def stream(status: str) -> Iterator[tuple[int, str, str]]:
        before = end_ms
        while True:
            rows = queries.pipeline_page(store, pipeline_key, status, before, PAGE)
            for ts, sig in rows:
                yield -ts, status, sig
            if len(rows) < PAGE:
                return
            before = rows[-1][0]

    for neg, status, sig in heapq.merge(*(stream(s) for s in ("failed", *HEALTHY))):
        yield -neg, status, sig
