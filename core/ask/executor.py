"""The executor: a `Query` in, exact figures out, computed in SQL over every record.

Counts read the hourly rollup (a few rows per hour) for the whole hours of a window and the
records themselves for the partial hours at its edges, so that "between 2am and 6:30am" is as
exact as "yesterday" and an all-time question costs the same at a million records as at a
thousand. Nothing here ranks or samples: retrieval only chooses what to cite.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from ..store import HOUR_MS, SqliteRecordStore, from_ms, key_of, queries, to_ms
from ..text import fold
from .compare import cut
from .durations import MEASURES as DURATION_MEASURES, run_durations
from .episodes import current_episode, history
from .running import open_runs
from .query import TREND_DAYS, MessageFact, Query, Result, Silent, Streak, Window, local_days, local_midnight

Row = tuple  # dims..., n, min_ts, max_ts
DAY = timedelta(days=1)
SILENT_MIN_DAYS = 4  # of the 7 days before: "ran on most of the previous days"
DEFAULT_RECENT = timedelta(hours=24)  # silent / new questions that name no window


class Executor:
    def __init__(self, store: SqliteRecordStore, tz: ZoneInfo, vocabulary: dict[str, dict[str, str]],
                 clock: Callable[[], datetime], running_default_s: float = 3600):
        self.store, self.tz, self.clock = store, tz, clock
        self.running_default_s = running_default_s
        self.names = {kind: dict(vocabulary.get(kind, {})) for kind in ("tech", "pipeline")}
        # one executor answers one question from one snapshot: the same aggregate asked twice (the
        # facts, then the citations' counts) is read once
        self._aggregates: dict[tuple, list[Row]] = {}

    # --- entry ---------------------------------------------------------------
    def run(self, q: Query) -> Result:
        q = self.effective(q)
        sigs = self.filter_signatures(q)
        window, compare = q.window, q.compare
        if q.same_span and window is not None and compare is not None:
            window, compare = cut(window, compare, self.clock(), self.tz)
        result = self._measure(q, window, sigs)
        if compare is not None and q.measure in ("runs", "distinct_pipelines", "distinct_techs", "rate"):
            prev = self._measure(q, compare, sigs)
            result = _with_previous(result, prev)
        return result

    def effective(self, q: Query) -> Query:
        """The query as executed (defaults filled in), for the interpretation line."""
        if q.measure in ("silent", "new_messages") and q.window is None:
            now = self.clock()
            return q.with_(window=Window(now - DEFAULT_RECENT, now, ""))
        return q

    def filter_signatures(self, q: Query) -> frozenset[str] | None:
        """The distinct messages the query's runs must carry (None: any)."""
        sigs = (frozenset(q.topic_messages) if q.topic_messages else
                self.topic_signatures(q.topic) if q.topic else None)
        if q.message:
            sigs = frozenset({q.message}) if sigs is None else sigs & {q.message}
        return sigs

    def topic_signatures(self, topic: str) -> frozenset[str]:
        """Distinct messages containing every topic word (a word also matches its longer forms:
        "timeout" finds "timeouts"). A filter, so it is lexical and exact, not similarity."""
        terms = [fold(w) for w in re.findall(r"\w{2,}", topic)][:8]
        if not terms:
            return frozenset()
        match = " AND ".join(f'"{_stem(w)}"*' for w in terms)
        return frozenset(self.store.lexical(match, 100_000))

    # --- measures ------------------------------------------------------------
    def _measure(self, q: Query, window: Window | None, sigs) -> Result:
        m = q.measure
        if m == "silent":
            return self._silent(q, window)
        if m == "streaks":
            return self._streaks(q, window)
        if m == "running":
            return open_runs(self, q, self.clock(), self.running_default_s)
        if m in DURATION_MEASURES:
            return run_durations(self, q.with_(window=window))
        rate = m == "rate"
        where, params = self.where(q, statuses=not rate, sigs=sigs)
        base = self.aggregate(where, params, window, ("tech_key", "pipeline_key", "status"))
        by_status, by_tech, by_pipe, f_tech, f_pipe = Counter(), Counter(), Counter(), Counter(), Counter()
        pipe_techs: dict[str, Counter] = defaultdict(Counter)
        lo = hi = None
        for tk, pk, st, n, mn, mx in base:
            tech, pipe = self.display("tech", tk), self.display("pipeline", pk)
            by_status[st] += n
            by_tech[tech] += n
            by_pipe[pipe] += n
            pipe_techs[pipe][tech] += n
            if st == "failed":
                f_tech[tech] += n
                f_pipe[pipe] += n
            lo, hi = (mn if lo is None else min(lo, mn)), (mx if hi is None else max(hi, mx))
        total = sum(by_status.values())
        # a pipeline's technology: the one most of its runs name ("unknown" only if none does)
        tech_of = {p: max(c, key=lambda k: (k != "unknown", c[k])) for p, c in pipe_techs.items()}
        out = dict(total=total, by_status=tuple(by_status.most_common()), by_tech=tuple(by_tech.most_common()),
                   by_pipeline=tuple(by_pipe.most_common(10)), failed_by_tech=tuple(f_tech.most_common()),
                   failed_by_pipeline=tuple(f_pipe.most_common(10)), pipeline_techs=tuple(sorted(tech_of.items())))
        if rate:
            num = by_status.get(q.rate_of, 0)
            out.update(value=round(100 * num / total, 1) if total else None, numerator=num, denominator=total)
        elif m == "distinct_pipelines":
            out.update(value=len(by_pipe), names=tuple(by_pipe.most_common()))
        elif m == "distinct_techs":
            out.update(value=len(by_tech), names=tuple(by_tech.most_common()))
        elif m == "list_pipelines":
            out.update(value=len(by_pipe), names=tuple(by_pipe.most_common(q.limit)))
        elif m == "list_techs":
            out.update(value=len(by_tech), names=tuple(by_tech.most_common(q.limit)))
        elif m == "first_time":
            out.update(value=from_ms(lo) if lo is not None else None)
        elif m == "last_time":
            out.update(value=from_ms(hi) if hi is not None else None)
        elif m in ("messages", "new_messages"):
            facts = self.messages(where, params, window, new_only=m == "new_messages", limit=q.limit)
            out.update(messages=facts, value=len(facts) if m == "new_messages" else total)
        else:
            out.update(value=total)
        if q.group_by:
            out.update(groups=self.groups(q.group_by, where, params, window, base, q.limit))
        return Result(**out)

    def groups(self, by: str, where, params, window, base: list[Row], limit: int) -> tuple:
        if by in ("tech", "pipeline", "status"):
            i = ("tech", "pipeline", "status").index(by)
            c = Counter()
            for row in base:
                c[self.display(by, row[i]) if by != "status" else row[i]] += row[3]
            return tuple(c.most_common())
        if by == "message":
            rows = self.aggregate(where, params, window, ("sig",))
            rows.sort(key=lambda r: -r[1])
            texts = self.store.signature_texts([r[0] for r in rows[:limit]])
            return tuple((texts.get(r[0], ("", ""))[1] or texts.get(r[0], ("",))[0], r[1]) for r in rows[:limit])
        c = Counter()
        fmt = "%Y-%m-%d" if by == "day" else "%H"
        for bucket_ms, n in self.buckets(where, params, window):
            c[from_ms(bucket_ms).astimezone(self.tz).strftime(fmt)] += n
        return tuple(sorted(c.items()))

    def messages(self, where, params, window, *, new_only: bool, limit: int) -> tuple[MessageFact, ...]:
        rows = self.aggregate(where, params, window, ("sig",))
        if new_only and window is not None:
            first = self.first_seen([r[0] for r in rows])
            lo, hi = to_ms(window.start), to_ms(window.end)
            rows = [r for r in rows if lo <= first[r[0]] < hi]
        rows.sort(key=lambda r: (-r[1], r[0]))
        keep = rows if new_only else rows[:limit]
        if not (new_only and window is not None):  # first runs of the messages shown only
            first = self.first_seen([r[0] for r in keep])
        texts = self.store.signature_texts([r[0] for r in keep])
        pipes: dict[str, list[str]] = defaultdict(list)
        if keep:
            sig_in = ",".join("?" * len(keep))
            for sig, pk, n, _, _ in sorted(self.aggregate(f"{where} AND sig IN ({sig_in})",
                                                          [*params, *[r[0] for r in keep]], window,
                                                          ("sig", "pipeline_key")), key=lambda r: -r[2]):
                pipes[sig].append(self.display("pipeline", pk))
        lo = to_ms(window.start) if window else None
        hi = to_ms(window.end) if window else None
        return tuple(MessageFact(
            signature_id=sig, text=texts.get(sig, ("", ""))[1] or texts.get(sig, ("",))[0], count=n,
            first_seen=from_ms(first[sig]), last_seen=from_ms(mx),
            new=window is not None and lo <= first[sig] < hi, pipelines=tuple(pipes[sig]))
            for sig, n, mn, mx in keep)

    def message_detail(self, q: Query, sig: str, trend_days: int = TREND_DAYS) -> MessageFact | None:
        """What a person needs to act on one message, exact, inside the query's filters: how many
        runs, which pipelines, first and last seen, new or recurring, and runs per local day."""
        where, params = self.where(q, sigs=[sig])
        rows = sorted(self.aggregate(where, params, q.window, ("pipeline_key",)), key=lambda r: (-r[1], r[0]))
        if not rows:
            return None
        first = self.first_seen([sig]).get(sig)
        text = self.store.signature_texts([sig]).get(sig, ("", ""))
        w = q.window
        if w is None or w.days > 31:
            end = w.end if w else self.clock()
            w = Window(local_midnight(end.astimezone(self.tz).date() - (trend_days - 1) * DAY, self.tz), end)
        per_day = Counter()
        for bucket_ms, n in self.buckets(where, params, w):
            per_day[from_ms(bucket_ms).astimezone(self.tz).strftime("%Y-%m-%d")] += n
        lo = to_ms(q.window.start) if q.window else None
        return MessageFact(
            signature_id=sig, text=text[1] or text[0], count=sum(r[1] for r in rows), first_seen=from_ms(first),
            last_seen=from_ms(max(r[3] for r in rows)),
            new=q.window is not None and first is not None and first >= lo,
            pipelines=tuple(f"{self.display('pipeline', r[0])} ({r[1]})" for r in rows),
            per_day=tuple(sorted(per_day.items())))

    def first_seen(self, sigs: list[str]) -> dict[str, int]:
        return self.store.first_seen(sigs)  # kept at ingest

    def _silent(self, q: Query, window: Window) -> Result:
        """Sources with no run in the window that ran on most of the 7 local days before it."""
        kind = "tech_key" if q.silent_kind == "tech" else "pipeline_key"
        where, params = self.where(q, statuses=False)
        day0 = window.start.astimezone(self.tz).date()
        active: dict[str, int] = defaultdict(int)
        first, last = local_midnight(day0 - 7 * DAY, self.tz), local_midnight(day0, self.tz)
        off = {self.tz.utcoffset(t.astimezone(self.tz).replace(tzinfo=None)) for t in (first, last)}
        if len(off) == 1 and next(iter(off)).total_seconds() % 3600 == 0:
            # one offset over the 7 days: local days are whole hours, SQL can bucket them
            shift = int(next(iter(off)).total_seconds())
            for key, n in queries.active_days(self.store, kind, where, params, shift, first, last):
                active[key] = n
        else:  # a DST change (or a half-hour zone) inside: one DISTINCT per local day
            for back in range(1, 8):
                day = local_days(day0 - back * DAY, self.tz)
                for (key,) in self._distinct(kind, where, params, day):
                    active[key] += 1
        usual = [k for k, n in active.items() if n >= SILENT_MIN_DAYS]
        named = q.techs if kind == "tech_key" else q.pipelines
        if len(named) == 1:
            # "why has X stopped running?" is about X, however often it usually runs
            usual = [key_of(named[0])]
        ran = set(self._distinct(kind, where, params, window, keys=usual)) if usual else set()
        silent = [k for k in usual if (k,) not in ran]
        found = []
        if silent:
            last = queries.last_seen(self.store, kind, silent)
            tech_of = queries.tech_of(self.store, silent) if kind == "pipeline_key" else {}
            for key in silent:
                tech = key if kind == "tech_key" else tech_of.get(key, "")
                found.append(Silent(name=self.display("tech" if kind == "tech_key" else "pipeline", key),
                                    tech=self.display("tech", tech),
                                    last_run=from_ms(last[key]) if key in last else None, days_active=active[key]))
        found.sort(key=lambda s: (s.last_run or datetime.min.replace(tzinfo=timezone.utc), s.name))
        return Result(value=len(found), silent=tuple(found), total=len(found))

    def _distinct(self, col: str, where: str, params: list, window: Window, keys: list[str] | None = None):
        return queries.distinct(self.store, col, where, params, window, keys)

    def _streaks(self, q: Query, window: Window | None) -> Result:
        """Pipelines whose latest runs (up to the window's end) failed: `streak_min` or more in a
        row, each with the failure episode they end (core/ask/episodes.py). Runs still RUNNING
        neither break nor extend a streak."""
        end = to_ms(window.end) if window else to_ms(self.clock()) + 1
        where, params = self.where(q, statuses=False)
        # only a pipeline that ever failed can be on a streak
        pipes = queries.failed_pipelines(self.store, where, params)
        found = []
        for pk, tk in pipes:
            e = current_episode(history(self.store, pk, end))
            if e is not None and e.in_a_row >= q.streak_min:
                found.append(Streak(self.display("pipeline", pk), self.display("tech", tk), from_ms(e.row_since_ms),
                                    e.in_a_row, from_ms(e.since_ms), e.runs, e.failed, e.errors))
        found.sort(key=lambda s: (s.since, s.pipeline))
        value = found[0].episode_since if len(found) == 1 and q.pipelines else len(found)
        return Result(value=value, streaks=tuple(found), total=len(found))

    # --- conditions (the SQL itself is core/store/queries.py's) ---------------
    within = staticmethod(queries.within)

    def where(self, q: Query, *, statuses: bool = True, sigs: Iterable[str] | None = None) -> tuple[str, list]:
        """Conditions on the columns records and rollup share (never the time: see aggregate)."""
        return queries.conditions(q.techs, q.exclude_techs, q.pipelines, q.exclude_pipelines,
                                  q.statuses if statuses else (), q.exclude_statuses, sigs)

    def aggregate(self, where: str, params: list, window: Window | None, dims: tuple[str, ...]) -> list[Row]:
        """(dims..., n, min_ts, max_ts) over the window, exact (core/store/queries.py); an aggregate
        asked twice within one answer is read once."""
        memo = (where, tuple(params), (window.start, window.end) if window else None, dims)
        if memo not in self._aggregates:
            self._aggregates[memo] = queries.aggregate(self.store, where, params, window, dims)
        return list(self._aggregates[memo])

    def buckets(self, where, params, window) -> list[tuple[int, int]]:
        """(bucket start ms, runs): hours where the zone is whole hours from UTC, else quarters
        of an hour from the records (Asia/Kolkata's days start at 18:30 UTC)."""
        return [(b, n) for _, b, n in self._by_bucket(where, params, window, None)]

    def _by_bucket(self, where, params, window, key_col) -> list[tuple]:
        if self._whole_hours(window):
            dims = (key_col, "hour") if key_col else ("hour",)
            rows = self.aggregate(where, params, window, dims)
            return [((r[0] if key_col else None), r[-4] * HOUR_MS, r[-3]) for r in rows]
        return queries.by_quarter(self.store, where, params, window, key_col)

    def _whole_hours(self, window: Window | None) -> bool:
        probes = [self.clock()] + ([window.start, window.end] if window else [])
        return all((self.tz.utcoffset(t.replace(tzinfo=None)) or timedelta()).total_seconds() % 3600 == 0
                   for t in probes)

    def display(self, kind: str, key: str) -> str:
        return self.names[kind].get(key, key)


def _with_previous(cur: Result, prev: Result) -> Result:
    from dataclasses import replace

    return replace(cur, previous=prev.value, previous_numerator=prev.numerator,
                   previous_denominator=prev.denominator)


def _stem(word: str) -> str:
    """Plural and common suffixes off, so a prefix query finds every form."""
    for suffix in ("ions", "ion", "ing", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word
