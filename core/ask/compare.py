"""Like-for-like comparisons: "this week vs last week" on a Friday afternoon compares Monday 00:00 →
Friday 13:19 with the same span of last week, not 4.5 days with 7. The reader marks such a query
`same_span` (the period asked about is still running and the other is as long); the executor cuts
both windows to the elapsed part; the answer says which span it compared. "the whole of last
week" / « toute la semaine dernière » asks for the whole previous period, as before."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..strings import WEEKDAYS_SHORT
from .query import Window

# "vs the whole of last week", « par rapport à toute la semaine dernière »: the words, articles
# included, so that what is left before the period still reads as a comparison cue
WHOLE = re.compile(r"\b(?:(?:the )?(?:whole|entire|full|complete)(?: of)?|all of|toute?s?|(?:en )?entier\w*"
                   r"|complete?s?|in full)\b\s*")
SLACK = timedelta(hours=2)  # a DST week or day is an hour longer or shorter: still "as long"


def wants_same_span(window: Window | None, compare: Window | None, now: datetime, text: str) -> bool:
    """A comparison of the period in progress with one as long, and no word asking for the whole."""
    if window is None or compare is None or WHOLE.search(text):
        return False
    if not (window.start <= now < window.end) or compare.end > window.start:
        return False
    return abs((window.end - window.start) - (compare.end - compare.start)) <= SLACK


def cut(window: Window, compare: Window, now: datetime, tz: ZoneInfo) -> tuple[Window, Window]:
    """Both windows cut to the part of the first that has elapsed, in wall-clock time (so that
    Monday 00:00 → Friday 13:19 stays so across a DST change)."""
    if now >= window.end:
        return window, compare
    elapsed = _wall(now, tz) - _wall(window.start, tz)
    end = (_wall(compare.start, tz) + elapsed).replace(tzinfo=tz).astimezone(timezone.utc)
    return Window(window.start, now, window.label), Window(compare.start, min(end, compare.end), compare.label)


def span_text(window: Window, now: datetime, tz: ZoneInfo, lang: str) -> str:
    """"Mon 00:00 → Fri 13:19", « lun. 00:00 → ven. 13:19 », "00:00 → 13:19": the elapsed span."""
    end = min(now, window.end)
    days = (window.end - window.start).total_seconds() / 86400
    a, b = window.start.astimezone(tz), end.astimezone(tz)
    if days <= 1.1:
        return f"{a:%H:%M} → {b:%H:%M}"
    if days <= 7.1:
        names = WEEKDAYS_SHORT[lang if lang in WEEKDAYS_SHORT else "en"]
        return f"{names[a.weekday()]} {a:%H:%M} → {names[b.weekday()]} {b:%H:%M}"
    return f"{a:%m-%d %H:%M} → {b:%m-%d %H:%M}"


def _wall(dt: datetime, tz: ZoneInfo) -> datetime:
    return dt.astimezone(tz).replace(tzinfo=None)
