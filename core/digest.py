"""The morning digest: the state of the flows over one local day, every figure exact (from the
query executor), with the records it rests on cited."""
from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .ask.executor import Executor
from .ask.headline import headline_of
from .ask.query import Query, Window, iso as _iso, local_days
from .models import Citation
from .store import SqliteRecordStore, from_ms, key_of, queries, to_ms
from .strings import name_label, t

TOP = 5  # of each list in the posted text ("and N more" after); the JSON lists everything


@dataclass(frozen=True)
class Digest:
    date: str
    language: str
    runs: int
    failures: int
    failures_by_tech: dict
    failures_by_pipeline: list
    usual_failures: dict
    new_errors: list
    recurring: list
    ongoing: list
    recovered: list
    silent: list
    text: str = ""
    citations: tuple[Citation, ...] = ()
    chart: str | None = None
    per_day_by_tech: dict = field(default_factory=dict)  # the chart's data: day -> {tech: failures}
    scope: tuple = ()  # a channel's filter (technologies, then pipelines): every figure is within it

    def as_json(self) -> dict:
        out = asdict(self)
        out["citations"] = [{"ref": c.ref, "id": c.id, "pipeline_name": c.pipeline_name, "tech": c.tech,
                             "status": c.status, "timestamp": _iso(c.timestamp), "snippet": c.snippet}
                            for c in self.citations]
        return out


