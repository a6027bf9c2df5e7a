"""Running or stuck: a RUNNING record is only running while it is younger than its pipeline's
usual duration; older, it is a run that never finished (the scheduler died, the record was never
updated) and an on-call engineer wants it apart from the live ones.

A pipeline's usual duration is the 95th percentile of its own recorded durations (the last
`HISTORY` finished runs that have one, at least `MIN_DURATIONS` of them); without enough, the
setting FLOWRAG_RUNNING_DEFAULT stands in, and the answer says which it used."""
from __future__ import annotations

import math
from datetime import datetime

from ..store import from_ms, key_of, queries, to_ms
from ..strings import STATUS_LABEL, name_label, t
from .query import OpenRun, Query, Result

HISTORY = 200
MIN_DURATIONS = 5


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def usual_duration(store, pipeline_key: str, default_s: float) -> tuple[float, bool]:
    """(seconds, whether the pipeline's own history gave it)."""
    durations = queries.recent_durations(store, pipeline_key, HISTORY)
    if len(durations) < MIN_DURATIONS:
        return default_s, False
    return p95(durations), True


def open_runs(executor, q: Query, now: datetime, default_s: float) -> Result:
    """RUNNING records matching the query's names (any time: a run stuck for weeks is the point),
    split into running and stuck; for one named pipeline, also its latest finished run."""
    where, params = executor.where(q.with_(statuses=()))
    rows = queries.running_runs(executor.store, where, params, to_ms(now))
    usual: dict[str, tuple[float, bool]] = {}
    running, stuck = [], []
    for rid, pk, tk, ts in rows:
        if pk not in usual:
            usual[pk] = usual_duration(executor.store, pk, default_s)
        limit, own = usual[pk]
        age = (now - from_ms(ts)).total_seconds()
        run = OpenRun(executor.display("pipeline", pk), executor.display("tech", tk), from_ms(ts), age, limit, own,
                      "running", rid)
        (running if age <= limit else stuck).append(run)
    finished = None
    if len(q.pipelines) == 1:
        last = queries.last_finished(executor.store, key_of(q.pipelines[0]), to_ms(now))
        if last:
            rid, pk, tk, ts, status = last
            finished = OpenRun(executor.display("pipeline", pk), executor.display("tech", tk), from_ms(ts),
                               (now - from_ms(ts)).total_seconds(), 0.0, False, status, rid)
    return Result(value=len(running), running=tuple(running), stuck=tuple(stuck), finished=finished,
                  total=len(running) + len(stuck))


# --- how it is said (the Renderer gives the language, the zone and the names' labels) ----------
def span(lang: str, value: float, *, seconds: bool = False) -> str:
    """"12 min", "3 h 05", "14 d" / « 14 j »: an age or a duration, as on-call people say it;
    `seconds`: short ones to the second ("1 min 42 s"), for durations."""
    minutes = int(value // 60)
    if minutes < 1:
        return f"{value:.0f} s" if value >= 1 or not seconds else f"{value:.1f} s"
    if minutes < 60:
        return f"{minutes} min {int(value % 60):02d} s" if seconds and minutes < 10 else f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{minutes // 1440} {'j' if lang == 'fr' else 'd'}"


def _item(render, run: OpenRun) -> str:
    lang = render.lang
    usual = t(lang, "usual_own" if run.usual_from_history else "usual_default", usual=span(lang, run.usual_s))
    return t(lang, "open_run", pipeline=run.pipeline, tech=name_label(lang, "tech", run.tech),
             start=render.time(run.started), age=span(lang, run.age_s), usual=usual)


def _answer(r: Result) -> str:
    """For one named pipeline: which run answers "is it still running?"."""
    if r.running:
        return "yes"
    if r.finished is not None and not (r.stuck and r.stuck[0].started > r.finished.started):
        return "finished"
    return "stuck" if r.stuck else "none"


def headline(render, q: Query, r: Result) -> str:
    lang = render.lang
    if len(q.pipelines) == 1:
        answer = _answer(r)
        if answer == "yes":
            return t(lang, "running_yes", item=_item(render, r.running[0]))
        if answer == "finished":
            status = STATUS_LABEL[lang].get(r.finished.status, r.finished.status)
            return t(lang, "running_no_finished", pipeline=q.pipelines[0], time=render.time(r.finished.started),
                     status=status)
        if answer == "stuck":
            return t(lang, "running_no_stuck", item=_item(render, r.stuck[0]))
        return t(lang, "running_no_runs", pipeline=q.pipelines[0])
    if not (r.running or r.stuck):
        return t(lang, "running_none", extra=render.within(q) + render.extra(q))
    return t(lang, "running_counts", n=len(r.running), k=len(r.stuck), extra=render.within(q) + render.extra(q))


def body(render, q: Query, r: Result) -> list[str]:
    lang, lines = render.lang, []
    stuck = r.stuck[1:] if len(q.pipelines) == 1 and _answer(r) == "stuck" else r.stuck
    sections = (("stuck_head", stuck),) if len(q.pipelines) == 1 else (("running_head", r.running),
                                                                       ("stuck_head", stuck))
    for key, runs in sections:
        if runs:
            lines.append(t(lang, key))
            lines += ["• " + _item(render, x) for x in runs[:q.limit]]
            if len(runs) > q.limit:
                lines.append(t(lang, "and_more", n=len(runs) - q.limit))
    return lines
