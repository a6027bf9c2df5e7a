"""What questions and the digest ask of the record store, as SQL over the records and their
rollups (per UTC hour: `rollup`, per UTC day: `rollup_day`). Conditions come from `conditions`,
built from a query's names and statuses; time is added by `within` (records) or spread over the
rollups by `aggregate`, exactly: whole days from the daily rollup, whole hours from the hourly one,
the minutes at the edges from the records."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence

from ..models import Window
from .records import HOUR_MS, SqliteRecordStore, key_of, to_ms

Row = tuple
RUN = "id, pipeline, tech, status, ts, message"  # a run to cite
QUARTER_MS = 900_000


# --- conditions ------------------------------------------------------------------------------
def conditions(techs=(), exclude_techs=(), pipelines=(), exclude_pipelines=(), statuses=(), exclude_statuses=(),
               sigs: Iterable[str] | None = None) -> tuple[str, list]:
    """Conditions on the columns records and rollups share (never the time)."""
    parts, params = ["1=1"], []

    def cond(col, values, negate=False):
        if values:
            parts.append(f"{col} {'NOT ' if negate else ''}IN ({','.join('?' * len(values))})")
            params.extend(values)

    cond("tech_key", [key_of(t) for t in techs])
    cond("tech_key", [key_of(t) for t in exclude_techs], negate=True)
    cond("pipeline_key", [key_of(p) for p in pipelines])
    cond("pipeline_key", [key_of(p) for p in exclude_pipelines], negate=True)
    cond("status", list(statuses))
    cond("status", list(exclude_statuses), negate=True)
    if sigs is not None:
        sigs = list(sigs)
        if not sigs:
            parts.append("0")
        elif len(sigs) <= 900:
            cond("sig", sigs)
        else:  # SQLite caps host parameters; a temp table would do too, this is rarer
            parts.append("sig IN (" + ",".join("'" + s.replace("'", "''") + "'" for s in sigs) + ")")
    return " AND ".join(parts), params


def within(where: str, params: list, window: Window | None) -> tuple[str, list]:
    """`where` on the records table, restricted to the window (for choosing what to cite)."""
    if window is None:
        return where, params
    return f"{where} AND ts >= ? AND ts < ?", [*params, to_ms(window.start), to_ms(window.end)]


# --- counts over the rollups -------------------------------------------------------------------
def aggregate(store: SqliteRecordStore, where: str, params: list, window: Window | None,
              dims: tuple[str, ...]) -> list[Row]:
    """(dims..., n, min_ts, max_ts) over the window, exact."""
    idx = ", ".join(str(i + 1) for i in range(len(dims)))
    group = f" GROUP BY {idx}" if dims else ""

    def select(table: str, col: str | None) -> str:
        cols = ", ".join(f"ts / {HOUR_MS}" if (d == "hour" and table == "records") else d for d in dims)
        sel = f"{cols}, " if dims else ""
        agg = "COUNT(*), MIN(ts), MAX(ts)" if table == "records" else "SUM(n), MIN(min_ts), MAX(max_ts)"
        span = f" AND {col} >= ? AND {col} < ?" if col else ""
        return f"SELECT {sel}{agg} FROM {table} WHERE {where}{span}{group}"

    days_ok = "hour" not in dims
    parts: list[tuple[str, list]] = []
    if window is None:
        parts.append((select("rollup_day", None) if days_ok else select("rollup", None), params))
    else:
        lo, hi = to_ms(window.start), to_ms(window.end)
        h_lo, h_hi = -(-lo // HOUR_MS), hi // HOUR_MS
        if h_lo >= h_hi:
            if lo < hi:
                parts.append((select("records", "ts"), [*params, lo, hi]))
        else:
            for a, b in ((lo, h_lo * HOUR_MS), (h_hi * HOUR_MS, hi)):
                if a < b:
                    parts.append((select("records", "ts"), [*params, a, b]))
            d_lo, d_hi = -(-h_lo // 24), h_hi // 24
            if days_ok and d_lo < d_hi:
                parts.append((select("rollup_day", "day"), [*params, d_lo, d_hi]))
                hours = ((h_lo, d_lo * 24), (d_hi * 24, h_hi))
            else:
                hours = ((h_lo, h_hi),)
            for a, b in hours:
                if a < b:
                    parts.append((select("rollup", "hour"), [*params, a, b]))
    merged: dict[tuple, list] = {}
    k = len(dims)
    for sql, p in parts:
        for row in store.query(sql, p):
            if not row[k]:
                continue
            key = tuple(row[:k])
            acc = merged.get(key)
            if acc is None:
                merged[key] = list(row[k:])
            else:
                acc[0] += row[k]
                acc[1], acc[2] = min(acc[1], row[k + 1]), max(acc[2], row[k + 2])
    return [(*key, *v) for key, v in merged.items()]


def by_quarter(store: SqliteRecordStore, where: str, params: list, window: Window | None,
               key_col: str | None) -> list[Row]:
    """(key or None, quarter-hour start ms, runs) from the records: for zones whose offset is not
    whole hours (Asia/Kolkata's days start at 18:30 UTC)."""
    kc = f"{key_col}, " if key_col else ""
    cond, p = (" AND ts >= ? AND ts < ?", [to_ms(window.start), to_ms(window.end)]) if window else ("", [])
    rows = store.query(f"SELECT {kc}ts / {QUARTER_MS}, COUNT(*) FROM records WHERE {where}{cond} "
                       f"GROUP BY {kc}2" if key_col else
                       f"SELECT ts / {QUARTER_MS}, COUNT(*) FROM records WHERE {where}{cond} GROUP BY 1",
                       [*params, *p])
    return [((r[0] if key_col else None), r[-2] * QUARTER_MS, r[-1]) for r in rows]


def distinct(store: SqliteRecordStore, col: str, where: str, params: list, window: Window,
             keys: list[str] | None = None) -> set[tuple]:
    """Distinct values of `col` with a run in the window: hours from the rollup, edges from records."""
    if keys is not None:
        where = f"{where} AND {col} IN ({','.join('?' * len(keys))})"
        params = [*params, *keys]
    lo, hi = to_ms(window.start), to_ms(window.end)
    h_lo, h_hi = -(-lo // HOUR_MS), hi // HOUR_MS
    sqls = []
    if h_lo < h_hi:
        sqls.append((f"SELECT DISTINCT {col} FROM rollup WHERE {where} AND hour >= ? AND hour < ?",
                     [*params, h_lo, h_hi]))
        edges = ((lo, h_lo * HOUR_MS), (h_hi * HOUR_MS, hi))
    else:
        edges = ((lo, hi),)
    for a, b in edges:
        if a < b:
            sqls.append((f"SELECT DISTINCT {col} FROM records WHERE {where} AND ts >= ? AND ts < ?",
                         [*params, a, b]))
    out: set[tuple] = set()
    for sql, p in sqls:
        out.update(store.query(sql, p))
    return out


def active_days(store: SqliteRecordStore, col: str, where: str, params: list, shift_s: int, first: datetime,
                last: datetime) -> list[Row]:
    """(key, local days with a run) in [first, last), for a zone `shift_s` seconds from UTC."""
    return store.query(f"SELECT {col}, COUNT(DISTINCT (hour * 3600 + ?) / 86400) FROM rollup WHERE {where} "
                       "AND hour >= ? AND hour < ? GROUP BY 1",
                       [shift_s, *params, to_ms(first) // HOUR_MS, to_ms(last) // HOUR_MS])


def last_seen(store: SqliteRecordStore, col: str, keys: Sequence[str]) -> dict[str, int]:
    """The latest run (ms) of each technology or pipeline key."""
    return dict(store.query(f"SELECT {col}, MAX(max_ts) FROM rollup_day WHERE {col} IN ({','.join('?' * len(keys))}) "
                            "GROUP BY 1", list(keys)))


def tech_of(store: SqliteRecordStore, pipeline_keys: Sequence[str]) -> dict[str, str]:
    return dict(store.query(f"SELECT pipeline_key, tech_key FROM rollup_day WHERE pipeline_key IN "
                            f"({','.join('?' * len(pipeline_keys))}) GROUP BY pipeline_key", list(pipeline_keys)))


def failed_pipelines(store: SqliteRecordStore, where: str, params: list) -> list[Row]:
    """(pipeline key, tech key) of every pipeline that ever failed within the conditions."""
    return store.query(f"SELECT pipeline_key, tech_key FROM rollup_day WHERE {where} AND status='failed' "
                       "GROUP BY pipeline_key", params)


# --- runs ----------------------------------------------------------------------------------------
def edge_signature(store: SqliteRecordStore, where: str, params: list, *, first: bool) -> list[str]:
    """The message of the first (or last) run within the conditions."""
    order = "ASC" if first else "DESC"
    return [r[0] for r in store.query(f"SELECT sig FROM records WHERE {where} ORDER BY ts {order} LIMIT 1", params)]


def recent_signatures(store: SqliteRecordStore, where: str, params: list, n: int = 200) -> list[str]:
    """The messages of the latest runs within the conditions, newest first, each once."""
    rows = store.query(f"SELECT sig FROM records WHERE {where} ORDER BY ts DESC LIMIT {int(n)}", params)
    return list(dict.fromkeys(r[0] for r in rows))


def last_run_of(store: SqliteRecordStore, column: str, key: str) -> list[Row]:
    """The latest run of a technology (`tech_key`) or pipeline (`pipeline_key`), to cite."""
    if column not in ("tech_key", "pipeline_key"):
        raise ValueError(column)
    return store.query(f"SELECT {RUN} FROM records WHERE {column}=? ORDER BY ts DESC LIMIT 1", (key,))


def run(store: SqliteRecordStore, record_id: str) -> list[Row]:
    return store.query(f"SELECT {RUN} FROM records WHERE id=?", (record_id,))


def last_failure_since(store: SqliteRecordStore, pipeline_key: str, since: datetime) -> list[Row]:
    return store.query(f"SELECT {RUN} FROM records INDEXED BY rec_pipe WHERE pipeline_key=? AND status='failed' "
                       "AND ts >= ? ORDER BY ts DESC LIMIT 1", (pipeline_key, to_ms(since)))


def recent_runs_of(store: SqliteRecordStore, where: str, params: list, sig: str, n: int = 20) -> list[Row]:
    """The latest runs within the conditions that show a message, to cite."""
    return store.query(f"SELECT {RUN} FROM records WHERE {where} AND sig=? ORDER BY ts DESC LIMIT {int(n)}",
                       [*params, sig])


def pipeline_page(store: SqliteRecordStore, pipeline_key: str, status: str, before_ms: int, n: int) -> list[Row]:
    """(ts, sig) of a pipeline's runs of one status before `before_ms`, newest first (rec_pipe order)."""
    return store.query("SELECT ts, sig FROM records INDEXED BY rec_pipe WHERE pipeline_key=? AND status=? "
                       "AND ts<? ORDER BY ts DESC LIMIT ?", (pipeline_key, status, before_ms, n))


def recent_durations(store: SqliteRecordStore, pipeline_key: str, n: int) -> list[float]:
    """A pipeline's latest recorded durations of finished runs."""
    return [r[0] for r in store.query("SELECT duration_s FROM records INDEXED BY rec_pipe WHERE pipeline_key=? AND "
                                      "status IN ('success','warning','failed','unknown') AND duration_s IS NOT NULL "
                                      "ORDER BY ts DESC LIMIT ?", (pipeline_key, n))]


def running_runs(store: SqliteRecordStore, where: str, params: list, until_ms: int) -> list[Row]:
    """(id, pipeline key, tech key, ts) of RUNNING records within the conditions, newest first."""
    return store.query(f"SELECT id, pipeline_key, tech_key, ts FROM records WHERE {where} "
                       "AND status='running' AND ts <= ? ORDER BY ts DESC", [*params, until_ms])


def last_finished(store: SqliteRecordStore, pipeline_key: str, until_ms: int) -> Row | None:
    """(id, pipeline key, tech key, ts, status) of a pipeline's latest run that is not RUNNING."""
    rows = store.query("SELECT id, pipeline_key, tech_key, ts, status FROM records WHERE pipeline_key=? "
                       "AND status != 'running' AND ts <= ? ORDER BY ts DESC LIMIT 1", (pipeline_key, until_ms))
    return rows[0] if rows else None


def finished_count(store: SqliteRecordStore, where: str, params: list) -> int:
    return store.query(f"SELECT COUNT(*) FROM records WHERE {where} AND status != 'running'", params)[0][0]


def timed_count(store: SqliteRecordStore, where: str, params: list) -> int:
    return store.query(f"SELECT COUNT(*) FROM records WHERE {where} AND duration_s IS NOT NULL", params)[0][0]


def slowest(store: SqliteRecordStore, where: str, params: list, n: int) -> list[Row]:
    """(id, pipeline key, tech key, ts, duration, status), longest first."""
    return store.query(f"SELECT id, pipeline_key, tech_key, ts, duration_s, status FROM records WHERE "
                       f"{where} AND duration_s IS NOT NULL ORDER BY duration_s DESC LIMIT ?", [*params, n])


def timed_runs(store: SqliteRecordStore, where: str, params: list) -> list[Row]:
    """(tech key, pipeline key, status, ts, duration) of every run with a duration."""
    return store.query(f"SELECT tech_key, pipeline_key, status, ts, duration_s FROM records WHERE {where} "
                       "AND duration_s IS NOT NULL", params)


# --- the digest's day ----------------------------------------------------------------------------
def last_run_before(store: SqliteRecordStore, pipeline_key: str, end_ms: int) -> int | None:
    return store.query("SELECT MAX(ts) FROM records INDEXED BY rec_pipe WHERE pipeline_key=? AND ts < ?",
                       (pipeline_key, end_ms))[0][0]


def last_finished_between(store: SqliteRecordStore, pipeline_key: str, lo: int, hi: int) -> Row | None:
    """(status, ts) of a pipeline's last run that is not RUNNING in [lo, hi)."""
    rows = store.query("SELECT status, ts FROM records WHERE pipeline_key=? AND ts >= ? AND ts < ? "
                       "AND status != 'running' ORDER BY ts DESC LIMIT 1", (pipeline_key, lo, hi))
    return rows[0] if rows else None


def last_failure_between(store: SqliteRecordStore, pipeline_key: str, lo: int, hi: int) -> int | None:
    return store.query("SELECT MAX(ts) FROM records WHERE pipeline_key=? AND status='failed' AND ts >= ? AND ts < ?",
                       (pipeline_key, lo, hi))[0][0]


def first_healthy_after(store: SqliteRecordStore, pipeline_key: str, after: int, hi: int) -> int | None:
    return store.query("SELECT MIN(ts) FROM records WHERE pipeline_key=? AND status NOT IN ('failed', 'running') "
                       "AND ts > ? AND ts < ?", (pipeline_key, after, hi))[0][0]


def run_times(store: SqliteRecordStore, pipeline_key: str, lo: int, hi: int, n: int = 5000) -> list[int]:
    """A pipeline's run times in [lo, hi), oldest first."""
    return [r[0] for r in store.query("SELECT ts FROM records INDEXED BY rec_pipe WHERE pipeline_key=? AND ts >= ? "
                                      "AND ts < ? ORDER BY ts LIMIT ?", (pipeline_key, lo, hi, n))]
