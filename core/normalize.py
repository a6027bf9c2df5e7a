"""Turn one raw MongoDB document into a Record, whatever shape it arrived in.

Sources disagree on field names, types, status words and timestamp formats;
everything after ingest relies on Record being clean, UTC and redacted, so
all of that is settled here, once.
"""
from __future__ import annotations

import base64
import json
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from bson import ObjectId, json_util
from bson.binary import Binary
from bson.datetime_ms import DatetimeMS
from bson.decimal128 import Decimal128
from bson.timestamp import Timestamp as BsonTimestamp

from . import durations
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

# Runs dated outside [EARLIEST, now + AHEAD] are data errors (9999-12-31 placeholders, epoch 0,
# a clock in the wrong century): they are skipped and counted, never stored.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
AHEAD = timedelta(days=1)


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
    duration: str = "duration_s"  # seconds; else end − start fields (core/durations.py)
    # IANA zone of timestamps that carry none: BSON dates (pymongo gives them naive) and text
    # such as "2026-11-23 14:05:09". Numbers (epochs) are UTC by definition.
    source_timezone: str = "UTC"

    @classmethod
    def from_settings(cls, settings) -> "FieldMapping":
        return cls(pipeline=settings.field_pipeline, tech=settings.field_tech, status=settings.field_status,
                   message=settings.field_message, timestamp=settings.field_timestamp,
                   duration=getattr(settings, "field_duration", "duration_s") or "duration_s",
                   source_timezone=getattr(settings, "source_timezone", "UTC") or "UTC")


class UnreadableRecord(ValueError):
    """The document cannot become a Record; the message says why.

    `reason` is a short key the ingest counts by; normalize() sets `record_id` (the document's
    id as a Record id, when it could be read) and `value` (what was wrong, shown and redacted)."""

    reason = "unreadable"

    def __init__(self, message: str = "", *, reason: str | None = None, value: str = ""):
        super().__init__(message)
        if reason:
            self.reason = reason
        self.value = value
        self.record_id: str | None = None


class TimestampOutOfRange(UnreadableRecord):
    """The timestamp reads, but as a date no run can have (before 2000, or ahead of the clock)."""

    reason = "out_of_range"


# reason -> what the document has, for summaries and `flowrag doctor` ("3 documents with …")
SKIP_REASONS = {
    "out_of_range": "a timestamp out of range (before 2000-01-01 or more than a day ahead)",
    "unreadable_timestamp": "no readable timestamp",
    "no_id": "no _id",
    "not_a_document": "a value that is not a document",
    "unreadable": "a shape that cannot be read",
}


