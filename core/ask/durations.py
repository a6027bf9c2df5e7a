"""Duration measures: average, 95th percentile and longest duration, and the slowest runs, over
the runs that recorded one (`records.duration_s`, read at ingest by core/durations.py), grouped
like any other measure. Runs without a duration are counted, never guessed: a question about
durations on data without them says so."""
from __future__ import annotations

import re
from collections import defaultdict

from ..store import from_ms, queries
from ..strings import GROUP_LABEL, STATUS_LABEL, name_label, t
from .query import Query, Result, TimedRun
from .running import p95

MEASURES = ("avg_duration", "p95_duration", "max_duration", "slowest")
_D = r"(?:durees?|durations?|temps(?: d'?execution)?|run ?times?|runtimes?|elapsed)"
# (measure, pattern), the most specific first; matched on folded text (no accents)
CUES = (
    ("p95_duration", re.compile(rf"\bp95\b|\b95(?:e|th|eme)? (?:percentile|centile)|\b(?:percentile|centile) 95\b")),
    ("slowest", re.compile(r"\bslowest\b|\bplus lent\w*|\b(?:longest|plus longs?|plus longues?) (?:runs?|jobs?|executions?"
                           r"|passages?)\b")),
    ("max_duration", re.compile(rf"\b{_D} max\w*|\bmax\w* {_D}|\blongest {_D}|\b{_D} (?:la |le )?plus longu?e?\b")),
    ("avg_duration", re.compile(rf"\b{_D} moyen\w*|\bmoyenne?s? (?:des |de )?{_D}|\b(?:average|mean|avg) {_D}"
                                rf"|\b{_D} (?:on )?average\b|\bhow long\b|\bcombien de temps\b|\b{_D}\b")),
)


WORDS = re.compile(rf"\b(?:{_D}|moyen\w*|average|mean|avg|max\w*|longest)\b")


HOW_MANY_SLOW = re.compile(r"\b(\d{1,2})\s+(?:slowest|plus lent\w*|longest|plus longs?|plus longues?)\b")


def duration_cue(text: str) -> tuple[str, list[tuple[int, int]], int | None] | None:
    """The duration measure a question asks for, the spans of its words (folded text: the cue
    and every other duration word, none of which is a topic or an unknown measure), and how many
    slowest runs ("the 3 slowest")."""
    for measure, rx in CUES:
        m = rx.search(text)
        if m:
            n = HOW_MANY_SLOW.search(text)
            return measure, [m.span(), *(w.span() for w in WORDS.finditer(text))], int(n.group(1)) if n else None


AGGREGATE = {"avg_duration": lambda v: sum(v) / len(v), "p95_duration": p95, "max_duration": max}
GROUP_COLUMN = {"tech": "tech_key", "pipeline": "pipeline_key", "status": "status"}


def run_durations(executor, q: Query) -> Result:
    where, params = executor.where(q, sigs=executor.filter_signatures(q))
    where, params = executor.within(where, params, q.window)
    total = queries.finished_count(executor.store, where, params)
    if q.measure == "slowest":
        rows = queries.slowest(executor.store, where, params, q.limit)
        timed = queries.timed_count(executor.store, where, params)
        slow = tuple(TimedRun(executor.display("pipeline", pk), executor.display("tech", tk), from_ms(ts), d, st, rid)
                     for rid, pk, tk, ts, d, st in rows)
        return Result(value=slow[0].duration_s if slow else None, slowest=slow, numerator=timed, denominator=total,
                      total=timed)
    rows = queries.timed_runs(executor.store, where, params)
    agg = AGGREGATE[q.measure]
    values = [r[4] for r in rows]
    groups: tuple = ()
    if q.group_by and values:
        by: dict[str, list[float]] = defaultdict(list)
        for tk, pk, st, ts, d in rows:
            key = (executor.display("tech", tk) if q.group_by == "tech" else executor.display("pipeline", pk)
                   if q.group_by == "pipeline" else st if q.group_by == "status" else
                   from_ms(ts).astimezone(executor.tz).strftime("%Y-%m-%d" if q.group_by == "day" else "%H"))
            by[key].append(d)
        ranked = sorted(((k, round(agg(v), 1)) for k, v in by.items()),
                        key=lambda kv: kv[0] if q.group_by in ("day", "hour") else -kv[1])
        groups = tuple(ranked[:31 if q.group_by == "day" else 24 if q.group_by == "hour" else q.limit])
    return Result(value=round(agg(values), 1) if values else None, numerator=len(values), denominator=total,
                  total=len(values), groups=groups)


# --- how it is said -------------------------------------------------------------------------
def headline(render, q: Query, r: Result) -> str:
    from .running import span

    lang = render.lang
    kw = dict(scope=render.scope(q), when=render.when(q.window), extra=render.extra(q))
    if not r.numerator:
        # "how long did the leader election take?" over runs without durations: the messages of the
        # topic may say it ("LEADER ELECTION TOOK - 238"); they are the answer, not a bare "none"
        return t(lang, "durations_in_messages" if in_messages(q, r) else "durations_none", n=r.denominator or 0, **kw)
    if q.measure == "slowest":
        return t(lang, "slowest", n=len(r.slowest), timed=r.numerator, **kw)
    return t(lang, q.measure, value=span(lang, r.value, seconds=True), timed=r.numerator, total=r.denominator, **kw)


def in_messages(q: Query, r: Result) -> bool:
    """No run of a described topic records a duration: its messages are shown instead."""
    return not r.numerator and bool(q.topic_messages) and bool(r.denominator)


def body(render, q: Query, r: Result, hits=()) -> list[str]:
    from .running import span

    lang, lines = render.lang, []
    if in_messages(q, r):
        return [render.message_line(i, h) for i, h in enumerate(hits, start=1)]
    for x in r.slowest:
        lines.append("• " + t(lang, "slow_run", pipeline=x.pipeline, tech=name_label(lang, "tech", x.tech),
                              duration=span(lang, x.duration_s, seconds=True), start=render.time(x.started),
                              status=STATUS_LABEL[lang].get(x.status, x.status)))
    if r.groups:
        lines.append(t(lang, "groups", what=GROUP_LABEL[lang][q.group_by]))
        for k, v in r.groups:
            k = name_label(lang, q.group_by, k) if q.group_by in ("tech", "pipeline") else k
            lines.append(t(lang, "item", k=k, v=span(lang, v, seconds=True)))
    return lines