def yesterday(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date() - timedelta(days=1)


def build_digest(store: SqliteRecordStore, executor: Executor, day: date, tz: ZoneInfo, lang: str,
                 scope: Query = Query(), priority: tuple[str, ...] = ()) -> Digest:
    """`scope`: a channel's filter (its techs and pipelines); every figure and citation stays within it."""
    w = local_days(day, tz, label=day.isoformat())
    scope = Query(techs=scope.techs, pipelines=scope.pipelines)
    fail = scope.with_(window=w, statuses=("failed",))
    base = executor.run(fail)
    runs = executor.run(scope.with_(window=w)).total
    usual = _usual(executor, day, tz, base.total, scope)
    cites: list[tuple] = []  # records cited, in order

    def cite(rows: list[tuple]) -> list[int]:
        refs = []
        for row in rows:
            if row not in cites:
                cites.append(row)
            refs.append(cites.index(row) + 1)
        return refs

    new = [m for m in executor.run(fail.with_(measure="new_messages")).messages if m.new]
    def latest_text(rows: list[tuple], fallback: str) -> str:
        # the day's own wording: yesterday's file name, not the one of the first occurrence
        return headline_of(rows[0][5] if rows else fallback, 300)

    new_errors, recurring = [], []
    # what the text shows is cited; the rest of each list is in the JSON, without citations
    weight = _weights(new, base.pipeline_techs, priority)
    for i, m in enumerate(by_impact(new, weight)):
        rows = _records(store, w, m.signature_id, scope=scope)
        new_errors.append({"message": latest_text(rows, m.text), "first_seen": _iso(m.first_seen), "count": m.count,
                           "pipelines": list(m.pipelines), "citations": cite(rows) if i < TOP else []})
    old = [m for m in executor.run(fail.with_(measure="messages", limit=1_000_000)).messages if not m.new]
    for i, m in enumerate(old):
        rows = _records(store, w, m.signature_id, 1, scope)
        recurring.append({"message": latest_text(rows, m.text), "first_seen": _iso(m.first_seen),
                          "count": m.count, "pipelines": list(m.pipelines), "citations": cite(rows) if i < TOP else []})
    # every pipeline whose last run of the day failed, however short its streak (`ask`'s "failing now")
    ongoing = [{"pipeline": s.pipeline, "tech": s.tech, "since": _iso(s.since), "failed_runs": s.failed_runs,
                "episode_since": _iso(s.episode_since), "episode_runs": s.episode_runs,
                "episode_failed": s.episode_failed}
               for s in executor.run(scope.with_(measure="streaks", window=w, streak_min=1)).streaks]
    ongoing.sort(key=lambda o: (-o["failed_runs"], o["since"], o["pipeline"]))
    recovered = _recovered(store, executor, w, {o["pipeline"] for o in ongoing}, scope)
    silent = [{"pipeline": s.name, "tech": s.tech, "last_run": _last_run(store, s.name, w),
               "usual_every": _cadence(store, s.name, w)}
              for s in executor.run(scope.with_(measure="silent", window=w)).silent]
    digest = Digest(
        date=day.isoformat(), language=lang, runs=runs, failures=base.total,
        failures_by_tech=dict(base.failed_by_tech), failures_by_pipeline=[list(x) for x in base.failed_by_pipeline],
        usual_failures=usual, new_errors=new_errors, recurring=recurring, ongoing=ongoing, recovered=recovered,
        silent=silent, per_day_by_tech=per_day_by_tech(executor, day, tz, scope=scope),
        scope=scope.techs + scope.pipelines)
    return _with_text(digest, cites, tz)


def per_day_by_tech(executor: Executor, day: date, tz: ZoneInfo, days: int = 14, scope: Query = Query()) -> dict:
    w = local_days(day - timedelta(days=days - 1), tz, days)
    where, params = executor.where(scope.with_(statuses=("failed",)))
    out: dict[str, dict[str, int]] = {(day - timedelta(days=i)).isoformat(): {} for i in range(days - 1, -1, -1)}
    for tk, hour, n, _, _ in executor.aggregate(where, params, w, ("tech_key", "hour")):
        d = from_ms(hour * 3_600_000).astimezone(tz).date().isoformat()
        tech = executor.display("tech", tk)
        if d in out:
            out[d][tech] = out[d].get(tech, 0) + n
    return out


def _usual(executor: Executor, day: date, tz: ZoneInfo, today: int, scope: Query = Query()) -> dict:
    """The median of the 7 previous days' failures, and how the day compares."""
    before = []
    for k in range(1, 8):
        d = day - timedelta(days=k)
        before.append(executor.run(scope.with_(window=local_days(d, tz), statuses=("failed",))).total)
    median = statistics.median(before)
    change = today - median
    return {"median": median, "previous_days": before, "change": change,
            "change_pct": round(100 * change / median) if median else None}


def _weights(new: list, pipeline_techs, priority: tuple[str, ...]) -> dict[str, int]:
    """Business weight of each new error: how many of its pipelines FLOWRAG_PRIORITY names (by
    pipeline or technology, shell patterns, case forgiven)."""
    from fnmatch import fnmatch

    tech_of = dict(pipeline_techs)
    pats = [p.casefold() for p in priority]

    def weighs(p: str) -> bool:
        return any(fnmatch(p.casefold(), x) or fnmatch(tech_of.get(p, "").casefold(), x) for x in pats)
    return {m.signature_id: sum(weighs(p) for p in m.pipelines) for m in new}


def by_impact(new: list, weight: dict[str, int] | None = None) -> list:
    """New errors, the widest first: more pipelines, then more business weight (FLOWRAG_PRIORITY),
    before more runs; then, so that one new error on a quiet pipeline is not buried under forty
    variants of a noisy one, each pipeline's first new error comes before any pipeline's second."""
    weight = weight or {}
    ranked = sorted(new, key=lambda m: (-len(m.pipelines), -weight.get(m.signature_id, 0), -m.count, m.text))
    seen: set[str] = set()
    first, rest = [], []
    for m in ranked:
        fresh = not seen.issuperset(m.pipelines)
        seen.update(m.pipelines)
        (first if fresh else rest).append(m)
    return first + rest


def _last_run(store: SqliteRecordStore, pipeline: str, w: Window) -> str | None:
    """A missing pipeline's last run as of the digest's day: a digest of a past day must not show
    a run from after it."""
    last = queries.last_run_before(store, key_of(pipeline), to_ms(w.end))
    return _iso(from_ms(last)) if last is not None else None


def _records(store: SqliteRecordStore, w: Window, sig: str, n: int = 2, scope: Query = Query()) -> list[tuple]:
    return store.failed_runs(sig, w.start, w.end, n, techs=scope.techs, pipelines=scope.pipelines)


def _recovered(store: SqliteRecordStore, executor: Executor, w: Window, ongoing: set[str],
               scope: Query = Query()) -> list[dict]:
    """Pipelines that failed during the day and whose last run of the day did not."""
    out = []
    failed = executor.run(scope.with_(window=w, statuses=("failed",), measure="list_pipelines",
                                      limit=10_000)).names
    for name, n in failed:
        if name in ongoing:
            continue
        pk, lo, hi = key_of(name), to_ms(w.start), to_ms(w.end)
        last = queries.last_finished_between(store, pk, lo, hi)
        if last and last[0] != "failed":
            # recovered at the first healthy run after the day's last failure, not at its last run
            last_failed = queries.last_failure_between(store, pk, lo, hi)
            first_ok = queries.first_healthy_after(store, pk, last_failed, hi)
            out.append({"pipeline": name, "failures": n, "recovered_at": _iso(from_ms(first_ok))})
    return out


def _cadence(store: SqliteRecordStore, pipeline: str, w: Window) -> str | None:
    """How often a pipeline usually runs: the median gap between its runs over the 7 days before."""
    times = queries.run_times(store, key_of(pipeline), to_ms(w.start - timedelta(days=7)), to_ms(w.start))
    gaps = [b - a for a, b in zip(times, times[1:]) if b > a]
    if not gaps:
        return None
    minutes = round(statistics.median(gaps) / 60_000)
    if minutes >= 1380:
        return f"{round(minutes / 1440)}d"
    return f"{round(minutes / 60)}h" if minutes >= 90 else f"{minutes}min"


def _with_text(d: Digest, cites: list[tuple], tz: ZoneInfo) -> Digest:
    from dataclasses import replace

    from .ask.retrieve import cite_records

    def _local(iso: str | None) -> str:
        if not iso:
            return "?"
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(tz).strftime("%Y-%m-%d %H:%M")

    lang = d.language
    u = d.usual_failures
    change = "" if u["change_pct"] is None else f" ({u['change']:+g}, {u['change_pct']:+d} %)"
    lines = [t(lang, "digest_title", date=d.date)]
    if d.scope:
        lines.append(t(lang, "digest_scope", names=", ".join(d.scope)))
    lines += [t(lang, "digest_counts", failures=d.failures, runs=d.runs, median=f"{u['median']:g}", change=change)]
    if d.failures_by_tech:
        lines.append(t(lang, "digest_techs", items=", ".join(f"{name_label(lang, 'tech', k)} {v}"
                                                             for k, v in d.failures_by_tech.items())))

    def section(key: str, items: list, fmt) -> None:
        if not items:
            return
        lines.append("")
        lines.append(t(lang, key, n=len(items)))
        lines.extend("• " + fmt(x) for x in items[:TOP])
        if len(items) > TOP:
            lines.append(t(lang, "digest_more", n=len(items) - TOP))

    refs = lambda x: "".join(f"[{r}]" for r in x.get("citations", []))  # noqa: E731
    section("digest_new", d.new_errors,
            lambda x: f"{x['message']} — {x['count']} × {', '.join(p.split(' (')[0] for p in x['pipelines'][:3])} "
                      f"{refs(x)}".rstrip())
    section("digest_ongoing", d.ongoing, lambda x: t(lang, "digest_ongoing_item1" if x["failed_runs"] == 1 else
                                                    "digest_ongoing_item", pipeline=x["pipeline"], tech=x["tech"],
                                                    n=x["failed_runs"], since=_local(x["since"])))
    section("digest_silent", d.silent, lambda x: t(lang, "digest_silent_item", pipeline=x["pipeline"], tech=x["tech"],
                                                  last=_local(x["last_run"]), every=x["usual_every"] or "?"))
    section("digest_recurring", d.recurring,
            lambda x: f"{x['message']} — {x['count']} × · {t(lang, 'first_seen', when=x['first_seen'][:10])} {refs(x)}")
    section("digest_recovered", d.recovered, lambda x: f"{x['pipeline']} ({x['failures']})")
    return replace(d, text="\n".join(lines), citations=tuple(cite_records(cites)))