# Tried, in order, when the mapped field is absent, None or blank.
ALIASES: dict[str, tuple[str, ...]] = {
    "pipeline": ("pipeline_name", "pipeline", "job", "job_name", "flow", "flow_name", "dag_id"),
    # a nested job names its technology beside its name: {"job": {"name": "orders", "tech": "Spark"}}
    "tech": ("tech", "technology", "engine", "platform", "tool", "job.tech", "job.technology", "pipeline.tech",
             "flow.tech"),
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


@lru_cache(maxsize=16)
def source_zone(name: str) -> tzinfo:
    """The zone naive timestamps are read in (FLOWRAG_SOURCE_TIMEZONE)."""
    return UTC if name in ("", "UTC", "Etc/UTC", "utc") else ZoneInfo(name)


def _aware(value: datetime, tz: tzinfo = UTC) -> datetime:
    # pymongo returns BSON dates as naive datetimes; zone-less text parses naive too. Both are
    # wall-clock time in the source's zone (UTC unless FLOWRAG_SOURCE_TIMEZONE says otherwise).
    if value.tzinfo is None:
        if tz is UTC:
            return value.replace(tzinfo=UTC)
        value = value.replace(tzinfo=tz)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 0001-01-01 in a zone east of UTC, 9999-12-31 west of it
        shown = value.isoformat()
        raise TimestampOutOfRange(f"timestamp out of range {shown}", value=shown) from None


def _from_epoch(number: float | int) -> datetime:
    if isinstance(number, float) and not math.isfinite(number):
        raise UnreadableRecord("timestamp is not a finite number", reason="unreadable_timestamp",
                               value=repr(number))
    if number <= 0:
        # 0 and negatives are placeholders for "no date", not runs in 1970.
        raise UnreadableRecord(f"timestamp {number!r} is not a date", reason="unreadable_timestamp",
                               value=repr(number))
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


def _compact_date(text: str, tz: tzinfo = UTC) -> datetime | None:
    # 20261123 or 20261123140509 would otherwise read as epoch seconds in 1970.
    match = _COMPACT_DATE.fullmatch(text)
    if match is None:
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    if not 1900 <= parts[0] <= 2200:
        return None
    try:
        return _aware(datetime(*parts), tz)
    except ValueError:
        return None


def _unreadable(what) -> UnreadableRecord:
    shown = _shown(what)
    return UnreadableRecord(f"unreadable timestamp {shown}", reason="unreadable_timestamp", value=shown)


def _from_text(text: str, tz: tzinfo = UTC) -> datetime:
    text = text.strip()
    if not text:
        raise UnreadableRecord("timestamp is empty", reason="unreadable_timestamp")
    if _NUMERIC.fullmatch(text):
        if len(text) in (8, 14) and text.isdigit():
            compact = _compact_date(text, tz)
            if compact is not None:
                return compact
        return _from_epoch(float(text) if "." in text else int(text))
    # (parsing is tried, the zone applied after: a date out of range is not an unreadable one)
    try:
        # ISO 8601 with "T" or " ", "Z" or an offset, any fraction, and the
        # log-style comma before milliseconds ("2026-11-23 14:05:09,123").
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return _aware(parsed, tz)
    # "2026/11/23 14:05:09 UTC", "2026-11-23 14:05:09 +01:00"
    named = _ZONE_NAME.search(text) is not None
    candidate = _SPACED_OFFSET.sub(r"\1", _ZONE_NAME.sub("", text)).replace("/", "-")
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        pass
    else:
        # a zone name that was cut off said UTC: it is not a zone-less time
        return _aware(parsed, UTC if named else tz)
    try:
        # RFC 2822, as in HTTP headers and mails: "Mon, 23 Nov 2026 14:05:09 GMT"
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    else:
        return _aware(parsed, tz)
    raise _unreadable(text)


def parse_timestamp(value, tz: tzinfo | str = UTC) -> datetime:
    """A timezone-aware UTC datetime from any usual timestamp form. `tz`: the zone of values
    that carry none (naive datetimes, zone-less text, bare dates); epochs are UTC.

    Raises UnreadableRecord, or TimestampOutOfRange for a date Python cannot hold."""
    if isinstance(tz, str):
        tz = source_zone(tz)
    if isinstance(value, datetime):
        return _aware(value, tz)
    if isinstance(value, BsonTimestamp):
        return value.as_datetime().astimezone(UTC)
    if isinstance(value, DatetimeMS):
        # a BSON date outside Python's years 1-9999 (read with datetime_conversion=DATETIME_AUTO)
        raise TimestampOutOfRange(f"timestamp out of range ({int(value)} ms since 1970)",
                                  value=f"{int(value)} ms since 1970")
    if isinstance(value, date):
        return _aware(datetime(value.year, value.month, value.day), tz)
    if isinstance(value, bool) or value is None:
        raise _unreadable(value)
    try:
        if isinstance(value, (int, float)):
            if isinstance(value, int) and len(str(abs(value))) in (8, 14):
                compact = _compact_date(str(value), tz)
                if compact is not None:
                    return compact
            return _from_epoch(value)
        if isinstance(value, str):
            return _from_text(value, tz)
        if isinstance(value, Mapping) and "$date" in value:
            # MongoDB Extended JSON: {"$date": ...} or {"$date": {"$numberLong": ...}}
            inner = value["$date"]
            if isinstance(inner, Mapping) and "$numberLong" in inner:
                return _from_epoch(int(inner["$numberLong"]))
            return parse_timestamp(inner, tz)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, UnreadableRecord):
            if exc.reason == "unreadable":
                exc.reason = "unreadable_timestamp"
            raise
        shown = _shown(value)
        raise TimestampOutOfRange(f"timestamp out of range {shown}", value=shown) from exc
    raise UnreadableRecord(f"unreadable timestamp of type {type(value).__name__}", reason="unreadable_timestamp",
                           value=_shown(value))


def in_range(ts: datetime, now: datetime) -> bool:
    """Whether a run can be dated `ts`: from 2000-01-01 to a day after `now`."""
    return EARLIEST <= ts <= now + AHEAD


def _out_of_range(ts: datetime) -> TimestampOutOfRange:
    shown = ts.isoformat().replace("+00:00", "Z")
    return TimestampOutOfRange(f"timestamp {shown} is out of range (before 2000-01-01 or more than a day ahead)",
                               value=shown)


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


def _binary(value: bytes) -> str:
    return f"<binary {len(value)} bytes>"


