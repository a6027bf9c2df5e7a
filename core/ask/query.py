"""The typed query: the one contract between understanding a question and executing it.

A reader (deterministic, or the optional LLM planner) turns words into a `Query`; the executor
turns a `Query` into SQL over every record and returns a `Result`. Numbers never come from
retrieval: retrieval only picks which records to cite.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime, time, timedelta, timezone

from ..models import Window, iso, parse_iso  # noqa: F401 - Window and iso are this module's vocabulary too

# What is measured. "runs" counts matching runs; "rate" is `rate_of` runs over all runs that
# match every filter but the status ones; the list measures return names ranked by matching runs.
MEASURES = (
    "runs", "distinct_pipelines", "distinct_techs", "rate", "first_time", "last_time",
    "list_pipelines", "list_techs", "messages", "new_messages", "silent", "streaks", "running",
    "avg_duration", "p95_duration", "max_duration", "slowest",
)
GROUPS = ("tech", "pipeline", "status", "day", "hour", "message")
STATUSES = ("failed", "warning", "success", "running", "unknown")
MAX_LIMIT = 50
MAX_WINDOW_DAYS = 400  # a planner asking for more is refused; a reader never builds more


# a why-answer over all time or a long window shows the runs per day of its last days only
TREND_DAYS = 7

@dataclass(frozen=True)
class Query:
    measure: str = "runs"
    rate_of: str = "failed"  # for measure == "rate": the status counted in the numerator
    window: Window | None = None  # None: all time
    techs: tuple[str, ...] = ()
    exclude_techs: tuple[str, ...] = ()
    pipelines: tuple[str, ...] = ()
    exclude_pipelines: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    exclude_statuses: tuple[str, ...] = ()
    topic: str = ""  # words a message must contain (lexical filter on distinct messages)
    # a described topic read by meaning (core/ask/topic.py): the distinct messages it selected; the
    # topic's words then only label it, these filter
    topic_messages: tuple[str, ...] = ()
    # one distinct message (its signature id) the runs must carry: a follow-up's "how many?" after a
    # why-answer asks about the message that answer led with; its text, cut, for the reading line
    message: str = ""
    message_text: str = ""
    group_by: str | None = None
    compare: Window | None = None  # a second window: both figures and the change
    # compare only the elapsed part of `window` with the same part of `compare` (core/ask/compare.py)
    same_span: bool = False
    limit: int = 10
    streak_min: int = 3  # for measure == "streaks": at least this many failed runs in a row
    silent_kind: str = "pipeline"  # for measure == "silent": "pipeline" or "tech"

    def as_json(self) -> dict:
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = v.as_json() if isinstance(v, Window) else list(v) if isinstance(v, tuple) else v
        return out

    @classmethod
    def from_json(cls, data: dict) -> "Query":
        """Rebuild from `as_json` output. Shape only: `validate` checks meaning."""
        kw = {}
        for f in fields(cls):
            if f.name not in data or data[f.name] is None:
                continue
            v = data[f.name]
            if f.name in ("window", "compare"):
                v = Window.from_json(v)
            elif isinstance(getattr(cls, f.name, None), tuple) or f.type.startswith("tuple"):
                if not isinstance(v, (list, tuple)) or not all(isinstance(x, str) for x in v):
                    raise ValueError(f"{f.name} must be a list of strings")
                v = tuple(v)
            kw[f.name] = v
        return cls(**kw)

    def with_(self, **changes) -> "Query":
        return replace(self, **changes)


@dataclass(frozen=True)
class MessageFact:
    """A distinct message (signature) among the matching runs."""

    signature_id: str
    text: str
    count: int  # matching runs showing it
    first_seen: datetime  # first occurrence ever in the index (any filter)
    last_seen: datetime  # last occurrence among the matching runs
    new: bool  # first_seen falls inside the query's window
    pipelines: tuple[str, ...] = ()
    refs: tuple[int, ...] = ()
    per_day: tuple[tuple[str, int], ...] = ()  # local day -> runs, for explain answers


@dataclass(frozen=True)
class Silent:
    name: str  # a pipeline or a technology
    tech: str
    last_run: datetime | None
    days_active: int  # of the 7 local days before the window


@dataclass(frozen=True)
class Streak:
    pipeline: str
    tech: str
    since: datetime  # the first of the failed runs in a row at the end
    failed_runs: int  # how many in a row
    # the failure episode they end (core/ask/episodes.py): since its first failure, a lone healthy
    # run inside it allowed when the same error comes back
    episode_since: datetime | None = None
    episode_runs: int = 0  # finished runs since episode_since
    episode_failed: int = 0
    episode_errors: int = 0  # distinct messages among its failures


@dataclass(frozen=True)
class OpenRun:
    """A RUNNING run (or, as `Result.finished`, a pipeline's latest finished one)."""

    pipeline: str
    tech: str
    started: datetime
    age_s: float
    usual_s: float  # its pipeline's usual duration: running while younger, stuck after
    usual_from_history: bool  # False: FLOWRAG_RUNNING_DEFAULT stood in
    status: str = "running"
    id: str = ""


@dataclass(frozen=True)
class TimedRun:
    """A finished run and how long it took (measure "slowest")."""

    pipeline: str
    tech: str
    started: datetime
    duration_s: float
    status: str
    id: str = ""


@dataclass(frozen=True)
class Result:
    """What the executor computed. `value` is the headline figure: an int for counts, a float
    percentage for rates (`numerator`/`denominator` beside it), a UTC datetime for times."""

    value: int | float | datetime | None = None
    numerator: int | None = None
    denominator: int | None = None
    previous: int | float | None = None  # the same measure over `query.compare`
    previous_numerator: int | None = None
    previous_denominator: int | None = None
    groups: tuple[tuple[str, int], ...] = ()
    names: tuple[tuple[str, int], ...] = ()  # for list/distinct measures: (name, matching runs)
    messages: tuple[MessageFact, ...] = ()
    silent: tuple[Silent, ...] = ()
    streaks: tuple[Streak, ...] = ()
    running: tuple[OpenRun, ...] = ()  # measure "running": younger than their usual duration
    stuck: tuple[OpenRun, ...] = ()  # older: never finished
    finished: OpenRun | None = None  # one named pipeline: its latest finished run
    slowest: tuple[TimedRun, ...] = ()  # measure "slowest", longest first
    total: int = 0  # matching runs
    # breakdowns of the matching runs, for the context lines and the LLM
    by_status: tuple[tuple[str, int], ...] = ()
    by_tech: tuple[tuple[str, int], ...] = ()
    by_pipeline: tuple[tuple[str, int], ...] = ()
    failed_by_tech: tuple[tuple[str, int], ...] = ()
    failed_by_pipeline: tuple[tuple[str, int], ...] = ()
    pipeline_techs: tuple[tuple[str, str], ...] = ()
    explained: MessageFact | None = None  # explain answers: the message that best matches

    @property
    def change(self) -> int | float | None:
        if self.previous is None or not isinstance(self.value, (int, float)):
            return None
        return round(self.value - self.previous, 1) if isinstance(self.value, float) else self.value - self.previous

    def as_json(self) -> dict:
        def plain(v):
            if isinstance(v, datetime):
                return iso(v)
            if isinstance(v, (list, tuple)):
                return [plain(x) for x in v]
            if hasattr(v, "__dataclass_fields__"):
                return {k: plain(x) for k, x in asdict(v).items()}
            return v

        out = {f.name: plain(getattr(self, f.name)) for f in fields(self)}
        out["change"] = self.change
        return out


def local_midnight(d: date, tz) -> datetime:
    """The start of a local day, in UTC."""
    return datetime.combine(d, time(), tzinfo=tz).astimezone(timezone.utc)


def local_days(first: date, tz, days: int = 1, label: str = "") -> Window:
    """Local days [first, first + days) as a UTC window: 23 or 25 hours on DST days."""
    return Window(local_midnight(first, tz), local_midnight(first + timedelta(days=days), tz), label)
