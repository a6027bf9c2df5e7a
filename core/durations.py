"""How long a run took: read from the source document at ingest, kept as an optional column.

Schedulers record it in one of two ways: a duration field (`duration_s`, FLOWRAG_FIELD_DURATION)
or start and end times. Either gives seconds; a document with neither, a RUNNING run, or a value
no run can have (negative, over 31 days) has no duration, and questions about durations say how
many runs had one."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

# tried after FLOWRAG_FIELD_DURATION, in order
DURATION_ALIASES = ("duration_s", "duration", "elapsed_s", "runtime_s", "duration_seconds")
START_FIELDS = ("start_time", "started_at", "startTime", "job.start_time")
END_FIELDS = ("end_time", "ended_at", "finished_at", "endTime", "job.end_time")
MAX_S = 31 * 86400


def fields(mapped: str) -> tuple[str, ...]:
    """Every path a duration may be read from: for the MongoDB projection."""
    return tuple(dict.fromkeys((mapped, *DURATION_ALIASES, *START_FIELDS, *END_FIELDS)))


def duration_of(read: Callable[[str], object], read_time: Callable[[str], datetime | None],
                mapped: str = "duration_s") -> float | None:
    """`read(path)`: a document's value at a dotted path; `read_time(path)`: that value as an aware
    datetime, or None (core/normalize.py reads documents, this module only decides)."""
    for path in dict.fromkeys((mapped, *DURATION_ALIASES)):
        seconds = _seconds(read(path))
        if seconds is not None:
            return seconds
    start, end = _first(read_time, START_FIELDS), _first(read_time, END_FIELDS)
    if start is None or end is None:
        return None
    return _bounded((end - start).total_seconds())


def _seconds(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _bounded(float(value))
    if isinstance(value, str):
        try:
            return _bounded(float(value.strip().removesuffix("s")))
        except ValueError:
            return None
    return None


def _bounded(seconds: float) -> float | None:
    return round(seconds, 3) if 0 <= seconds <= MAX_S else None


def _first(read_time: Callable[[str], datetime | None], paths) -> datetime | None:
    return next((ts for ts in map(read_time, paths) if ts is not None), None)
