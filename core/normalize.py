"""Turn one raw MongoDB document into a Record, whatever shape it arrived in.

Sources disagree on field names, types, status words and timestamp formats;
everything after ingest relies on Record being clean, UTC and redacted, so
all of that is settled here, once.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

from bson import ObjectId
from bson.timestamp import Timestamp as BsonTimestamp

from .models import Record
from .statuses import RECORD_SYNONYMS
from .text import fold
from .redact import redact

UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

UNKNOWN = "unknown"
# Stack traces of 50 KB are kept whole (the index bounds what it embeds);
# only absurd payloads are cut.
MAX_MESSAGE_CHARS = 1_000_000
MAX_NAME_CHARS = 256
_TRUNCATED = " …[truncated]"


@dataclass(frozen=True)
class FieldMapping:
    """Where each Record field lives in the source documents.

    Dotted paths reach into nested documents ("job.name", "meta.tech").
    """

    pipeline: str = "pipeline_name"
    tech: str = "tech"
    status: str = "status"
    message: str = "error_message"
    timestamp: str = "timestamp"

    @classmethod
    def from_settings(cls, settings) -> "FieldMapping":
        return cls(pipeline=settings.field_pipeline, tech=settings.field_tech, status=settings.field_status,
                   message=settings.field_message, timestamp=settings.field_timestamp)


class UnreadableRecord(ValueError):
    """The document cannot become a Record; the message says why."""


# Tried, in order, when the mapped field is absent, None or blank.
ALIASES: dict[str, tuple[str, ...]] = {
    "pipeline": ("pipeline_name", "pipeline", "job", "job_name", "flow", "flow_name", "dag_id"),
    "tech": ("tech", "technology", "engine", "platform", "tool"),
    "status": ("status", "state", "result", "outcome", "success"),
    "message": ("error_message", "message", "error", "msg", "log", "details"),
    "timestamp": (
        "timestamp", "ts", "date", "time", "created_at", "start_time", "@timestamp",
        "started_at", "execution_date", "end_time", "updated_at",
    ),
}
_FIELDS = tuple(ALIASES)


# ---------------------------------------------------------------- status

_STATUS_SYNONYMS = RECORD_SYNONYMS
_STATUS_WORDS = {word: status for status, words in _STATUS_SYNONYMS.items() for word in words}

_STATUS_SEPARATORS = re.compile(r"[\s\-]+")
_NON_LETTERS = re.compile(r"[^a-z]+")
_STATUS_WITH = (
    ("with_warning", "warning"), ("avec_avertissement", "warning"),
    ("with_error", "failed"), ("with_failure", "failed"),
    ("avec_erreur", "failed"), ("en_erreur", "failed"), ("en_echec", "failed"),
)


@lru_cache(maxsize=1024)
def _status_from_text(text: str) -> str:
    key = fold(text.strip())
    key = _STATUS_SEPARATORS.sub("_", key).strip("_.!:;,()[]")
    found = _STATUS_WORDS.get(key)
    if found:
        return found
    # "completed with errors", "terminé en erreur" are failures even though
    # they start like a success.
    for marker, status in _STATUS_WITH:
        if marker in key:
            return status
    # "FAILED: exit code 1", "ok (3 rows)": the first word decides. A leading
    # negation ("not ok", "no error") maps to nothing, hence unknown.
    first = _NON_LETTERS.split(key, maxsplit=1)[0]
    return _STATUS_WORDS.get(first, UNKNOWN)


def normalize_status(value) -> str:
    """Map any status spelling to one of STATUSES (unknown when unsure)."""
    if isinstance(value, bool):
        # As stored in "success: true/false".
        return "success" if value else "failed"
    if isinstance(value, str):
        return _status_from_text(value)
    return UNKNOWN


# ---------------------------------------------------------------- timestamp

_NUMERIC = re.compile(r"[+-]?\d+(?:\.\d*)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?")
_ZONE_NAME = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)
_SPACED_OFFSET = re.compile(r"\s+([+-]\d{2}:?\d{2})$")


def _aware(value: datetime) -> datetime:
    # pymongo returns BSON dates as naive datetimes meaning UTC.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _from_epoch(number: float | int) -> datetime:
    if isinstance(number, float) and not math.isfinite(number):
        raise UnreadableRecord("timestamp is not a finite number")
    if number <= 0:
        # 0 and negatives are placeholders for "no date", not runs in 1970.
        raise UnreadableRecord(f"timestamp {number!r} is not a date")
    # Seconds, milliseconds, microseconds or nanoseconds: told apart by
    # magnitude (10**11 s is year 5138; 10**11 ms is 1973).
    magnitude = abs(number)
    if magnitude < 10**11:
        unit = 1
    elif magnitude < 10**14:
        unit = 1_000
    elif magnitude < 10**17:
        unit = 1_000_000
    else:
        unit = 1_000_000_000
    if isinstance(number, int):
        # Integer arithmetic keeps milliseconds exact.
        return _EPOCH + timedelta(microseconds=number * 1_000_000 // unit)
    return _EPOCH + timedelta(seconds=number / unit)


def _compact_date(text: str) -> datetime | None:
    # 20261123 or 20261123140509 would otherwise read as epoch seconds in 1970.
    match = _COMPACT_DATE.fullmatch(text)
    if match is None:
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    if not 1900 <= parts[0] <= 2200:
        return None
    try:
        return datetime(*parts, tzinfo=UTC)
    except ValueError:
        return None


def _from_text(text: str) -> datetime:
    text = text.strip()
    if not text:
        raise UnreadableRecord("timestamp is empty")
    if _NUMERIC.fullmatch(text):
        if len(text) in (8, 14) and text.isdigit():
            compact = _compact_date(text)
            if compact is not None:
                return compact
        return _from_epoch(float(text) if "." in text else int(text))
    try:
        # ISO 8601 with "T" or " ", "Z" or an offset, any fraction, and the
        # log-style comma before milliseconds ("2026-11-23 14:05:09,123").
        return _aware(datetime.fromisoformat(text))
    except ValueError:
        pass
    # "2026/11/23 14:05:09 UTC", "2026-11-23 14:05:09 +01:00"
    candidate = _SPACED_OFFSET.sub(r"\1", _ZONE_NAME.sub("", text)).replace("/", "-")
    try:
        return _aware(datetime.fromisoformat(candidate))
    except ValueError:
        pass
    try:
        # RFC 2822, as in HTTP headers and mails: "Mon, 23 Nov 2026 14:05:09 GMT"
        return _aware(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    raise UnreadableRecord(f"unreadable timestamp {_shown(text)}")


def parse_timestamp(value) -> datetime:
    """A timezone-aware UTC datetime from any usual timestamp form."""
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, BsonTimestamp):
        return value.as_datetime().astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, bool) or value is None:
        raise UnreadableRecord(f"unreadable timestamp {value!r}")
    try:
        if isinstance(value, (int, float)):
            if isinstance(value, int) and len(str(abs(value))) in (8, 14):
                compact = _compact_date(str(value))
                if compact is not None:
                    return compact
            return _from_epoch(value)
        if isinstance(value, str):
            return _from_text(value)
        if isinstance(value, Mapping) and "$date" in value:
            # MongoDB Extended JSON: {"$date": ...} or {"$date": {"$numberLong": ...}}
            inner = value["$date"]
            if isinstance(inner, Mapping) and "$numberLong" in inner:
                return _from_epoch(int(inner["$numberLong"]))
            return parse_timestamp(inner)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, UnreadableRecord):
            raise
        raise UnreadableRecord(f"timestamp out of range {_shown(value)}") from exc
    raise UnreadableRecord(f"unreadable timestamp of type {type(value).__name__}")


# ---------------------------------------------------------------- fields

def _shown(value) -> str:
    """A short, redacted rendering of a value for an error message."""
    text = redact(repr(value))
    return text if len(text) <= 60 else text[:57] + "..."


def _lookup(doc: Mapping, parts: tuple[str, ...]):
    value = doc
    for part in parts:
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, (list, tuple)) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
        if value is None:
            return None
    return value


def lookup(doc: Mapping, path: str):
    """The value at a dotted path ("job.name", "attempts.1.error"), or None when absent or null."""
    return _lookup(doc, tuple(path.split(".")))


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


# (key, parts): a dotted key is tried as such first (Mongo allows dots in
# keys), then as a path into nested documents; parts is None for plain keys.
_Candidates = tuple[tuple[str, "tuple[str, ...] | None"], ...]


@lru_cache(maxsize=64)
def _paths(mapping: FieldMapping) -> dict[str, _Candidates]:
    """For each field: the mapped path, then the aliases not already mapped."""
    plan = {}
    for field in _FIELDS:
        mapped = getattr(mapping, field)
        keys = [mapped] + [alias for alias in ALIASES[field] if alias != mapped]
        plan[field] = tuple((key, tuple(key.split(".")) if "." in key else None) for key in keys)
    return plan


def _values(doc: Mapping, candidates: _Candidates) -> list:
    """Non-blank values found under the candidate keys, in order."""
    found = []
    for key, parts in candidates:
        value = doc.get(key)
        if value is None and parts is not None:
            value = _lookup(doc, parts)
        if not _is_blank(value):
            found.append(value)
    return found


def _first_value(doc: Mapping, candidates: _Candidates):
    # The common case, answered without building the list of alternatives.
    key, parts = candidates[0]
    value = doc.get(key)
    if parts is None and type(value) is str and value and not value.isspace():
        return value
    return None


def _text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _name(text: str) -> str:
    # Pipeline and tech names repeat across runs, hence the cache.
    text = _SPACES.sub(" ", text).strip()[:MAX_NAME_CHARS].strip()
    return redact(text) if text else UNKNOWN


def _first_name(doc: Mapping, paths) -> str:
    value = _first_value(doc, paths)
    if value is not None:
        name = _name(value[: 4 * MAX_NAME_CHARS])
        if name != UNKNOWN:
            return name
    for value in _values(doc, paths):
        if isinstance(value, Mapping):
            # job: {"name": "daily_sales", "id": 42}
            value = value.get("name")
        if value is None or isinstance(value, (bool, list, tuple, Mapping)):
            continue
        # Cut before caching: a name field holding a whole log must not pin it.
        name = _name(_text(value)[: 4 * MAX_NAME_CHARS])
        if name != UNKNOWN:
            return name
    return UNKNOWN


def _message(doc: Mapping, paths) -> str:
    value = _first_value(doc, paths)
    candidates = (value,) if value is not None else _values(doc, paths)
    for value in candidates:
        if isinstance(value, bool):
            continue  # "error: true" flags a failure, it is not its message
        text = _text(value).strip()
        if not text:
            continue
        if len(text) > MAX_MESSAGE_CHARS:
            text = text[:MAX_MESSAGE_CHARS] + _TRUNCATED
        return redact(text)
    return ""


def _status(doc: Mapping, paths) -> str:
    value = _first_value(doc, paths)
    if value is not None:
        status = _status_from_text(value)
        if status != UNKNOWN:
            return status
    for value in _values(doc, paths):
        status = normalize_status(value)
        if status != UNKNOWN:
            return status
    return UNKNOWN


def _timestamp(doc: Mapping, paths, object_id: ObjectId | None) -> datetime:
    key, parts = paths[0]
    value = doc.get(key)
    if parts is None and type(value) is datetime:
        return _aware(value)
    problem = None
    for value in _values(doc, paths):
        try:
            return parse_timestamp(value)
        except UnreadableRecord as exc:
            problem = problem or exc
    if problem is not None:
        # A date we cannot read is a data problem to count, not to paper over
        # with a guess.
        raise problem
    if object_id is not None:
        # No date at all: the ObjectId was generated when the run was written.
        return object_id.generation_time
    raise UnreadableRecord("document has no timestamp")


def _record_id(doc: Mapping) -> tuple[str, ObjectId | None]:
    """The id as text, and as an ObjectId when it is one (it carries a date)."""
    value = doc.get("_id")
    if _is_blank(value):
        raise UnreadableRecord("document has no _id")
    if isinstance(value, ObjectId):
        return str(value), value
    if isinstance(value, Mapping) and "$oid" in value:
        # Extended JSON export: {"_id": {"$oid": "..."}}
        text = str(value["$oid"])
        return text, ObjectId(text) if ObjectId.is_valid(text) else None
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True), None
    return str(value), None


def normalize(doc: Mapping, mapping: FieldMapping = FieldMapping()) -> Record:
    """One source document as a clean, redacted Record; UnreadableRecord if impossible."""
    if type(doc) is not dict and not isinstance(doc, Mapping):
        raise UnreadableRecord(f"document is a {type(doc).__name__}, not a mapping")
    try:
        paths = _paths(mapping)
        record_id, object_id = _record_id(doc)
        return Record(
            id=record_id,
            pipeline=_first_name(doc, paths["pipeline"]),
            tech=_first_name(doc, paths["tech"]),
            status=_status(doc, paths["status"]),
            timestamp=_timestamp(doc, paths["timestamp"], object_id),
            message=_message(doc, paths["message"]),
        )
    except UnreadableRecord:
        raise
    except Exception as exc:
        # Never let one odd document stop an ingest; the caller counts and skips.
        # The exception text may quote the document, so only its type is kept.
        raise UnreadableRecord(f"unreadable document ({type(exc).__name__})") from exc


def projection(mapping: FieldMapping = FieldMapping()) -> dict[str, int]:
    """MongoDB projection fetching only the fields normalize() may read."""
    fields: dict[str, int] = {"_id": 1}
    for candidates in _paths(mapping).values():
        for key, _parts in candidates:
            # The whole subdocument: normalize() may read more than one leaf of it.
            fields[key.split(".", 1)[0]] = 1
    return fields

