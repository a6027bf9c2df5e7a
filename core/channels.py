"""Per-channel settings: which technologies and pipelines a channel cares about (the default
filter of its questions, digest and alerts), its language and timezone, and whether it is muted.

Kept in the state file beside the index, not in the bot's memory: they survive restarts, and
every bot process (and the CLI) reads the same ones."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .store import key_of
from .strings import t

LANGUAGES = ("auto", "fr", "en")
MAX_NAMES = 20  # a channel that cares about more than this cares about everything
_SPLIT = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class ChannelSettings:
    channel: str
    techs: tuple[str, ...] = ()
    pipelines: tuple[str, ...] = ()
    language: str = "auto"  # "auto": each question's own language; digest and alerts keep the global one
    timezone: str = ""  # IANA name; "": FLOWRAG_TIMEZONE
    muted: bool = False  # no digest and no alerts posted there; questions are still answered
    updated_by: str = ""
    updated_at: str = ""

    @property
    def tz(self) -> ZoneInfo | None:
        return ZoneInfo(self.timezone) if self.timezone else None

    @property
    def names(self) -> tuple[str, ...]:
        """The default filter, as the interpretation line names it."""
        return self.techs + self.pipelines

    def lang(self, default: str) -> str:
        return self.language if self.language in ("fr", "en") else default

    @property
    def is_default(self) -> bool:
        """Nothing set: the same as no settings at all (the row is deleted)."""
        return not (self.techs or self.pipelines or self.timezone or self.muted) and self.language == "auto"


@dataclass(frozen=True)
class Problems:
    """What an admin typed that cannot be kept, per field, in words to show under that field."""

    by_field: dict

    def __bool__(self) -> bool:
        return bool(self.by_field)


def split_names(text: str | None) -> list[str]:
    return [" ".join(x.split()) for x in _SPLIT.split(text or "") if x.strip()]


def validate(channel: str, *, techs: str | None, pipelines: str | None, language: str | None,
             timezone_name: str | None, muted: bool, vocabulary: dict, lang: str = "en",
             ) -> tuple[ChannelSettings | None, Problems]:
    """The settings an admin submitted, with names spelled as the index spells them; or what is
    wrong with them. Names must be known to the index: a typo would silently filter everything out."""
    problems: dict[str, str] = {}
    if not channel or not re.fullmatch(r"[CGD][A-Z0-9]{2,}", channel):
        problems["channel"] = t(lang, "cs_channel")
    found: dict[str, tuple[str, ...]] = {}
    for kind, text in (("tech", techs), ("pipeline", pipelines)):
        known = {key_of(k): v for k, v in (vocabulary.get(kind) or {}).items() if k and k != "unknown"}
        names, unknown = [], []
        for name in split_names(text):
            hit = known.get(key_of(name))
            if hit is None:
                unknown.append(name)
            elif hit not in names:
                names.append(hit)
        field = "techs" if kind == "tech" else "pipelines"
        if unknown:
            problems[field] = _unknown(kind, unknown, list(known.values()), lang)
        elif len(names) > MAX_NAMES:
            problems[field] = t(lang, "cs_too_many", n=MAX_NAMES)
        found[kind] = tuple(names)
    language = (language or "auto").strip().lower()
    if language not in LANGUAGES:
        problems["language"] = t(lang, "cs_language")
    tz_name = (timezone_name or "").strip()
    if tz_name:
        try:
            ZoneInfo(tz_name)
            if "/" not in tz_name and tz_name not in ("UTC", "GMT"):
                raise ValueError  # "CET", "EST": zoneinfo knows them, but they are not what people mean
        except (ZoneInfoNotFoundError, ValueError):
            problems["timezone"] = t(lang, "cs_timezone", tz=tz_name)
    if problems:
        return None, Problems(problems)
    return ChannelSettings(channel=channel, techs=found["tech"], pipelines=found["pipeline"], language=language,
                           timezone=tz_name, muted=bool(muted)), Problems({})


def _unknown(kind: str, unknown: list[str], known: list[str], lang: str) -> str:
    from rapidfuzz import process

    what = t(lang, f"cs_unknown_{kind}" + ("1" if len(unknown) == 1 else ""))
    out = t(lang, "cs_unknown", what=what, names=", ".join(unknown))
    close = [m[0] for m in process.extract(unknown[0], known, limit=2, score_cutoff=70)] if known else []
    if close:
        out += t(lang, "cs_did_you_mean", names=t(lang, "cs_or").join(close))
    elif not known:
        out += t(lang, "cs_empty_index")
    return out[:2000]


class ChannelStore:
    """Rows of the state file's `channel_settings` table (see core/state.py for its migration)."""

    def __init__(self, state):
        self.state = state

    def get(self, channel: str | None) -> ChannelSettings | None:
        if not channel:
            return None
        rows = self.state.query("SELECT channel, settings, updated_by, updated_at FROM channel_settings "
                                "WHERE channel=?", (channel,))
        return _row(rows[0]) if rows else None

    def all(self) -> list[ChannelSettings]:
        rows = self.state.query("SELECT channel, settings, updated_by, updated_at FROM channel_settings "
                                "ORDER BY channel")
        return [s for s in map(_row, rows) if s is not None]

    def save(self, s: ChannelSettings, by: str = "") -> ChannelSettings:
        if s.is_default:
            self.state.execute("DELETE FROM channel_settings WHERE channel=?", (s.channel,))
            return s
        s = replace(s, updated_by=by, updated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        body = {"techs": list(s.techs), "pipelines": list(s.pipelines), "language": s.language,
                "timezone": s.timezone, "muted": s.muted}
        self.state.execute("INSERT OR REPLACE INTO channel_settings VALUES (?, ?, ?, ?)",
                           (s.channel, json.dumps(body, ensure_ascii=False), by, s.updated_at))
        return s


def _row(row) -> ChannelSettings | None:
    channel, body, by, at = row
    try:
        d = json.loads(body)
        strs = lambda k: tuple(str(x) for x in d.get(k) or ())  # noqa: E731
        tz = str(d.get("timezone") or "")
        try:
            tz and ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            tz = ""  # a zone this machine's tzdata does not know: FLOWRAG_TIMEZONE, not a crash
        return ChannelSettings(channel=channel, techs=strs("techs"), pipelines=strs("pipelines"),
                               language=d.get("language") if d.get("language") in LANGUAGES else "auto",
                               timezone=tz, muted=bool(d.get("muted")), updated_by=by or "", updated_at=at or "")
    except (ValueError, TypeError, AttributeError):
        return None
