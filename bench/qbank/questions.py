"""The questions and their expected answers, computed with plain Python over the documents.

`Truth` holds every inserted run (as small tuples, sorted by time) and computes each measure by
the semantics flowrag promises (local calendar in the configured zone, half-open windows, raw
statuses mapped to failed/success/warning/running, message identity = text with standalone
digit runs masked). `build_bank(truth)` writes ~130 on-call questions in French and English,
each with the figures it must get; nothing is hardcoded, so at 100k or 1M records the bench
recomputes the same questions over the larger data.

Beyond the measures below, the bank holds the engine's promises about:

* topics: the words of a counting question that are not names, time, status or question words
  restrict it to runs whose message has a word starting with each of them, case-insensitive
  ("timeout" matches "timeouts", not "timed" nor "OutOfMemoryError"); `query.topic` is set;
* messages ("quelles erreurs", "which errors", "top errors", "messages d'erreur", without
  "why"): the distinct messages of the matching runs ranked by runs, value = matching runs;
* follow-ups, asked with the first answer's context: "et pour Spark ?" replaces only the names,
  "and the day before?" / "et la veille ?" shifts the window by a day, "et hier ?" replaces it;
  the measure and the statuses stay;
* unsupported measures (durations, averages): one notice names the words ("durée moyenne":
  both "durée" and "moyenne"), none of them filters as a topic, and the figure is still the count
  of matching runs;
* impossible dates ("le 31/02/2026", "2026-13-01"): a notice quotes the date as written.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

STATUS = {"FAILED": "failed", "ERROR": "failed", "SUCCESS": "success", "WARNING": "warning",
          "RUNNING": "running"}
CATEGORIES = ("count", "exclusion", "distinct", "rate", "time_of_day", "first_last", "comparison",
              "silent", "new_messages", "streaks", "multi_names", "aliases", "group_by",
              "unknown_name", "list", "topic", "messages", "follow_up", "unsupported", "bad_time")
MONTHS_FR = ("", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")
_DIGITS = re.compile(r"\b\d+\b")
_WORDS = re.compile(r"\w+")


def message_identity(text: str) -> str:
    """Two messages are the same message when equal once standalone numbers are masked."""
    return " ".join(_DIGITS.sub("#", text).split())


def has_topic(message: str, topic: Iterable[str]) -> bool:
    """Every topic word starts some word of the message (case-insensitive): a word matches its
    longer forms, never a word it only appears inside."""
    words = _WORDS.findall(message.lower())
    return all(any(w.startswith(t.lower()) for w in words) for t in topic)


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


class Run(NamedTuple):
    ts: datetime
    pipeline: str
    tech: str
    status: str  # normalized
    message: str


class Win(NamedTuple):
    """Half-open [start, end) in UTC."""
    start: datetime
    end: datetime


@dataclass
class Question:
    id: str
    category: str
    lang: str
    measure: str  # the measure the question asks for (query.MEASURES), for latency per measure
    text: str
    expected: dict = field(default_factory=dict)
    previous: str = ""  # a follow-up: asked first, and its answer's context is passed with `text`


class Truth:
    """Every inserted run, and the measures computed the obvious (slow but plain) way."""

    def __init__(self, now: datetime, tz: str, docs: Iterable[dict] = ()):
        self.now, self.tz = now, ZoneInfo(tz)
        self.today = now.astimezone(self.tz).date()
        self._runs: list[Run] = []
        self._sorted = True
        self.add(docs)

    # --- data ----------------------------------------------------------------------------
    def add(self, docs: Iterable[dict]) -> None:
        """Record documents exactly as they are inserted (the bench streams them in batches)."""
        for d in docs:
            self._runs.append(Run(d["timestamp"].astimezone(timezone.utc), d["pipeline_name"], d["tech"],
                                  STATUS[d["status"]], d.get("error_message") or ""))
        self._sorted = False

    @property
    def runs(self) -> list[Run]:
        """All runs by time; sorting and first occurrences are computed once, after the last add."""
        if not self._sorted:
            self._runs.sort(key=lambda r: r.ts)
            self._times = [r.ts for r in self._runs]
            self._first_seen = {}  # message identity -> (first time ever, that text)
            for r in self._runs:
                if r.message:
                    self._first_seen.setdefault(message_identity(r.message), (r.ts, r.message))
            self._sorted = True
        return self._runs

    def first_seen(self, message: str) -> datetime:
        self.runs
        return self._first_seen[message_identity(message)][0]

    def __len__(self) -> int:
        return len(self._runs)

    def local_date(self, ts: datetime) -> date:
        return ts.astimezone(self.tz).date()

    # --- windows (local calendar) --------------------------------------------------------
    def at(self, day: date, hour: int = 0, minute: int = 0) -> datetime:
        """A local wall-clock time as UTC; hour 24 is the next midnight."""
        if hour >= 24:
            day, hour = day + timedelta(days=1), hour - 24
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz).astimezone(timezone.utc)

    def date(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def day(self, offset: int) -> Win:
        return Win(self.at(self.date(offset)), self.at(self.date(offset + 1)))

    def days(self, first: int, last: int) -> Win:
        """Local days `first`..`last` (offsets from today), both included."""
        return Win(self.at(self.date(first)), self.at(self.date(last + 1)))

    def week(self, offset: int = 0) -> Win:
        monday = self.today - timedelta(days=self.today.weekday()) + timedelta(weeks=offset)
        return Win(self.at(monday), self.at(monday + timedelta(days=7)))

    def last_days(self, n: int) -> Win:
        return self.days(-(n - 1), 0)

    def hours(self, offset: int, start: int, end: int) -> Win:
        return Win(self.at(self.date(offset), start), self.at(self.date(offset), end))

    def night(self) -> Win:
        return Win(self.at(self.date(-1), 22), self.at(self.today, 6))

    def since_hour(self, hour: int, minute: int = 0, offset: int = 0) -> Win:
        return Win(self.at(self.date(offset), hour, minute), self.now)

    def last_hours(self, n: int) -> Win:
        return Win(self.now - timedelta(hours=n), self.now)

    # --- selection -----------------------------------------------------------------------
    def select(self, w: Win | None, techs=(), pipelines=(), not_techs=(), not_pipelines=(),
               statuses=(), topic=()) -> list[Run]:
        runs = self.runs
        lo, hi = (0, len(runs)) if w is None else (bisect_left(self._times, w.start), bisect_left(self._times, w.end))
        return [r for r in runs[lo:hi]
                if (not techs or r.tech in techs) and (not pipelines or r.pipeline in pipelines)
                and r.tech not in not_techs and r.pipeline not in not_pipelines
                and (not statuses or r.status in statuses) and (not topic or has_topic(r.message, topic))]

    # --- measures, each returning the expected keys ----------------------------------------
    def count(self, w, **f) -> dict:
        return {"value": len(self.select(w, **f))}

    def topic_count(self, w, topic: tuple[str, ...], **f) -> dict:
        """A count restricted to messages with the topic words; the query must carry the topic."""
        return {**self.count(w, topic=topic, **f), "topic": list(topic)}

    def messages(self, w, limit: int | None = None, statuses=("failed",), **f) -> dict:
        """Distinct messages of the matching runs (one representative text each) -> runs showing
        it; value = matching runs. `limit`: exactly that many listed; else at least 10 (or all)."""
        runs = self.select(w, statuses=statuses, **f)
        counts, text = Counter(), {}
        for r in runs:
            if r.message:
                key = message_identity(r.message)
                counts[key] += 1
                text.setdefault(key, r.message)
        return {"value": len(runs), "messages": {text[k]: n for k, n in counts.items()},
                "message_limit": limit}

    def distinct(self, w, kind: str = "pipeline", **f) -> dict:
        """The count, and the names behind it: all of them, or at least the top 10."""
        names = Counter(getattr(r, kind) for r in self.select(w, **f))
        return {"value": len(names), "names": dict(names), "at_least": 10}

    def names(self, w, kind: str = "pipeline", limit: int = 10, **f) -> dict:
        return {"names": dict(Counter(getattr(r, kind) for r in self.select(w, **f))), "limit": limit}

    def rate(self, w, of: str = "failed", **f) -> dict:
        """`of` runs over all runs matching the other filters (every status)."""
        runs = self.select(w, **f)
        n = sum(r.status == of for r in runs)
        return {"value": round(100 * n / len(runs), 1) if runs else None, "numerator": n, "denominator": len(runs)}

    def first_time(self, w, **f) -> dict:
        runs = self.select(w, **f)
        return {"value": iso(min(r.ts for r in runs)) if runs else None}

    def last_time(self, w, **f) -> dict:
        runs = self.select(w, **f)
        return {"value": iso(max(r.ts for r in runs)) if runs else None}

    def groups(self, w, by: str, **f) -> dict:
        key = {"day": lambda r: self.local_date(r.ts).isoformat(),
               "hour": lambda r: f"{r.ts.astimezone(self.tz).hour:02d}"}.get(by, lambda r: getattr(r, by))
        return {"groups": dict(Counter(key(r) for r in self.select(w, **f)))}

    def compare(self, measure: str, w: Win, before: Win, whole: bool = False, **f) -> dict:
        """The measure over `w` and over `before`; change = value - previous (rates: rounded).
        A period still in progress is compared like for like: both cut to the elapsed part of `w`
        (local wall-clock time), unless `whole`."""
        if not whole and w.start <= self.now < w.end and before.end <= w.start \
                and abs((w.end - w.start) - (before.end - before.start)) <= timedelta(hours=2):
            wall = lambda dt: dt.astimezone(self.tz).replace(tzinfo=None)  # noqa: E731
            end = (wall(before.start) + (wall(self.now) - wall(w.start))).replace(tzinfo=self.tz)
            w, before = Win(w.start, self.now), Win(before.start, min(end.astimezone(timezone.utc), before.end))
        if measure == "rate":
            now_, prev = self.rate(w, **f), self.rate(before, **f)
            return {**now_, "previous": prev["value"], "previous_numerator": prev["numerator"],
                    "previous_denominator": prev["denominator"],
                    "change": round(now_["value"] - prev["value"], 1)}
        now_, prev = self.count(w, **f)["value"], self.count(before, **f)["value"]
        return {"value": now_, "previous": prev, "change": now_ - prev}

    def new_messages(self, w: Win, statuses=("failed",), **f) -> dict:
        """Distinct messages of the matching runs whose first occurrence ever is inside `w`."""
        texts = {message_identity(r.message): r.message for r in self.select(w, statuses=statuses, **f) if r.message}
        return {"new": {text for text in texts.values() if w.start <= self.first_seen(text) < w.end}}

    def silent(self, w: Win | None = None, kind: str = "pipeline", techs=()) -> dict:
        """Names with no run in `w` (default: the last 24 h) that ran on >= 4 of the 7 local days
        before the window's start day."""
        w = w or Win(self.now - timedelta(hours=24), self.now)
        present = {getattr(r, kind) for r in self.select(w)}
        start_day = self.local_date(w.start)
        active = defaultdict(set)
        for r in self.select(Win(self.at(start_day - timedelta(days=7)), self.at(start_day)), techs=techs):
            active[getattr(r, kind)].add(self.local_date(r.ts))
        quiet = {name: len(d) for name, d in active.items() if len(d) >= 4 and name not in present}
        return {"silent": set(quiet), "silent_days": quiet}

    def streaks(self, end: datetime | None = None, min_runs: int = 3, techs=(), pipelines=()) -> dict:
        """Per pipeline, the failed runs in a row at the end of its history up to `end` (RUNNING
        runs ignored); kept when at least `min_runs` long."""
        runs = self.runs
        hi = bisect_left(self._times, end or self.now)
        state: dict[str, list] = {}  # pipeline -> [failed in a row, since, closed]
        for i in range(hi - 1, -1, -1):
            r = runs[i]
            if (techs and r.tech not in techs) or (pipelines and r.pipeline not in pipelines) or r.status == "running":
                continue
            s = state.setdefault(r.pipeline, [0, None, False])
            if s[2]:
                continue
            if r.status == "failed":
                s[0], s[1] = s[0] + 1, r.ts
            else:
                s[2] = True
        kept = {p: s for p, s in state.items() if s[0] >= min_runs}
        return {"streaks": {p: iso(s[1]) for p, s in kept.items()},
                "streak_runs": {p: s[0] for p, s in kept.items()}}

    def episode(self, pipeline: str) -> dict:
        """The current failure episode of one pipeline: walking back from its latest finished run,
        failures belong to it; one lone healthy run too when the failure before it has an error
        already in the episode; anything more ends it."""
        runs = [r for r in reversed(self.runs) if r.pipeline == pipeline and r.status != "running"]
        errors, since, taken, failed, pending = set(), None, 0, 0, 0
        for r in runs:
            if r.status != "failed":
                pending += 1
                if pending > 1 or not errors:
                    break
                continue
            if pending and message_identity(r.message) not in errors:
                break
            taken, failed, pending, since = taken + pending + 1, failed + 1, 0, r.ts
            errors.add(message_identity(r.message))
        return {"episode": {pipeline: {"since": iso(since), "runs": taken, "failed": failed}} if since else {},
                "headline": [self.local_hhmm(iso(since))] if since else []}

    def open_runs(self, default_s: float = 3600) -> dict:
        """RUNNING runs younger than their pipeline's usual duration (none has a recorded one
        here: the default stands in) and older ones, by pipeline."""
        running, stuck = set(), set()
        for r in self.runs:
            if r.status == "running" and r.ts <= self.now:
                ((running if (self.now - r.ts).total_seconds() <= default_s else stuck)).add(r.pipeline)
        return {"running": running, "stuck": stuck}

    def local_hhmm(self, iso_value: str) -> str:
        return datetime.fromisoformat(iso_value.replace("Z", "+00:00")).astimezone(self.tz).strftime("%H:%M")


