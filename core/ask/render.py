"""The deterministic answer, in the question's language. Pure: a query and its result in, text
out. The first line answers the question asked; the reading used goes on its own line."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .. import numbers, timeparse
from ..models import MessageHit
from ..signature import NO_MESSAGE
from ..strings import (FR_MOST, FR_TECH, FR_WITH, GROUP_LABEL, MEASURE_LABEL, NOUNS, RATE_WHAT, STATUS_LABEL,
                       name_label, t)
from . import compare, durations, running
from .query import TREND_DAYS, Query, Result, Window


class Renderer:
    def __init__(self, lang: str, now: datetime, tz: ZoneInfo):
        self.lang = lang if lang in ("fr", "en") else "en"
        self.now, self.tz = now, tz

    # --- pieces --------------------------------------------------------------
    def window_text(self, w: Window | None) -> str:
        if w is None:
            return t(self.lang, "all_time")
        if w.end == self.now and w.end - w.start == timedelta(hours=24):
            return t(self.lang, "last_24h")
        return self._days_span(w) or timeparse.describe_window(w, self.now,
                                                               self.tz, self.lang)

    def compare_text(self, q: Query, key: str = "same_span") -> str:
        """The other period of a comparison; "the same span of last week (Mon 00:00 → Fri 13:19)"
        when only the elapsed part of both was compared (core/ask/compare.py)."""
        if not q.same_span or q.window is None:
            return self.window_text(q.compare)
        return t(self.lang, key, when=self.window_text(q.compare),
                 span=compare.span_text(q.window, self.now, self.tz, self.lang))

    def _days_span(self, w: Window) -> str | None:
        """Several whole local days, said as people say them: « ces 7 derniers jours »,
        "last week", « du 2026-11-02 au 2026-11-05 »."""
        a, b = w.start.astimezone(self.tz), w.end.astimezone(self.tz)
        if not (a.time() == b.time() == datetime.min.time()):
            return None
        first, last = a.date(), b.date() - timedelta(days=1)
        if last <= first:
            return None
        today = self.now.astimezone(self.tz).date()
        monday = today - timedelta(days=today.weekday())
        n = (last - first).days + 1
        if first == monday and n == 7:
            return t(self.lang, "span_this_week")
        if first == monday - timedelta(days=7) and n == 7:
            return t(self.lang, "span_last_week")
        if last == today:
            return t(self.lang, "span_last_days", n=n)
        if first.day == 1 and (last + timedelta(days=1)).day == 1:
            if first == today.replace(day=1):
                return t(self.lang, "span_this_month")
            if first == (today.replace(day=1) - timedelta(days=1)).replace(day=1):
                return t(self.lang, "span_last_month")
        return t(self.lang, "span_days", first=first, last=last)

    def when(self, w: Window | None) -> str:
        if w is None:
            return ""
        text = self.window_text(w)
        if "→" in text:  # « du 2026-11-30 22:00 au 2026-12-01 06:00 », not « le … → … »
            a, b = (x.strip() for x in text.split("→", 1))
            return t(self.lang, "span_times", a=a, b=b)
        return (t(self.lang, "on") + text) if text[:1].isdigit() else " " + text

    def time(self, dt: datetime | None) -> str:
        return dt.astimezone(self.tz).strftime("%Y-%m-%d %H:%M") if dt else t(self.lang, "never")

    def message(self, text: str) -> str:
        """A message on one line; runs that carry none say so in the reader's language."""
        return t(self.lang, "no_message") if text == NO_MESSAGE else _one(text)

    def join(self, names, word="and") -> str:
        names = list(names)
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + t(self.lang, word) + names[-1]

    def scope(self, q: Query) -> str:
        names = list(q.pipelines) + list(q.techs)
        if not names:
            return ""
        joined = self.join(names, "or" if len(names) > 1 else "and")
        # "5 Hadoop failures" but « 5 échecs Hadoop »
        return f"{joined} " if self.lang == "en" else f" {joined}"

    def extra(self, q: Query) -> str:
        out = ""
        excluded = list(q.exclude_pipelines) + list(q.exclude_techs)
        if excluded:
            out += " " + t(self.lang, "excluding", names=self.join(excluded))
        if q.topic:
            out += " " + self.topic_text(q)
        if q.message_text:
            out += " " + t(self.lang, "of_message", text=q.message_text)
        return out

    def topic_text(self, q: Query) -> str:
        """“mentioning X” for literal words; “about X (2 matching messages)” for a described topic."""
        if q.topic_messages:
            n = len(q.topic_messages)
            return t(self.lang, "about_described1" if n == 1 else "about_described", topic=q.topic, n=n)
        return t(self.lang, "mentioning", topic=q.topic)

    def status(self, q: Query) -> str | None:
        return q.statuses[0] if len(q.statuses) == 1 else None

    def noun(self, q: Query, n: int = 2) -> str:
        forms = NOUNS[self.lang][self.status(q)]
        return forms[0] if n == 1 else forms[1]

    # --- the reading line ----------------------------------------------------
    def interpretation(self, q: Query, *, planner: bool = False, aliases: tuple = (), description: bool = False,
                       search: str = "", channel_default: tuple = ()) -> str:
        """`channel_default`: the names the channel's settings supplied; said apart, so that the
        asker sees the filter was not theirs (and how to override it: name another)."""
        shown = q
        if channel_default:
            shown = q.with_(techs=tuple(x for x in q.techs if x not in channel_default),
                            pipelines=tuple(x for x in q.pipelines if x not in channel_default))
        parts = self.reading_text(shown, planner=planner, aliases=aliases, search=search)
        if description:
            parts += " · " + t(self.lang, "status_as_description")
        if channel_default:
            parts += t(self.lang, "channel_default", names=self.join(channel_default, "or"))
        return t(self.lang, "understood", parts=parts)

    def reading_text(self, q: Query, *, planner: bool = False, aliases: tuple = (), search: str = "") -> str:
        """« échecs · hier 00:00–12:00 · Hadoop · hors OpenSSH »"""
        lang = self.lang
        labels = MEASURE_LABEL[lang]
        rate = (RATE_WHAT[lang][q.rate_of] if q.rate_of in RATE_WHAT[lang] else q.rate_of).lower()
        key = q.measure + ("1" if q.measure == "streaks" and q.streak_min == 1 else "")
        if q.measure == "silent" and q.silent_kind == "tech":
            key = "silent_tech"
        if lang == "fr" and q.measure in ("first_time", "last_time") and NOUNS["fr"][self.status(q)][2] == "f":
            key += "_f"
        parts = [labels.get(key, labels[q.measure]).format(noun=self.noun(q), noun1=self.noun(q, 1), rate=rate,
                                                           k=q.streak_min)]
        if q.measure not in ("streaks", "running") or q.window is not None:
            parts.append(self.window_text(q.window))
        parts.append(self.names_text(q))
        if q.topic:
            parts.append(self.topic_text(q))
        if q.message_text:
            parts.append(t(lang, "of_message", text=q.message_text))
        elif search and not q.topic:
            parts.append(t(lang, "about", topic=search))
        if q.group_by:
            parts.append(t(lang, "by", what=GROUP_LABEL[lang][q.group_by]))
        if q.compare:
            parts.append(t(lang, "vs", when=self.compare_text(q, "same_span_reading")))
        parts += [f"{word} → {name}" for word, name, _ in aliases]
        if planner:
            parts.append(t(lang, "plan_llm"))
        return " · ".join(p for p in parts if p)

    def names_text(self, q: Query) -> str:
        """« Hadoop · hors OpenSSH »: the names a query keeps and leaves out."""
        names = list(q.pipelines) + list(q.techs)
        excluded = list(q.exclude_pipelines) + list(q.exclude_techs)
        return " · ".join(p for p in (self.join(names, "or") if names else "",
                                      t(self.lang, "excluding", names=self.join(excluded)) if excluded else "") if p)

    def within(self, q: Query) -> str:
        """" within yesterday · Talend", « (hier · Talend) »; "" when the query looks everywhere."""
        scope = " · ".join(p for p in (self.window_text(q.window) if q.window else "", self.names_text(q)) if p)
        return t(self.lang, "within_scope", scope=scope) if scope else ""

    # --- the answer ----------------------------------------------------------
    def headline(self, q: Query, r: Result) -> str:
        lang, m = self.lang, q.measure
        if r.explained is not None:  # why-questions: the matching error itself comes first
            x = r.explained
            return f"{self.message(x.text)}{_refs(x.refs)}"
        kw = dict(scope=self.scope(q), when=self.when(q.window), extra=self.extra(q))
        st = self.status(q)
        if m == "rate":
            what = RATE_WHAT[lang].get(q.rate_of, q.rate_of)
            if not r.denominator:
                return t(lang, "rate_none", what=what.lower() if lang == "en" else what, **kw)
            if lang == "en" and kw["scope"]:  # "NiFi failure rate", « Taux d'échec NiFi »
                what, kw = f"{kw['scope']}{what.lower()}", {**kw, "scope": ""}
            line = t(lang, "rate", what=what, pct=self.pct(r.value), num=r.numerator, den=r.denominator, **kw)
            if q.compare is not None and r.previous is not None:
                line = line[:-1] + t(lang, "compare_rate", prev=self.pct(r.previous), num=r.previous_numerator,
                                     den=r.previous_denominator, when_prev=self.compare_text(q).strip(),
                                     change=self.num(r.change) if r.change is not None else "") + "."
            return line
        if m in ("first_time", "last_time"):
            noun1 = self.noun(q, 1)
            if r.value is None:
                return t(lang, "time_none", what1=noun1, none=self.aucun(q), **kw)
            first_last = {"first": _fr_first(st), "last": _fr_last(st)}
            return t(lang, m, what1=noun1, time=self.time(r.value), **first_last, **kw)
        if m in ("distinct_pipelines", "distinct_techs", "list_pipelines", "list_techs"):
            if not r.total:
                return t(lang, "none", what=self.noun(q, 1 if lang == "fr" else 2), none=self.aucun(q), **kw)
            return self.names_line(q, r, kw)
        if m in ("new_messages", "silent", "streaks"):
            return self.special_headline(q, r, kw)
        if m == "running":
            return running.headline(self, q, r)
        if m in durations.MEASURES:
            return durations.headline(self, q, r)
        n = r.total
        if n == 0:
            return t(lang, "none", what=self.noun(q, 1) if lang == "fr" else self.noun(q), none=self.aucun(q), **kw)
        line = t(lang, "count", n=n, what=self.noun(q, n), **kw)
        if q.compare is not None and r.previous is not None:
            line = line[:-1] + t(lang, "compare", prev=r.previous, when_prev=self.compare_text(q),
                                 change=self.change(r)) + "."
        return line

    def names_line(self, q: Query, r: Result, kw: dict) -> str:
        lang, m, st = self.lang, q.measure, self.status(q)
        tech_of = dict(r.pipeline_techs)
        shown = r.names[:q.limit]
        if m.endswith("pipelines"):
            items = ", ".join(f"{p} ({n}, {tech_of[p]})" if p in tech_of else f"{p} ({n})" for p, n in shown)
        else:
            items = ", ".join(f"{k} ({n})" for k, n in shown)
        if len(r.names) > len(shown):
            items += ", …"
        if lang == "fr":
            what = {"distinct_pipelines": FR_WITH, "list_pipelines": FR_MOST, "distinct_techs": FR_TECH,
                    "list_techs": FR_TECH}[m].get(st, FR_WITH[None])
        else:
            what = self.noun(q)
        line = t(lang, m, n=r.value, what=what, items=items, **kw)
        if q.compare is not None and r.previous is not None:
            line = line[:-1] + t(lang, "compare", prev=r.previous, when_prev=self.compare_text(q),
                                 change=self.change(r)) + "."
        return line

    def special_headline(self, q: Query, r: Result, kw: dict) -> str:
        lang, m = self.lang, q.measure
        if m == "new_messages":
            k = sum(1 for x in r.messages if x.new)
            return t(lang, "new_none" if k == 0 else "new_one" if k == 1 else "new", n=k, when=kw["when"],
                     extra=kw["extra"])
        if m == "silent":
            named = q.techs if q.silent_kind == "tech" else q.pipelines
            if len(named) == 1:  # about one source: yes or no, and when it last ran
                if not r.silent:
                    return t(lang, "silent_named_ran", name=named[0], when=kw["when"])
                s = r.silent[0]
                return t(lang, "silent_named", name=s.name, when=kw["when"], last=self.time(s.last_run),
                         days=s.days_active)
            if not r.silent:
                return t(lang, "silent_tech_none" if q.silent_kind == "tech" else "silent_none", when=kw["when"],
                         extra=kw["extra"])
            key = ("silent_tech" if q.silent_kind == "tech" else "silent") + ("1" if len(r.silent) == 1 else "")
            return t(lang, key, n=len(r.silent), when=kw["when"], extra=kw["extra"])
        # streaks
        if q.pipelines and len(q.pipelines) == 1:
            if r.streaks:
                s = r.streaks[0]
                since = self.time(s.episode_since or s.since)
                if s.episode_runs <= 1:
                    return t(lang, "streak_one1", pipeline=s.pipeline, since=since)
                errors = t(lang, "episode_same") if s.episode_errors <= 1 else t(lang, "episode_errors",
                                                                                 k=s.episode_errors)
                return t(lang, "streak_one" if s.episode_failed == s.episode_runs else "episode_one",
                         pipeline=s.pipeline, since=since, n=s.episode_runs, failed=s.episode_failed,
                         runs=s.episode_runs, errors=errors)
            return t(lang, "streak_not", pipeline=q.pipelines[0])
        now = "_now" if q.streak_min == 1 else ""  # "failing now": their last run failed, not "1+ runs"
        if not r.streaks:
            return t(lang, "streaks_none" + now, k=q.streak_min, extra=kw["extra"])
        return t(lang, ("streaks1" if len(r.streaks) == 1 else "streaks") + now, n=len(r.streaks), k=q.streak_min,
                 extra=kw["extra"])

    def body(self, q: Query, r: Result, hits: list[MessageHit]) -> list[str]:
        """The lines after the headline: the list the headline announces, then context."""
        lang, lines = self.lang, []
        refs = {h.signature_id: h.refs for h in hits}
        if r.explained is not None:
            return self.explain_body(q, r, hits)
        if q.measure == "new_messages":
            new = [x for x in r.messages if x.new]
            old = [x for x in r.messages if not x.new]
            for i, x in enumerate(new, start=1):
                lines.append(f"{i}. {self.message(x.text)} — {x.count} {self.occ(x.count)}, "
                             f"{t(lang, 'first_seen', when=self.time(x.first_seen))}{_refs(refs.get(x.signature_id))}")
            if old:
                lines += ["", t(lang, "recurring")]
                for x in old[:5]:
                    lines.append(f"• {self.message(x.text)} — {x.count} {self.occ(x.count)}, "
                                 f"{t(lang, 'first_seen', when=self.time(x.first_seen))}")
            return lines
        if q.measure == "running":
            return running.body(self, q, r)
        if q.measure in durations.MEASURES:
            return durations.body(self, q, r, hits)
        if q.measure == "silent" and len(q.techs if q.silent_kind == "tech" else q.pipelines) != 1:
            key = "silent_tech_item" if q.silent_kind == "tech" else "silent_item"
            for s in r.silent:
                lines.append("• " + t(lang, key, name=s.name, tech=s.tech, last=self.time(s.last_run),
                                      days=s.days_active))
            return lines
        if q.measure == "streaks":
            if q.pipelines and len(q.pipelines) == 1 and r.streaks and r.streaks[0].episode_runs > 1:
                s = r.streaks[0]  # how the episode was read, so that "since" can be checked
                lines.append(t(lang, "episode_rule") + " " + t(lang, "episode_row1" if s.failed_runs == 1 else
                                                              "episode_row", n=s.failed_runs, since=self.time(s.since)))
            if not (q.pipelines and len(q.pipelines) == 1):
                for s in r.streaks:
                    key = "streak_item1" if s.failed_runs == 1 else "streak_item"
                    episode = "" if s.episode_runs <= s.failed_runs else t(
                        lang, "episode_item", since=self.time(s.episode_since), failed=s.episode_failed,
                        runs=s.episode_runs)
                    lines.append("• " + t(lang, key, pipeline=s.pipeline, tech=name_label(lang, "tech", s.tech),
                                          n=s.failed_runs, since=self.time(s.since)) + episode)
            return lines
        if r.groups:
            lines.append(t(lang, "groups", what=GROUP_LABEL[lang][q.group_by]))
            labels = STATUS_LABEL[lang]
            for k, n in r.groups[:31 if q.group_by == "day" else 24 if q.group_by == "hour" else q.limit]:
                k = (labels.get(k, k) if q.group_by == "status" else
                     name_label(lang, q.group_by, k) if q.group_by in ("tech", "pipeline") else _one(k, 120))
                lines.append(t(lang, "item", k=k, v=n))
        if r.total and len(r.by_status) > 1 and q.measure in ("runs", "messages") and not q.group_by:
            labels = STATUS_LABEL[lang]
            lines.append(t(lang, "breakdown", items=", ".join(f"{labels.get(s, s)} {n}" for s, n in r.by_status)))
        if r.total and q.measure in ("runs",) and len(r.by_tech) > 1 and not q.group_by:
            lines.append(", ".join(f"{name_label(lang, 'tech', k)} {v}" for k, v in r.by_tech[:8]) + ".")
        if hits:
            lines += ["", t(lang, "counted_messages" if q.topic_messages else "messages")]
            for i, h in enumerate(hits, start=1):
                lines.append(self.message_line(i, h))
        return lines

    def message_line(self, i: int, h: MessageHit) -> str:
        return f"{i}. {self.message(h.text)} — {h.count} {self.occ(h.count)}{self.varies(h)}{_refs(h.refs)}"

    def unmatched(self, match, q: Query, hits: list[MessageHit]) -> list[str]:
        """A described topic nothing matches closely: said, with the closest messages (not a count
        of runs "mentioning" words, which would read as a fact); or nothing at all to show."""
        if match.kind == "nothing" or not hits:
            return [t(self.lang, "nothing", topic=match.words, within=self.within(q))]
        lines = [t(self.lang, "closest", topic=match.words, within=self.within(q))]
        for i, h in enumerate(hits, start=1):
            lines.append(self.message_line(i, h))
        return lines

    def explain_body(self, q: Query, r: Result, hits: list[MessageHit]) -> list[str]:
        """How often, where, since when, new or recurring, the trend; then the related messages."""
        lang, x = self.lang, r.explained
        shown = ", ".join(x.pipelines[:5]) + (", …" if len(x.pipelines) > 5 else "")
        first = self.time(x.first_seen)
        since = t(lang, "new_here" if x.new else "recurring_since", when=first) if q.window is not None \
            else t(lang, "first_ever", when=first)
        best = next((h for h in hits if h.signature_id == x.signature_id), None)
        occ = self.occ(x.count) + (self.varies(best) if best else "")
        lines = [t(lang, "explain_facts1" if len(x.pipelines) == 1 else "explain_facts", n=x.count, occ=occ,
                   when=self.when(q.window),
                   k=len(x.pipelines), pipes=shown, last=self.time(x.last_seen),
                   since=since)]
        if x.per_day:
            days = " · ".join(f"{d[5:]} {n}" for d, n in x.per_day)
            # over all time or a long window the trend is the recent days only: said, so that its
            # figures are not read as adding up to the count above
            recent = q.window is None or q.window.days > 31
            lines.append(t(lang, "per_day_recent", n=TREND_DAYS, days=days) if recent else t(lang, "per_day", days=days))
        others = [h for h in hits if h.signature_id != x.signature_id]  # already only the related ones
        if others:
            lines += ["", t(lang, "related")]
            for i, h in enumerate(others, start=2):
                lines.append(self.message_line(i, h))
        return lines

    # --- small words ---------------------------------------------------------
    def aucun(self, q: Query) -> str:
        gender = NOUNS["fr"][self.status(q)][2]
        return "Aucune" if gender == "f" else "Aucun"

    def varies(self, h: MessageHit) -> str:
        """A count over a message's every variant shown beside one variant would read as the count
        of that very line ("Job completed in 79s — 855 occurrences")."""
        return t(self.lang, "varies") if h.varies and h.count > 1 else ""

    def occ(self, n: int) -> str:
        return t(self.lang, "occ1" if n == 1 else "occ")

    def pct(self, v: float | None) -> str:
        return numbers.percent(v, self.lang)

    def num(self, v: float) -> str:
        return numbers.decimal(v, self.lang, "+.1f")

    def change(self, r: Result) -> str:
        c = r.change
        if c is None:
            return ""
        pct = f", {100 * c / r.previous:+.0f} %" if r.previous else ""
        return f"{c:+d}{pct}" if isinstance(c, int) else f"{c:+.1f}{pct}"


def _fr_first(st) -> str:
    return "Première" if st in ("running", "unknown", None) else "Premier"


def _fr_last(st) -> str:
    return "Dernière" if st in ("running", "unknown", None) else "Dernier"


def _refs(refs) -> str:
    return (" " + "".join(f"[{r}]" for r in refs)) if refs else ""


def _one(text: str, limit: int = 220) -> str:
    from .headline import headline_of

    return headline_of(text, limit)
