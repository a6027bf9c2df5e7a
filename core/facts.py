"""Exact facts: counts computed over every record inside the filters. Top-k retrieval cannot
count, so numbers in answers come only from here."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from .models import Filters
from .store import SqliteRecordStore, from_ms

HOUR_MS = 3_600_000


def compute_facts(store: SqliteRecordStore, f: Filters, tz: ZoneInfo,
                  vocabulary: dict[str, dict[str, str]]) -> dict:
    where, params = store.where(f)
    techs = vocabulary.get("tech", {})
    pipes = vocabulary.get("pipeline", {})
    by_status: Counter = Counter()
    by_tech: Counter = Counter()
    by_pipeline: Counter = Counter()
    failed_by_tech: Counter = Counter()
    failed_by_pipeline: Counter = Counter()
    pipeline_tech: dict[str, str] = {}
    first = last = None
    rows = store.query(
        f"SELECT status, tech_key, pipeline_key, COUNT(*), MIN(ts), MAX(ts) FROM records WHERE {where} "
        "GROUP BY status, tech_key, pipeline_key", params)
    for status, tk, pk, n, lo, hi in rows:
        tech, pipe = techs.get(tk, tk), pipes.get(pk, pk)
        by_status[status] += n
        by_tech[tech] += n
        by_pipeline[pipe] += n
        pipeline_tech[pipe] = tech
        if status == "failed":
            failed_by_tech[tech] += n
            failed_by_pipeline[pipe] += n
        first = lo if first is None else min(first, lo)
        last = hi if last is None else max(last, hi)
    # hours, not days, in SQL: local days are cut in Python so that any FLOWRAG_TIMEZONE works
    by_day: dict[str, int] = defaultdict(int)
    for hour, n in store.query(f"SELECT ts / {HOUR_MS}, COUNT(*) FROM records WHERE {where} GROUP BY 1", params):
        day = datetime.fromtimestamp(hour * 3600, tz=timezone.utc).astimezone(tz).date().isoformat()
        by_day[day] += n
    total = sum(by_status.values())
    return {
        "filters": describe_filters(f),
        "total": total,
        "by_status": dict(by_status.most_common()),
        "by_tech": dict(by_tech.most_common()),
        "failed_by_tech": dict(failed_by_tech.most_common()),
        "top_pipelines": [[p, n, pipeline_tech[p]] for p, n in by_pipeline.most_common(10)],
        "top_failed_pipelines": [[p, n, pipeline_tech[p]] for p, n in failed_by_pipeline.most_common(10)],
        "by_day": dict(sorted(by_day.items())),
        "first_seen": from_ms(first).isoformat() if first is not None else None,
        "last_seen": from_ms(last).isoformat() if last is not None else None,
    }


def describe_filters(f: Filters) -> dict:
    return {
        "time": {"label": f.time.label, "start": f.time.start.isoformat(), "end": f.time.end.isoformat()}
        if f.time else None,
        "techs": list(f.techs),
        "pipelines": list(f.pipelines),
        "statuses": list(f.statuses),
    }