FAILED, WARNING, SUCCESS = ("failed",), ("warning",), ("success",)


def build_bank(t: Truth) -> list[Question]:
    """Every question with its expected answer over the data `t` holds."""
    bank: list[Question] = []

    def q(category, lang, measure, text, expected, previous=""):
        n = sum(x.category == category for x in bank) + 1
        bank.append(Question(f"{category}-{n:02d}", category, lang, measure, text, {**expected, "language": lang},
                             previous))

    Y, T, W, LW, L7, N = t.day(-1), t.day(0), t.week(0), t.week(-1), t.last_days(7), t.night()
    d20 = t.date(-4)

    # count
    q("count", "fr", "runs", "Combien d'échecs hier ?", t.count(Y, statuses=FAILED))
    q("count", "en", "runs", "How many failed runs today?", t.count(T, statuses=FAILED))
    q("count", "fr", "runs", "combien de warnings cette semaine", t.count(W, statuses=WARNING))
    q("count", "en", "runs", "How many Spark runs yesterday?", t.count(Y, techs={"Spark"}))
    q("count", "fr", "runs", "Combien de runs dbt en erreur la semaine dernière ?", t.count(LW, techs={"dbt"}, statuses=FAILED))
    q("count", "en", "runs", f"How many Talend failures on {d20.isoformat()}?", t.count(t.day(-4), techs={"Talend"}, statuses=FAILED))
    q("count", "fr", "runs", f"Combien de runs KO le {d20:%d/%m} ?", t.count(t.day(-4), statuses=FAILED))
    q("count", "en", "runs", "How many successful Hadoop runs in the last 7 days?", t.count(L7, techs={"Hadoop"}, statuses=SUCCESS))
    q("count", "fr", "runs", f"Combien de runs ont planté le {d20.day} {MONTHS_FR[d20.month]} ?", t.count(t.day(-4), statuses=FAILED))

    # exclusion
    q("exclusion", "fr", "runs", "Combien d'échecs hier hors Spark ?", t.count(Y, statuses=FAILED, not_techs={"Spark"}))
    q("exclusion", "en", "runs", "How many failures yesterday except Talend?", t.count(Y, statuses=FAILED, not_techs={"Talend"}))
    q("exclusion", "fr", "runs", "combien de runs ont planté cette semaine à part NiFi", t.count(W, statuses=FAILED, not_techs={"NiFi"}))
    q("exclusion", "en", "runs", "failed runs in the last 7 days excluding dbt", t.count(L7, statuses=FAILED, not_techs={"dbt"}))
    q("exclusion", "fr", "runs", "Nombre d'échecs aujourd'hui sauf Informatica ?", t.count(T, statuses=FAILED, not_techs={"Informatica"}))
    q("exclusion", "en", "runs", "How many errors last week other than Hadoop?", t.count(LW, statuses=FAILED, not_techs={"Hadoop"}))
    q("exclusion", "fr", "runs", "Combien d'échecs la semaine dernière, excepté fraud_scoring ?",
      t.count(LW, statuses=FAILED, not_pipelines={"fraud_scoring"}))
    q("exclusion", "en", "runs", "How many failures today, not Kafka Connect?", t.count(T, statuses=FAILED, not_techs={"Kafka Connect"}))
    q("exclusion", "fr", "list_pipelines", "Quels pipelines ont échoué hier sauf Spark ?",
      t.names(Y, "pipeline", statuses=FAILED, not_techs={"Spark"}))

    # distinct
    q("distinct", "fr", "distinct_pipelines", "Combien de pipelines distincts ont échoué hier ?", t.distinct(Y, statuses=FAILED))
    q("distinct", "en", "distinct_pipelines", "How many different pipelines failed this week?", t.distinct(W, statuses=FAILED))
    q("distinct", "fr", "distinct_techs", "combien de technos différentes ont eu des erreurs cette semaine ?",
      t.distinct(W, "tech", statuses=FAILED))
    q("distinct", "en", "distinct_techs", "How many distinct technologies had failures yesterday?", t.distinct(Y, "tech", statuses=FAILED))
    q("distinct", "fr", "distinct_pipelines", "Combien de jobs différents ont eu des warnings la semaine dernière ?",
      t.distinct(LW, statuses=WARNING))
    q("distinct", "en", "distinct_pipelines", "How many different pipelines failed overnight?", t.distinct(N, statuses=FAILED))
    q("distinct", "fr", "distinct_pipelines", "Combien de pipelines distincts en échec sur les 7 derniers jours hors Spark ?",
      t.distinct(L7, statuses=FAILED, not_techs={"Spark"}))
    q("distinct", "en", "distinct_pipelines", "How many distinct Spark pipelines ran yesterday?", t.distinct(Y, techs={"Spark"}))

    # rate
    q("rate", "fr", "rate", "Quel est le taux d'échec de Spark hier ?", t.rate(Y, techs={"Spark"}))
    q("rate", "en", "rate", "What's the failure rate for dbt this week?", t.rate(W, techs={"dbt"}))
    q("rate", "fr", "rate", "pourcentage d'échec NiFi sur les 7 derniers jours ?", t.rate(L7, techs={"NiFi"}))
    q("rate", "en", "rate", "success rate yesterday?", t.rate(Y, of="success"))
    q("rate", "fr", "rate", "Taux de réussite Talend la semaine dernière ?", t.rate(LW, of="success", techs={"Talend"}))
    q("rate", "en", "rate", "Failure rate of fraud_scoring over the last 7 days?", t.rate(L7, pipelines={"fraud_scoring"}))
    q("rate", "fr", "rate", "Quel taux d'échec global cette semaine ?", t.rate(W))
    q("rate", "en", "rate", "What percentage of Informatica runs failed last week?", t.rate(LW, techs={"Informatica"}))

    # time of day
    q("time_of_day", "fr", "runs", "Combien d'échecs cette nuit ?", t.count(N, statuses=FAILED))
    q("time_of_day", "en", "runs", "How many failures overnight?", t.count(N, statuses=FAILED))
    q("time_of_day", "fr", "runs", "combien de runs ont planté ce matin ?", t.count(t.hours(0, 0, 12), statuses=FAILED))
    q("time_of_day", "en", "runs", "How many errors yesterday afternoon?", t.count(t.hours(-1, 12, 18), statuses=FAILED))
    q("time_of_day", "fr", "runs", "Combien d'échecs hier soir ?", t.count(t.hours(-1, 18, 24), statuses=FAILED))
    q("time_of_day", "en", "runs", "How many failures since 8am?", t.count(t.since_hour(8), statuses=FAILED))
    q("time_of_day", "fr", "runs", "combien d'échecs entre 2h et 6h ?", t.count(t.hours(0, 2, 6), statuses=FAILED))
    q("time_of_day", "en", "runs", "How many failed runs in the last 3 hours?", t.count(t.last_hours(3), statuses=FAILED))
    q("time_of_day", "fr", "runs", "Combien d'échecs Spark hier après 18h ?",
      t.count(t.hours(-1, 18, 24), techs={"Spark"}, statuses=FAILED))
    q("time_of_day", "en", "runs", "how many failures before noon yesterday?", t.count(t.hours(-1, 0, 12), statuses=FAILED))
    q("time_of_day", "fr", "runs", "Combien d'échecs hier matin ?", t.count(t.hours(-1, 0, 12), statuses=FAILED))
    q("time_of_day", "en", "runs", "How many Kafka Connect failures last night?", t.count(N, techs={"Kafka Connect"}, statuses=FAILED))

    # first / last
    q("first_last", "fr", "last_time", "À quelle heure a planté le dernier job Talend ?", t.last_time(None, techs={"Talend"}, statuses=FAILED))
    q("first_last", "en", "last_time", "When was the last Spark failure?", t.last_time(None, techs={"Spark"}, statuses=FAILED))
    q("first_last", "fr", "first_time", "À quelle heure a eu lieu le premier échec hier ?", t.first_time(Y, statuses=FAILED))
    q("first_last", "en", "first_time", "When did the first failure happen today?", t.first_time(T, statuses=FAILED))
    q("first_last", "fr", "last_time", "Quand a tourné ledger_backup pour la dernière fois ?",
      t.last_time(None, pipelines={"ledger_backup"}))
    q("first_last", "en", "last_time", "When was the last successful run of fraud_scoring?",
      t.last_time(None, pipelines={"fraud_scoring"}, statuses=SUCCESS))
    q("first_last", "fr", "last_time", "À quelle heure le dernier échec NiFi cette nuit ?", t.last_time(N, techs={"NiFi"}, statuses=FAILED))
    q("first_last", "en", "last_time", "When did api_cronjobs last run?", t.last_time(None, pipelines={"api_cronjobs"}))
    q("first_last", "fr", "first_time", "Quand a eu lieu le premier échec dbt cette semaine ?", t.first_time(W, techs={"dbt"}, statuses=FAILED))

    # comparison
    q("comparison", "fr", "runs", "Combien d'échecs hier par rapport à la semaine dernière ?",
      t.compare("runs", Y, t.day(-8), statuses=FAILED))
    q("comparison", "en", "runs", "Failures yesterday vs the day before?", t.compare("runs", Y, t.day(-2), statuses=FAILED))
    q("comparison", "fr", "rate", "Taux d'échec Spark hier comparé à la veille ?", t.compare("rate", Y, t.day(-2), techs={"Spark"}))
    q("comparison", "en", "runs", "How many dbt failures this week compared with last week?",
      t.compare("runs", W, LW, techs={"dbt"}, statuses=FAILED))
    q("comparison", "fr", "runs", "Tendance des échecs sur les 7 derniers jours ?", t.compare("runs", L7, t.days(-13, -7), statuses=FAILED))
    q("comparison", "en", "runs", "failure trend this week", t.compare("runs", W, LW, statuses=FAILED))
    q("comparison", "fr", "runs", "Combien d'échecs Kafka Connect aujourd'hui par rapport à hier ?",
      t.compare("runs", T, Y, techs={"Kafka Connect"}, statuses=FAILED))
    q("comparison", "en", "rate", "Is the NiFi failure rate higher yesterday than the day before?",
      t.compare("rate", Y, t.day(-2), techs={"NiFi"}))
    q("comparison", "fr", "runs", "Combien de warnings cette semaine comparé à la semaine dernière ?",
      t.compare("runs", W, LW, statuses=WARNING))
    q("comparison", "en", "runs", "How many failures this week compared to the whole of last week?",
      t.compare("runs", W, LW, whole=True, statuses=FAILED))
    q("comparison", "fr", "runs", "Combien d'échecs cette semaine par rapport à toute la semaine dernière ?",
      t.compare("runs", W, LW, whole=True, statuses=FAILED))

    # silent
    q("silent", "fr", "silent", "Quels pipelines n'ont pas tourné hier ?", t.silent(Y))
    q("silent", "en", "silent", "Which pipelines stopped reporting?", t.silent())
    q("silent", "fr", "silent", "Des jobs silencieux ?", t.silent())
    q("silent", "en", "silent", "Which pipelines didn't run yesterday?", t.silent(Y))
    q("silent", "fr", "silent", "Quelles technos sont silencieuses ?", t.silent(kind="tech"))
    q("silent", "en", "silent", "Any missing runs today?", t.silent(T))
    q("silent", "fr", "silent", "On n'a plus de nouvelles de quels pipelines ?", t.silent())
    q("silent", "en", "silent", "Which technologies stopped reporting yesterday?", t.silent(Y, kind="tech"))
    q("silent", "fr", "silent", "Quels jobs NiFi sont silencieux ?", t.silent(techs={"NiFi"}))

    # new messages
    q("new_messages", "fr", "new_messages", "Quelles sont les nouvelles erreurs d'hier ?", t.new_messages(Y))
    q("new_messages", "en", "new_messages", "Any new errors today?", t.new_messages(T))
    q("new_messages", "fr", "new_messages", "Des erreurs jamais vues cette semaine ?", t.new_messages(W))
    q("new_messages", "en", "new_messages", "New Spark errors yesterday?", t.new_messages(Y, techs={"Spark"}))
    q("new_messages", "fr", "new_messages", "Nouveaux warnings hier ?", t.new_messages(Y, statuses=WARNING))
    q("new_messages", "en", "new_messages", "Which errors showed up for the first time in the last 7 days?", t.new_messages(L7))
    q("new_messages", "fr", "new_messages", "Y a-t-il de nouvelles erreurs dbt hier ?", t.new_messages(Y, techs={"dbt"}))
    q("new_messages", "en", "new_messages", "New errors last night?", t.new_messages(N))
    q("new_messages", "en", "new_messages", "Hadoop errors seen for the first time yesterday?", t.new_messages(Y, techs={"Hadoop"}))

    # streaks
    since = t.streaks(pipelines={"fraud_scoring"})
    q("streaks", "fr", "streaks", "Quels pipelines sont toujours en échec ?", t.streaks())
    q("streaks", "en", "streaks", "Which pipelines are failing in a row?", t.streaks())
    q("streaks", "en", "streaks", "Any pipelines with consecutive failures?", t.streaks())
    q("streaks", "fr", "streaks", "Quels jobs ont échoué sur les 5 derniers runs ?", t.streaks(min_runs=5))
    q("streaks", "fr", "streaks", "Depuis quand fraud_scoring échoue ?",
      {**since, "headline": [t.local_hhmm(v) for v in since["streaks"].values()]})
    q("streaks", "en", "streaks", "When did fraud_scoring start failing?",
      {**since, "headline": [t.local_hhmm(v) for v in since["streaks"].values()]})
    q("streaks", "en", "streaks", "Is hr_payroll_import still failing?", t.streaks(pipelines={"hr_payroll_import"}))
    q("streaks", "fr", "streaks", "Quels pipelines Spark sont en échec consécutif ?", t.streaks(techs={"Spark"}))
    q("streaks", "fr", "streaks", "Quels pipelines étaient en échec consécutif hier ?", t.streaks(end=Y.end))
    q("streaks", "en", "streaks", "Since when is marketing_models failing?", t.episode("marketing_models"))
    q("streaks", "fr", "streaks", "Depuis quand marketing_models est en échec ?", t.episode("marketing_models"))
    q("streaks", "en", "streaks", "Which pipelines have been failing several runs in a row?", t.streaks(min_runs=2))
    q("streaks", "fr", "streaks", "Quels pipelines ont échoué plusieurs fois d'affilée ?", t.streaks(min_runs=2))
    q("streaks", "en", "running", "Which jobs are still running?", t.open_runs())
    q("streaks", "fr", "running", "Quels jobs tournent encore ?", t.open_runs())

    # several names
    q("multi_names", "fr", "runs", "Combien d'échecs Spark et dbt hier ?", t.count(Y, techs={"Spark", "dbt"}, statuses=FAILED))
    q("multi_names", "en", "runs", "How many failures for Spark or Talend this week?",
      t.count(W, techs={"Spark", "Talend"}, statuses=FAILED))
    q("multi_names", "fr", "runs", "Combien d'échecs Spark, dbt et NiFi la semaine dernière ?",
      t.count(LW, techs={"Spark", "dbt", "NiFi"}, statuses=FAILED))
    q("multi_names", "en", "rate", "Failure rate of Hadoop and Informatica yesterday?", t.rate(Y, techs={"Hadoop", "Informatica"}))
    q("multi_names", "fr", "list_pipelines", "Quels pipelines Talend ou Informatica ont échoué cette semaine ?",
      t.names(W, techs={"Talend", "Informatica"}, statuses=FAILED))
    q("multi_names", "en", "runs", "How many errors on fraud_scoring and sales_aggregates in the last 7 days?",
      t.count(L7, pipelines={"fraud_scoring", "sales_aggregates"}, statuses=FAILED))
    q("multi_names", "fr", "runs", "Combien de runs NiFi et Kafka Connect aujourd'hui ?", t.count(T, techs={"NiFi", "Kafka Connect"}))
    q("multi_names", "en", "last_time", "When was the last failure of dbt or Talend?",
      t.last_time(None, techs={"dbt", "Talend"}, statuses=FAILED))

    # aliases and case
    q("aliases", "fr", "runs", "Combien d'échecs infa hier ?", t.count(Y, techs={"Informatica"}, statuses=FAILED))
    q("aliases", "en", "runs", "How many pg failures last week?", t.count(LW, techs={"PostgreSQL"}, statuses=FAILED))
    q("aliases", "fr", "rate", "Taux d'échec postgres sur les 7 derniers jours ?", t.rate(L7, techs={"PostgreSQL"}))
    q("aliases", "en", "runs", "k8s failures last week?", t.count(LW, techs={"Kubernetes"}, statuses=FAILED))
    q("aliases", "fr", "runs", "Combien d'échecs tln hier ?", t.count(Y, techs={"Talend"}, statuses=FAILED))
    q("aliases", "en", "runs", "How many connect errors in the last 7 days?", t.count(L7, techs={"Kafka Connect"}, statuses=FAILED))
    q("aliases", "fr", "runs", "combien d'échecs SPARK aujourd'hui ?", t.count(T, techs={"Spark"}, statuses=FAILED))
    q("aliases", "en", "last_time", "When did the last TALEND job fail?", t.last_time(None, techs={"Talend"}, statuses=FAILED))
    q("aliases", "en", "rate", "failure rate for DBT yesterday", t.rate(Y, techs={"dbt"}))
    q("aliases", "fr", "last_time", "Quand a eu lieu le dernier échec k8s ?", t.last_time(None, techs={"Kubernetes"}, statuses=FAILED))

    # group by
    q("group_by", "fr", "runs", "Échecs par techno hier ?", t.groups(Y, "tech", statuses=FAILED))
    q("group_by", "en", "runs", "Failures by technology this week", t.groups(W, "tech", statuses=FAILED))
    q("group_by", "fr", "runs", "Répartition des runs par statut hier", t.groups(Y, "status"))
    q("group_by", "en", "runs", "Failed runs per day over the last 7 days", t.groups(L7, "day", statuses=FAILED))
    q("group_by", "fr", "runs", "Échecs par heure cette nuit", t.groups(N, "hour", statuses=FAILED))
    q("group_by", "en", "runs", "Spark failures by pipeline this week", t.groups(W, "pipeline", techs={"Spark"}, statuses=FAILED))
    q("group_by", "fr", "runs", "Nombre d'échecs par jour cette semaine ?", t.groups(W, "day", statuses=FAILED))
    q("group_by", "en", "runs", "How many runs by status today?", t.groups(T, "status"))

    # names the data does not know
    q("unknown_name", "fr", "runs", "Combien d'échecs Oracle hier ?", {"notice_mentions": "Oracle"})
    q("unknown_name", "en", "runs", "How many Snowflake failures this week?", {"notice_mentions": "Snowflake"})
    q("unknown_name", "fr", "rate", "Taux d'échec Airflow la semaine dernière ?", {"notice_mentions": "Airflow"})
    q("unknown_name", "en", "list_pipelines", "What failed on Teradata last night?", {"notice_mentions": "Teradata"})
    q("unknown_name", "fr", "runs", "Les jobs DataStage ont planté ce matin ?", {"notice_mentions": "DataStage"})
    q("unknown_name", "en", "runs", "How many failures for the invoice_matching pipeline yesterday?",
      {"notice_mentions": "invoice_matching"})
    q("unknown_name", "fr", "runs", "Combien d'échecs Spark et Databricks hier ?", {"notice_mentions": "Databricks"})
    q("unknown_name", "en", "runs", "Failures yesterday except Redshift?", {"notice_mentions": "Redshift"})

    # lists
    q("list", "fr", "list_pipelines", "Quels pipelines ont échoué hier ?", t.names(Y, statuses=FAILED))
    q("list", "en", "list_techs", "Which technologies failed today?", t.names(T, "tech", statuses=FAILED))
    q("list", "fr", "list_techs", "Quelles technos ont eu des warnings cette semaine ?", t.names(W, "tech", statuses=WARNING))
    q("list", "en", "list_pipelines", "Which pipelines failed the most last week?", t.names(LW, statuses=FAILED))
    q("list", "fr", "list_pipelines", "Quels sont les 3 pipelines qui ont le plus échoué cette semaine ?",
      t.names(W, limit=3, statuses=FAILED))
    q("list", "en", "list_pipelines", "Which Spark pipelines failed in the last 7 days?", t.names(L7, techs={"Spark"}, statuses=FAILED))
    q("list", "fr", "list_pipelines", "Quels jobs ont planté cette nuit ?", t.names(N, statuses=FAILED))
    q("list", "en", "list_pipelines", "Top 5 failing pipelines this week", t.names(W, limit=5, statuses=FAILED))

    # the existing measures again, in words the questions above do not use
    q("exclusion", "fr", "runs", "combien d'échecs cette semaine hormis Talend ?", t.count(W, statuses=FAILED, not_techs={"Talend"}))
    q("exclusion", "en", "runs", "how many failures yesterday apart from Spark?", t.count(Y, statuses=FAILED, not_techs={"Spark"}))
    q("exclusion", "fr", "runs", "nombre d'échecs hier en dehors de dbt", t.count(Y, statuses=FAILED, not_techs={"dbt"}))
    q("exclusion", "en", "runs", "failures this week besides NiFi?", t.count(W, statuses=FAILED, not_techs={"NiFi"}))
    q("rate", "fr", "rate", "% d'échec spark hier ?", t.rate(Y, techs={"Spark"}))
    q("rate", "en", "rate", "what % of dbt runs failed this week?", t.rate(W, techs={"dbt"}))
    q("rate", "fr", "rate", "ratio d'échec NiFi la semaine dernière ?", t.rate(LW, techs={"NiFi"}))
    q("rate", "en", "rate", "failure ratio for kafka connect yesterday", t.rate(Y, techs={"Kafka Connect"}))
    q("time_of_day", "fr", "runs", "combien d'échecs hier jusqu'à midi ?", t.count(t.hours(-1, 0, 12), statuses=FAILED))
    q("time_of_day", "en", "runs", "how many failures since 14:00 yesterday?", t.count(t.since_hour(14, offset=-1), statuses=FAILED))
    q("time_of_day", "fr", "runs", "combien d'échecs depuis 6h30 ?", t.count(t.since_hour(6, 30), statuses=FAILED))
    q("time_of_day", "en", "runs", "failed runs yesterday between 14:00 and 16:00?", t.count(t.hours(-1, 14, 16), statuses=FAILED))
    q("time_of_day", "en", "runs", "how many failures since 07:30?", t.count(t.since_hour(7, 30), statuses=FAILED))
    q("time_of_day", "fr", "runs", "combien d'échecs hier entre 14h30 et 19h ?",
      t.count(Win(t.at(t.date(-1), 14, 30), t.at(t.date(-1), 19)), statuses=FAILED))
    q("distinct", "en", "distinct_pipelines", "how many unique pipelines failed yesterday?", t.distinct(Y, statuses=FAILED))
    q("count", "fr", "runs", "nb de runs en échec hier ?", t.count(Y, statuses=FAILED))
    q("comparison", "fr", "runs", "échecs aujourd'hui vs hier ?", t.compare("runs", T, Y, statuses=FAILED))
    q("first_last", "en", "first_time", "what time did the first Spark failure happen yesterday?",
      t.first_time(Y, techs={"Spark"}, statuses=FAILED))

    # topics: the words left once names, time, status and question words are read
    q("topic", "fr", "runs", "combien d'échecs timeout hier ?", t.topic_count(Y, ("timeout",), statuses=FAILED))
    q("topic", "en", "runs", "how many timeout failures this week?", t.topic_count(W, ("timeout",), statuses=FAILED))
    q("topic", "en", "runs", "How many memory errors last week?", t.topic_count(LW, ("memory",), statuses=FAILED))
    q("topic", "fr", "runs", "Combien d'échecs heap space la semaine dernière ?",
      t.topic_count(LW, ("heap", "space"), statuses=FAILED))
    q("topic", "fr", "runs", "combien de runs avec un deadlock la semaine dernière", t.topic_count(LW, ("deadlock",)))
    q("topic", "en", "runs", "how many partition errors in the last 7 days?", t.topic_count(L7, ("partition",), statuses=FAILED))
    q("topic", "fr", "runs", "combien d'échecs lookup infa sur les 30 derniers jours ?",
      t.topic_count(t.last_days(30), ("lookup",), techs={"Informatica"}, statuses=FAILED))
    q("topic", "en", "runs", "How many threshold warnings in the last 7 days?", t.topic_count(L7, ("threshold",), statuses=WARNING))
    q("topic", "fr", "runs", "combien d'échecs back pressure aujourd'hui ?",
      t.topic_count(T, ("back", "pressure"), statuses=FAILED))
    q("topic", "en", "runs", "how many connection errors this week?", t.topic_count(W, ("connection",), statuses=FAILED))
    q("topic", "fr", "runs", "combien de runs threshold cette semaine ?", t.topic_count(W, ("threshold",)))

    # messages: the distinct messages of the matching runs, ranked
    q("messages", "fr", "messages", "quelles erreurs hier ?", t.messages(Y))
    q("messages", "en", "messages", "top errors this week", t.messages(W))
    q("messages", "fr", "messages", "messages d'erreur Spark hier ?", t.messages(Y, techs={"Spark"}))
    q("messages", "en", "messages", "which errors on kafka connect in the last 7 days?", t.messages(L7, techs={"Kafka Connect"}))
    q("messages", "fr", "messages", "Quelles erreurs pour fraud_scoring cette semaine ?", t.messages(W, pipelines={"fraud_scoring"}))
    q("messages", "en", "messages", "top 3 errors last week", t.messages(LW, limit=3))
    q("messages", "fr", "messages", "les messages d'erreur de cette nuit ?", t.messages(N))
    q("messages", "en", "messages", "which errors today on nifi", t.messages(T, techs={"NiFi"}))

    # follow-ups: the second question, asked with the first answer's context
    D2 = t.day(-2)
    q("follow_up", "fr", "runs", "et pour Spark ?", t.count(Y, techs={"Spark"}, statuses=FAILED),
      previous="Combien d'échecs dbt hier ?")
    q("follow_up", "en", "runs", "and the day before?", t.count(D2, statuses=FAILED), previous="How many failed runs yesterday?")
    q("follow_up", "fr", "runs", "et la veille ?", t.count(t.hours(-1, 0, 12), statuses=FAILED),
      previous="combien de runs ont planté ce matin ?")
    q("follow_up", "fr", "runs", "et hier ?", t.count(Y, techs={"Spark"}, statuses=FAILED),
      previous="Combien d'échecs Spark aujourd'hui ?")
    q("follow_up", "en", "rate", "and for NiFi?", t.rate(Y, techs={"NiFi"}), previous="What's the failure rate for Talend yesterday?")
    q("follow_up", "en", "list_pipelines", "what about the day before?", t.names(D2, statuses=FAILED),
      previous="Which pipelines failed yesterday?")
    q("follow_up", "fr", "rate", "et pour dbt ?", t.rate(W, techs={"dbt"}), previous="Taux d'échec Informatica cette semaine ?")
    q("follow_up", "en", "runs", "what about hr_payroll_import?", t.count(W, pipelines={"hr_payroll_import"}, statuses=FAILED),
      previous="How many Spark failures this week?")
    q("follow_up", "fr", "runs", "et la semaine dernière ?", t.count(LW, techs={"NiFi"}, statuses=FAILED),
      previous="combien d'échecs NiFi cette semaine ?")
    q("follow_up", "en", "runs", "and yesterday?", t.count(Y, techs={"dbt"}, statuses=FAILED), previous="How many dbt failures today?")
    q("follow_up", "fr", "list_techs", "et la veille ?", t.names(D2, "tech", statuses=FAILED),
      previous="Quelles technos ont échoué hier ?")
    q("follow_up", "en", "runs", "and for sales_aggregates?", t.count(L7, pipelines={"sales_aggregates"}, statuses=FAILED),
      previous="how many errors on fraud_scoring in the last 7 days?")
    q("follow_up", "fr", "runs", "et pour dbt et postgres ?", t.count(Y, techs={"dbt", "PostgreSQL"}, statuses=WARNING),
      previous="Combien de warnings Kafka Connect hier ?")
    q("follow_up", "en", "runs", "and this week?", t.count(W, techs={"Hadoop"}, statuses=FAILED),
      previous="How many Hadoop failures last week?")

    # durations asked of runs that recorded none: said, with how many runs had none
    def no_duration(w, **f) -> dict:
        n = t.count(w, statuses=f.pop("statuses", ("failed", "warning", "success", "unknown")), **f)["value"]
        return {"value": None, "numerator": 0, "denominator": n, "headline": [str(n)]}

    q("unsupported", "fr", "avg_duration", "durée moyenne des runs Spark hier ?", no_duration(Y, techs={"Spark"}))
    q("unsupported", "en", "avg_duration", "average duration of failed dbt runs this week?",
      no_duration(W, techs={"dbt"}, statuses=FAILED))
    q("unsupported", "en", "avg_duration", "how long did fraud_scoring take yesterday?",
      no_duration(Y, pipelines={"fraud_scoring"}))
    q("unsupported", "fr", "max_duration", "Quelle est la durée max des jobs talend cette semaine ?",
      no_duration(W, techs={"Talend"}))
    # unsupported measures: named in a notice, and the count of the matching runs instead
    q("unsupported", "en", "runs", "How many rows processed by NiFi runs today?",
      {**t.count(T, techs={"NiFi"}), "notice_words": ["rows", "processed"]})
    q("unsupported", "fr", "runs", "lignes traitées par les échecs infa la semaine dernière",
      {**t.count(LW, techs={"Informatica"}, statuses=FAILED), "notice_words": ["lignes", "traitées"]})
    q("unsupported", "en", "runs", "how many rows loaded by sales_aggregates yesterday?",
      {**t.count(Y, pipelines={"sales_aggregates"}), "notice_words": ["rows", "loaded"]})
    q("unsupported", "fr", "runs", "combien de lignes chargées par fraud_scoring hier ?",
      {**t.count(Y, pipelines={"fraud_scoring"}), "notice_words": ["lignes", "chargées"]})

    # impossible dates: a notice quotes them as written
    q("bad_time", "fr", "runs", "combien d'échecs le 31/02/2026 ?", {"notice_mentions": "31/02/2026"})
    q("bad_time", "en", "runs", "How many failures on 2026-13-01?", {"notice_mentions": "2026-13-01"})
    q("bad_time", "fr", "rate", "taux d'échec spark le 30/02 ?", {"notice_mentions": "30/02"})
    q("bad_time", "en", "runs", "failed runs on 2026-02-29?", {"notice_mentions": "2026-02-29"})
    q("bad_time", "fr", "runs", "combien de runs KO le 31 novembre ?", {"notice_mentions": "31 novembre"})
    q("bad_time", "en", "runs", "How many Spark runs on 2026-11-31?", {"notice_mentions": "2026-11-31"})
    q("bad_time", "fr", "list_pipelines", "quels pipelines ont planté le 32/11 ?", {"notice_mentions": "32/11"})
    q("bad_time", "en", "runs", "any Talend errors on 2026-00-10?", {"notice_mentions": "2026-00-10"})
    return bank