def _json_default(value) -> str:
    if isinstance(value, bytes):
        return _binary(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        # bytes and BSON Binary: their content is not text; say what is there
        return _binary(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
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
        if value is None or isinstance(value, (bool, bytes, list, tuple, Mapping)):
            continue  # a flag, a blob or a structure is not a name
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


def _timestamp(doc: Mapping, paths, object_id: ObjectId | None, tz: tzinfo, now: datetime) -> datetime:
    latest = now + AHEAD
    key, parts = paths[0]
    value = doc.get(key)
    if parts is None and type(value) is datetime and (tz is UTC or EARLIEST.year < value.year < 9999):
        ts = _aware(value, tz)
        if EARLIEST <= ts <= latest:
            return ts
    problem = None
    for value in _values(doc, paths):
        try:
            ts = parse_timestamp(value, tz)
        except UnreadableRecord as exc:
            problem = problem or exc
            continue
        if EARLIEST <= ts <= latest:
            return ts
        # an alias may still hold the real date (the mapped field a placeholder)
        problem = problem or _out_of_range(ts)
    if problem is not None:
        # A date we cannot read is a data problem to count, not to paper over
        # with a guess.
        raise problem
    if object_id is not None:
        # No date at all: the ObjectId was generated when the run was written.
        ts = object_id.generation_time
        if EARLIEST <= ts <= latest:
            return ts
        raise _out_of_range(ts)
    raise UnreadableRecord("document has no timestamp", reason="unreadable_timestamp")


# ---------------------------------------------------------------- ids
#
# Record.id is text (the record store's primary key) but `_id`s are typed: 777, "777",
# ObjectId(x) and "x" are four documents. ObjectIds stay their plain hex (as in every index
# built so far), plain strings stay themselves, and every other type is written `<tag>:<value>`;
# a string that could be read as one of those forms (24 lowercase hex digits, a leading tag, or
# blank) is written `str:<string>`. The mapping is one-to-one and decode_id() reverses it.

_OID_HEX = re.compile(r"[0-9a-f]{24}")
ID_TAGS = ("str", "int", "double", "decimal", "bool", "date", "uuid", "bin", "doc", "ejson")
_TAGGED = tuple(f"{tag}:" for tag in ID_TAGS)
_EJSON = json_util.JSONOptions(json_mode=json_util.JSONMode.RELAXED, tz_aware=False)


def _ejson(value) -> str:
    return json_util.dumps(value, json_options=_EJSON, ensure_ascii=False)


def _date_text(value: datetime) -> str:
    value = _aware(value)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{value.microsecond // 1000:03d}Z" if value.microsecond else "Z")


def encode_id(value) -> tuple[str, ObjectId | None]:
    """A `_id` as Record id text, and as an ObjectId when it is one (it carries a date)."""
    kind = type(value)
    if kind is ObjectId:
        return str(value), value
    if kind is str:
        if not value.strip() or value.startswith(_TAGGED) or _OID_HEX.fullmatch(value):
            return "str:" + value, None
        return value, None
    if value is None:
        raise UnreadableRecord("document has no _id", reason="no_id")
    if isinstance(value, bool):
        return f"bool:{'true' if value else 'false'}", None
    if isinstance(value, int):  # int32 and Int64 (numerically equal ids are one document in MongoDB)
        return f"int:{int(value)}", None
    if isinstance(value, float):
        return f"double:{value!r}", None
    if isinstance(value, Decimal128):
        return f"decimal:{value}", None
    if isinstance(value, datetime):
        return f"date:{_date_text(value)}", None
    if isinstance(value, uuid.UUID):
        return f"uuid:{value}", None
    if isinstance(value, bytes):
        subtype = value.subtype if isinstance(value, Binary) else 0
        if subtype == 4 and len(value) == 16:
            return f"uuid:{uuid.UUID(bytes=bytes(value))}", None
        return f"bin:{subtype}:{base64.b64encode(bytes(value)).decode()}", None
    if isinstance(value, ObjectId):
        return str(value), value
    if isinstance(value, Mapping):
        if len(value) == 1 and "$oid" in value and ObjectId.is_valid(str(value["$oid"])):
            # Extended JSON export: {"_id": {"$oid": "..."}}
            oid = ObjectId(str(value["$oid"]))
            return str(oid), oid
        # key order kept: {a: 1, b: 2} and {b: 2, a: 1} are two _ids in MongoDB
        return "doc:" + _ejson(value), None
    # Timestamp, Code (a str subclass, yet its own BSON type), Regex, MinKey, out-of-range dates…
    return "ejson:" + _ejson(value), None


def decode_id(record_id: str):
    """The `_id` value a Record id stands for (the inverse of encode_id)."""
    if _OID_HEX.fullmatch(record_id):
        return ObjectId(record_id)
    tag, sep, rest = record_id.partition(":")
    if not sep or tag not in ID_TAGS:
        return record_id
    if tag == "str":
        return rest
    if tag == "int":
        return int(rest)
    if tag == "double":
        return float(rest)
    if tag == "decimal":
        return Decimal128(rest)
    if tag == "bool":
        return rest == "true"
    if tag == "date":
        return datetime.fromisoformat(rest.replace("Z", "+00:00")).replace(tzinfo=None)
    if tag == "uuid":
        return Binary.from_uuid(uuid.UUID(rest))
    if tag == "bin":
        subtype, _, data = rest.partition(":")
        raw = base64.b64decode(data)
        return raw if subtype == "0" else Binary(raw, int(subtype))
    return json_util.loads(rest, json_options=_EJSON)  # doc: and ejson:


def shell_filter(record_id: str) -> str:
    """How to find the document in mongosh: {_id: 777}, {_id: "777"}, {_id: ObjectId("…")}."""
    if _OID_HEX.fullmatch(record_id):
        return f'{{_id: ObjectId("{record_id}")}}'
    tag, sep, rest = record_id.partition(":")
    if not sep or tag not in ID_TAGS:
        return "{_id: " + json.dumps(record_id, ensure_ascii=False) + "}"
    if tag == "str":
        return "{_id: " + json.dumps(rest, ensure_ascii=False) + "}"
    if tag in ("int", "bool"):
        return f"{{_id: {rest}}}"
    if tag == "double":
        shown = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(rest, rest)
        return f"{{_id: {shown}}}"
    if tag == "decimal":
        return f'{{_id: NumberDecimal("{rest}")}}'
    if tag == "date":
        return f'{{_id: ISODate("{rest}")}}'
    if tag == "uuid":
        return f'{{_id: UUID("{rest}")}}'
    if tag == "bin":
        subtype, _, data = rest.partition(":")
        return f'{{_id: BinData({subtype}, "{data}")}}'
    return f"{{_id: EJSON.parse({json.dumps(rest, ensure_ascii=False)})}}"


def normalize(doc: Mapping, mapping: FieldMapping = FieldMapping(), *, now: datetime | None = None) -> Record:
    """One source document as a clean, redacted Record; UnreadableRecord if impossible.

    `now` is the clock timestamps are checked against (default: this machine's): a run dated
    before 2000 or more than a day after it raises TimestampOutOfRange."""
    if type(doc) is not dict and not isinstance(doc, Mapping):
        raise UnreadableRecord(f"document is a {type(doc).__name__}, not a mapping", reason="not_a_document")
    record_id = None
    try:
        paths = _paths(mapping)
        record_id, object_id = encode_id(doc.get("_id"))
        return Record(
            id=record_id,
            pipeline=_first_name(doc, paths["pipeline"]),
            tech=_first_name(doc, paths["tech"]),
            status=_status(doc, paths["status"]),
            timestamp=_timestamp(doc, paths["timestamp"], object_id, source_zone(mapping.source_timezone),
                                 now or datetime.now(UTC)),
            message=_message(doc, paths["message"]),
            duration_s=durations.duration_of(lambda path: lookup(doc, path), lambda path: _time_at(doc, path),
                                             mapping.duration),
        )
    except UnreadableRecord as exc:
        exc.record_id = record_id
        raise
    except Exception as exc:
        # Never let one odd document stop an ingest; the caller counts and skips.
        # The exception text may quote the document, so only its type is kept.
        err = UnreadableRecord(f"unreadable document ({type(exc).__name__})")
        err.record_id = record_id
        raise err from exc


def _time_at(doc: Mapping, path: str) -> datetime | None:
    """A start or end time for a duration: None when absent or unreadable (the run then has none)."""
    value = lookup(doc, path)
    if value is None:
        return None
    try:
        return parse_timestamp(value).astimezone(UTC)
    except (UnreadableRecord, ValueError, TypeError, OverflowError):
        return None


def projection(mapping: FieldMapping = FieldMapping()) -> dict[str, int]:
    """MongoDB projection fetching only the fields normalize() may read."""
    fields: dict[str, int] = {"_id": 1}
    for candidates in _paths(mapping).values():
        for key, _parts in candidates:
            # The whole subdocument: normalize() may read more than one leaf of it.
            fields[key.split(".", 1)[0]] = 1
    for key in durations.fields(mapping.duration):
        fields[key.split(".", 1)[0]] = 1
    return fields

