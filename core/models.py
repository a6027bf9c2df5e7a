"""Frozen values passed between the engine's parts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

STATUSES = ("failed", "warning", "success", "running", "unknown")


@dataclass(frozen=True)
class Record:
    """One pipeline run, normalized and already redacted."""

    id: str  # Mongo _id as string
    pipeline: str
    tech: str
    status: str  # one of STATUSES
    timestamp: datetime  # timezone-aware, UTC
    message: str  # redacted, whole (may be long)
    duration_s: float | None = None  # how long it took, when the source says (core/durations.py)


@dataclass(frozen=True)
class Window:
    """Half-open [start, end) in UTC, with the words (or the reading) it came from: the one time
    window of the project, from the time parser to the executor."""

    start: datetime
    end: datetime
    label: str = ""  # e.g. "hier", "yesterday", "2026-04-29"

    def as_json(self) -> dict:
        return {"start": iso(self.start), "end": iso(self.end), "label": self.label}

    @classmethod
    def from_json(cls, data: dict) -> "Window":
        return cls(parse_iso(data["start"]), parse_iso(data["end"]), str(data.get("label", "")))

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400


def iso(dt: datetime) -> str:
    """UTC ISO 8601 with a Z, as every JSON this project writes."""
    return dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def parse_iso(s: str) -> datetime:
    dt = datetime.fromisoformat(str(s).replace("Z", "+00:00"))
    if dt.tzinfo is None:
        raise ValueError(f"time without a zone: {s!r}")
    return dt.astimezone(timezone.utc)


@dataclass(frozen=True)
class Citation:
    ref: int
    id: str
    pipeline_name: str
    tech: str
    status: str
    timestamp: datetime  # UTC
    snippet: str


@dataclass(frozen=True)
class MessageHit:
    """A distinct message (signature) relevant to the question."""

    signature_id: str
    text: str  # a representative, redacted message
    count: int  # occurrences inside the filters
    refs: tuple[int, ...] = ()
    similarity: float | None = None  # to the question, by the embedder (None: not ranked by it)
    varies: bool = False  # `count` is of every run with this message, whatever its numbers and ids


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[Citation, ...]
    facts: dict
    mode: str  # "extractive" | "llm"
    language: str  # "fr" | "en"
    context: dict  # serializable follow-up context for the next turn
    timings_ms: dict = field(default_factory=dict)
    messages: tuple[MessageHit, ...] = ()
    notices: tuple[str, ...] = ()
    index_as_of: datetime | None = None
    id: str = ""  # answer id, for feedback
    query: object = None  # core.ask.query.Query as executed
    result: object = None  # core.ask.query.Result
    interpretation: str = ""  # the reading used, one line: "Compris : échecs · hier · Hadoop"
    tz: object = None  # ZoneInfo the answer was read and written in (a channel's own, or the engine's)
