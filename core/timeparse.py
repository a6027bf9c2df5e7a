"""Time expressions in a question (French or English) -> half-open UTC ranges.

Calendar arithmetic happens in the caller's IANA zone: a "day" runs from one
local midnight to the next, so DST-switch days are 23 or 25 hours long.

Two kinds of expression are read: days ("hier", "le 20/11", "last week") and
times of day ("ce matin", "avant 10h", "between 2am and 6am"). A time of day
next to a single day applies to that day ("hier matin", "on 2026-11-20 after
18:00"); alone, it picks its own day (today, or yesterday if it has not begun).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, NamedTuple
from zoneinfo import ZoneInfo

from core.models import Window
from core.strings import t
from core.text import fold

UTC = timezone.utc

# one char in, one char out: match offsets in the folded text also index the original (labels)
_fold = fold


@dataclass(frozen=True)
class TimeMatch:
    """One time expression: its range, and where it sits in the original text
    (range.label == text[start:end])."""

    range: Window
    start: int
    end: int


_MONTHS = {
    name: i
    for i, names in enumerate((
        "january jan janvier janv", "february feb fevrier fevr fev", "march mar mars",
        "april apr avril avr", "may mai", "june jun juin", "july jul juillet juil",
        "august aug aout", "september sept sep septembre", "october oct octobre",
        "november nov novembre", "december dec decembre"), start=1)
    for name in names.split()
}
_WEEKDAYS = {
    name: i
    for i, names in enumerate(("monday lundi", "tuesday mardi", "wednesday mercredi",
                               "thursday jeudi", "friday vendredi", "saturday samedi",
                               "sunday dimanche"))
    for name in names.split()
}
_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBERS |= {w: i for i, w in enumerate(
    "zero un deux trois quatre cinq six sept huit neuf dix onze douze".split())}
_NUMBERS |= {"une": 1, "fourteen": 14, "fifteen": 15, "thirty": 30,
             "quatorze": 14, "quinze": 15, "trente": 30}
# Runs are recent: a year outside this is a typo or an id ("9999-12-31"), not a date to search.
_YEARS = range(2000, 2101)


def _alt(words) -> str:
    # Longest first so an alternation never settles on a prefix ("mar" in "mars").
    return "|".join(sorted(words, key=len, reverse=True))


_NUM = rf"(?P<n>\d{{1,4}}|{_alt(_NUMBERS)})"
_MON = rf"(?P<mon>{_alt(_MONTHS)})\b\.?"
_WD = rf"(?P<wd>{_alt(_WEEKDAYS)})"
_WD2 = rf"(?P<wd2>{_alt(_WEEKDAYS)})"
# A day is not the hour of "avril 8h30" or "May 8am".
_DAY = r"(?P<d>[0-3]?\d)(?!\d|:\d|\s?h(?:\d|\b)|\s?[ap]\.?m\b)"
# Most complete form first: inside a range an alternation takes the first that fits.
_DATE_FORMS = (
    r"(?P<y>\d{4})-(?P<m>[01]?\d)-" + _DAY,
    _DAY + r"[/.-](?P<m>[01]?\d)[/.-](?P<y>\d{4})(?!\d)",
    # Two-digit years only with slashes: "1.2.10" is a version, not 1 February 2010.
    _DAY + r"/(?P<m>[01]?\d)/(?P<y>\d{2})(?!\d)",
    _DAY + r"(?:er|st|nd|rd|th|e)?\s+(?:of\s+)?" + _MON + r"(?:,?\s+(?P<y>\d{4}))?",
    _MON + r"\s+" + _DAY + r"(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?",
    _DAY + r"/(?P<m>[01]?\d)(?!\d)",
)
_BARE_DAY = _DAY + r"(?:er|st|nd|rd|th|e)?"
# Keeps "04/2026" out of "29/04/2026" and a version like "1.2.3" from reading as a date.
_BEFORE, _AFTER = r"(?<![\w/.-])", r"(?![\d/]|[.-]\d)"


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_ANY_DATE = "(?:" + "|".join(map(_unnamed, _DATE_FORMS)) + ")"
_ENDPOINT = f"(?:{_ANY_DATE}|{_unnamed(_BARE_DAY)})"
_RANGE = (rf"\b(?:between|entre|from|du)\s+(?:(?:the|le)\s+)?(?P<a>{_ENDPOINT})"
          r"(?:\s*-\s*|\s+(?:and|et|to|au|until|till|through|thru|jusqu'au|a)\s+)"
          rf"(?:(?:the|le)\s+)?(?P<b>{_ENDPOINT}){_AFTER}")
_SINCE = re.compile(r"\b(?:since|depuis)\s+(?:(?:the|le|la|l')\s*)?$")

# An hour of the day. Each form stops where its word does: no "8h" in "8hours", no "8am" in "8amis".
_HOUR_FORMS = (
    r"(?P<h>\d{1,2})(?::(?P<mi>\d{2}))?\s?(?P<ap>[ap])\.?m\.?(?!\w)",  # 8am, 8 pm, 8:30 a.m.
    r"(?P<h>\d{1,2})\s?h(?P<mi>\d{2})?"  # 8h, 8 h, 14h30, 6h du matin
    r"(?:\s+(?P<fr>du\s+matin|du\s+soir|de\s+l'apres[-\s]?midi))?(?![\w:])",
    r"(?P<h>\d{1,2})\s+heures?(?:\s+(?P<mi>\d{2}))?(?![\w:])",  # 10 heures
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?![\w:])",  # 08:00
    r"(?P<w>midi|noon|minuit|midnight)\b",
)
_WORD_HOURS = {"midi": 720, "noon": 720, "minuit": 0, "midnight": 0}
_H = "(?:" + "|".join(map(_unnamed, _HOUR_FORMS)) + ")"
# In a range one end may be a bare number that takes the other's clock: "from 2 to 6am".
_H_END = rf"(?:{_H}|\d{{1,2}}(?![\w:]))"
_HA, _HB = rf"(?P<a>{_H_END})", rf"(?P<b>{_H_END})"


class _Ctx(NamedTuple):
    now: datetime  # UTC
    tz: ZoneInfo
    today: date  # local


class _Clock(NamedTuple):
    """A time-of-day window on a day D not chosen yet, in minutes after local midnight."""

    a: int  # start, on day D + shift
    b: int | None  # end, on the same day (the next one if b <= a); None: until now ("depuis 8h")
    shift: int = 0  # a night "of D" starts the evening before: -1
    # With no day named: "today"; "past" = today if the window has begun, else yesterday; None = needs a day.
    alone: str | None = "past"
    fixed: bool = False  # names its own day ("ce matin", "last night"), so takes no other
    point: bool = False  # a bare hour ("18h"): a start only after "since <day>"


def _midnight(d: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time(), tzinfo=tz).astimezone(UTC)


def _at(d: date, minutes: int, tz: ZoneInfo) -> datetime:
    """Local wall-clock time on day d (1440 = the next midnight). A time skipped by
    a DST jump reads with the offset before it, so 02:30 on a spring-forward day is 03:30."""
    d += timedelta(days=minutes // 1440)
    return datetime.combine(d, time(minutes % 1440 // 60, minutes % 60), tzinfo=tz).astimezone(UTC)


def _on_day(k: _Clock, d: date, c: _Ctx) -> tuple[datetime, datetime] | None:
    first = d + timedelta(days=k.shift)
    start = _at(first, k.a, c.tz)
    if k.b is None:
        return (start, c.now) if start < c.now else None
    end = _at(first, k.b + (1440 if k.b <= k.a else 0), c.tz)
    return (start, end) if start < end else None  # 02:00-03:00 on a spring-forward day never happened


def _alone(k: _Clock, c: _Ctx) -> tuple[datetime, datetime] | None:
    if k.alone is None:
        return None
    d = c.today
    if k.alone == "past" and _at(d + timedelta(days=k.shift), k.a, c.tz) > c.now:
        d -= timedelta(days=1)  # "entre 22h et 2h" asked in the morning: last night's
    return _on_day(k, d, c)


def _days(c: _Ctx, first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """Local days first..last inclusive."""
    return _midnight(first, c.tz), _midnight((last or first) + timedelta(days=1), c.tz)


def _month_start(d: date, delta: int = 0) -> date:
    k = d.year * 12 + d.month - 1 + delta
    return date(k // 12, k % 12 + 1, 1)


def _number(m: re.Match) -> int:
    n = m.group("n")
    return 1 if n is None else int(n) if n.isdigit() else _NUMBERS[n]


def _year(y: str | None) -> int | None:
    if y is None:
        return None
    year = int(y) + (2000 if len(y) == 2 else 0)
    if year not in _YEARS:
        raise ValueError(f"year {year} out of range")
    return year


def _date_parts(s: str) -> tuple[int | None, int | None, int] | None:
    for rx in _DATE_FULL:
        if m := rx.fullmatch(s):
            g = m.groupdict()
            month = _MONTHS[g["mon"]] if g.get("mon") else int(g["m"])
            return _year(g.get("y")), month, int(g["d"])
    if m := _BARE_DAY_RX.fullmatch(s):
        return None, None, int(m.group("d"))
    return None


def _latest_past(month: int, day: int, today: date) -> date:
    """A date given without a year is the latest one not after today."""
    d = date(today.year, month, day)
    return d if d <= today else date(today.year - 1, month, day)


# English "may" is the modal verb when a word that is not a date's follows: "may 5 jobs fail?",
# "which 5 may fail". A cue before it ("on May 5"), a year or an ordinal makes it the month.
_MAY_CUE = re.compile(r"\b(?:on|in|of|since|until|before|after|from|between|by|the)\s+$")
_MAY_NEXT = re.compile(r"[\s,]*(?P<w>[a-z]+)")
_MAY_NEXT_OK = {"at", "and", "or", "to", "until", "from", "between", "before", "after", "in", "on", "vs",
                "versus", "compared", "morning", "afternoon", "evening", "night", "overnight"}


def _modal_may(m: re.Match) -> bool:
    g = m.groupdict()
    if g.get("mon") != "may" or g.get("y") or re.search(r"\d(?:st|nd|rd|th)", m.group(0)):
        return False
    if _MAY_CUE.search(m.string, 0, m.start()):
        return False
    nxt = _MAY_NEXT.match(m.string, m.end())
    return bool(nxt) and nxt.group("w") not in _MAY_NEXT_OK


def _on_date(m, c):
    if _modal_may(m):
        return None
    y, mo, d = _date_parts(m.group(0))
    return _days(c, date(y, mo, d) if y else _latest_past(mo, d, c.today))


# A bare "d/m" is a date only where a date is expected: after a cue ("le 3/5", "since 3/5"), or
# closing the question after a noun ("failures 3/5?"), or before a time of day. Elsewhere it
# counts things: "Why did 3/5 jobs fail?", "3/5 des jobs".
_DATE_CUE = re.compile(r"\b(?:le|du|au|on|the|since|depuis|until|before|after|avant|apres|entre|between"
                       r"|from|jusqu'au)\s+$")
_DM_TAIL = re.compile(r"\s*[?!.]*\s*$|\s+(?:avant|apres|before|after|between|entre|from|at|matin|soir|morning"
                      r"|afternoon|evening|night|nuit)\b")
_PREV_WORD = re.compile(r"([a-z']+)[\s,:;-]*$")
_FRACTION_WORDS = {"ratio", "score", "rate", "taux", "note", "sur", "only", "seulement", "just", "que"}


def _day_month_expected(s: str, start: int, end: int) -> bool:
    if _DATE_CUE.search(s, 0, start):
        return True
    if not _DM_TAIL.match(s, end):
        return False
    if not s[:start].strip():
        return True
    prev = _PREV_WORD.search(s, 0, start)
    return bool(prev) and prev.group(1) not in _FRACTION_WORDS


def _day_month(m, c):
    return _on_date(m, c) if _day_month_expected(m.string, m.start(), m.end()) else None


# Bare days on both ends ("du 20 au 23", "between the 20th and the 25th") need "du", an
# article or an ordinal: "between 2 and 6 failures" counts failures.
_BARE_RANGE_OK = re.compile(r"^du\b|\b(?:the|le)\s+\d|\d(?:er|st|nd|rd|th|e)\b")


def _between(m, c):
    (ya, ma, da), (yb, mb, db) = _date_parts(m.group("a")), _date_parts(m.group("b"))
    if ma is None and mb is None:
        if not _BARE_RANGE_OK.search(m.group(0)) or da > db:
            return None
        # This month, or the last one if its first day named is still ahead.
        first = c.today.replace(day=1) if da <= c.today.day else _month_start(c.today, -1)
        return _days(c, first.replace(day=da), first.replace(day=db))
    # "du 1 au 3 avril": a bare day borrows month and year from the other end.
    ma, mb, ya, yb = ma or mb, mb or ma, ya or yb, yb or ya
    if ya is None:
        ya = _latest_past(ma, da, c.today).year
        # A later month named first rolls over a year ("du 28 décembre au 3 janvier");
        # "du 5 au 3 avril" is reversed, not a year long.
        yb = ya + 1 if mb < ma else ya
    first, last = date(ya, ma, da), date(yb, mb, db)
    return _days(c, first, last) if first <= last else None


def _weekday_date(m, c, on_or_before=False) -> date:
    back = (c.today.weekday() - _WEEKDAYS[m.group("wd")]) % 7
    return c.today - timedelta(days=back or (0 if on_or_before else 7))


def _weekday(m, c, on_or_before=False):
    return _days(c, _weekday_date(m, c, on_or_before))


def _bare_weekday(fn, m) -> bool:
    return fn is _weekday and not (m.group("pre") or m.group("post"))


def _last_days(m, c):
    n = _number(m) * (7 if m.group("u").startswith(("w", "s")) else 1)
    return _days(c, c.today - timedelta(days=n - 1), c.today) if n > 0 else None


def _previous_days(m, c):
    n = _number(m) * (7 if m.group("u").startswith(("w", "s")) else 1)
    return _days(c, c.today - timedelta(days=2 * n - 1), c.today - timedelta(days=n)) if n > 0 else None


def _ago(m, c):
    """"3 days ago", « il y a deux semaines »: that day, that calendar week, that month."""
    n = 1 if m.group("n") in ("a", "an") else _number(m)
    unit = m.group("u")
    if n <= 0 or n > 400:
        return None
    if unit.startswith(("w", "s")):
        return _week(n)(m, c)
    if unit.startswith("mo"):
        return _month(n)(m, c)
    return _days(c, c.today - timedelta(days=n))


def _last_hours(m, c):
    n = _number(m)
    return (c.now - timedelta(hours=n), c.now) if n > 0 else None


def _depuis_hours(m, c):
    # "depuis 3 heures" and "depuis 48h" are durations; "depuis 8h" is a time of day (read below).
    return None if m.group("u") == "h" and _number(m) < 24 else _last_hours(m, c)


def _month_year(m, c):
    first = date(_year(m.group("y")), _MONTHS[m.group("mon")], 1)
    return _midnight(first, c.tz), _midnight(_month_start(first, 1), c.tz)


def _week(offset):
    def span(m, c):
        monday = c.today - timedelta(days=c.today.weekday() + 7 * offset)
        return _days(c, monday, monday + timedelta(days=6))
    return span


def _month(offset):
    def span(m, c):
        first = _month_start(c.today, -offset)
        return _midnight(first, c.tz), _midnight(_month_start(first, 1), c.tz)
    return span


def _year_span(offset):
    def span(m, c):
        y = c.today.year - offset
        return _days(c, date(y, 1, 1), date(y, 12, 31))
    return span


def _day(offset):
    return lambda m, c: _days(c, c.today - timedelta(days=offset))


_NIGHT = _Clock(22 * 60, 6 * 60, shift=-1, alone="today")
_NIGHTS_FROM_TO = (rf"\b(?:(?:dans|pendant|durant)\s+)?la\s+nuit\s+(?:de|du)\s+{_WD}\s+(?:a|au)\s+{_WD2}\b",
                   rf"\b(?:(?:during|in)\s+)?the\s+night\s+(?:of|from)\s+{_WD}\s+(?:to|into)\s+{_WD2}\b")


def _night_from_to(m, c):
    """"dans la nuit de dimanche à lundi": 22:00 on the first day to 06:00 on the second,
    the latest such night that has begun."""
    if (_WEEKDAYS[m.group("wd")] + 1) % 7 != _WEEKDAYS[m.group("wd2")]:
        return None
    back = (c.today.weekday() - _WEEKDAYS[m.group("wd2")]) % 7
    return _on_day(_NIGHT, c.today - timedelta(days=back), c)


_RULES = [(re.compile(p), fn) for p, fn in (
    (r"\btoday\b|\baujourd'?\s?hui\b|\bauj\b\.?", _day(0)),
    (r"\byesterday\b|\bhier\b", _day(1)),
    (r"\b(?:the\s+)?day\s+before\s+yesterday\b|\bavant[-\s]?hier\b", _day(2)),
    # days still to come: read, so that the answer can say they have not happened yet
    (r"\b(?:the\s+)?day\s+after\s+tomorrow\b|\bapres[-\s]?demain\b", _day(-2)),
    (r"\btomorrow\b|\bdemain\b", _day(-1)),
    (r"\bnext\s+week\b|\b(?:la\s+)?semaine\s+prochaine\b", _week(-1)),
    (r"\bnext\s+month\b|\b(?:le\s+)?mois\s+prochain\b", _month(-1)),
    (r"\b(?:this|the\s+current)\s+week\b|\bcette\s+semaine\b", _week(0)),
    (r"\blast\s+week\b|\b(?:la\s+)?semaine\s+(?:derniere|passee)\b", _week(1)),
    (r"\b(?:this|the\s+current)\s+month\b|\bce\s+mois(?:[-\s]ci)?\b", _month(0)),
    (r"\blast\s+month\b|\b(?:le\s+)?mois\s+(?:dernier|passe)\b", _month(1)),
    (r"\bthis\s+year\b|\bcette\s+annee\b", _year_span(0)),
    (r"\blast\s+year\b|\bl'\s?(?:annee|an)\s+(?:derniere?|passee?)\b", _year_span(1)),
    (rf"\b(?:the\s+)?(?:last|past)\s+{_NUM}\s+(?P<u>days?|weeks?)\b", _last_days),
    (rf"\b(?:(?:les|ces)\s+)?{_NUM}\s+(?:derniers|dernieres)\s+(?P<u>jours|semaines)\b", _last_days),
    (rf"\bdepuis\s+{_NUM}\s+(?P<u>jours?|semaines?)\b", _last_days),
    # « sur 7 jours », "over 7 days", « pendant 2 semaines »: the last ones
    (rf"\b(?:sur|over|during|pendant|durant)\s+(?:les\s+|the\s+)?{_NUM}\s+(?P<u>jours?|days?|semaines?|weeks?)\b",
     _last_days),
    # "vs the previous 7 days", « les 7 jours précédents »: the span just before the last ones
    (rf"\b(?:the\s+)?(?:previous|prior|preceding)\s+{_NUM}\s+(?P<u>days?|weeks?)\b", _previous_days),
    (rf"\b(?:les\s+)?{_NUM}\s+(?P<u>jours|semaines)\s+(?:precedent(?:e)?s|d'\s?avant)\b", _previous_days),
    # « les échecs de la semaine », « du mois », « de la journée »: the current one
    (r"\bde\s+la\s+semaine\b(?!\s+(?:derniere|passee|prochaine|precedente|suivante|d'))", _week(0)),
    (r"\bdu\s+mois\b(?!\s+(?:dernier|passe|prochain|precedent|suivant|d'))", _month(0)),
    (r"\bde\s+la\s+journee\b|\bdu\s+jour\b", _day(0)),
    (rf"\b(?P<n>\d{{1,3}}|{_alt(_NUMBERS)}|an?)\s+(?P<u>days?|weeks?|months?)\s+ago\b", _ago),
    (rf"\bil\s+y\s+a\s+{_NUM}\s+(?P<u>jours?|semaines?|mois)\b", _ago),
    (rf"\b(?:the\s+)?(?:last|past)\s+(?:{_NUM}\s*)?(?:hours?|hrs?|h)\b", _last_hours),
    (rf"\b(?:(?:les|ces)\s+)?{_NUM}\s+dernieres\s+(?:heures|h)\b", _last_hours),
    (rf"\b(?:(?:les|ces|la)\s+)?dernieres?\s+(?:{_NUM}\s*)?(?:heures?|h)\b", _last_hours),
    (rf"\bdepuis\s+{_NUM}\s*(?P<u>heures?|h)\b", _depuis_hours),
    (rf"\b(?:(?P<pre>last|this\s+past|past|on)\s+)?{_WD}(?:\s+(?P<post>dernier|passe))?\b", _weekday),
    *((p, _night_from_to) for p in _NIGHTS_FROM_TO),
    (_RANGE, _between),
    *((_BEFORE + form + _AFTER, _day_month if form == _DATE_FORMS[-1] else _on_date) for form in _DATE_FORMS),
    (_BEFORE + _MON + r"\s+(?P<y>\d{4})" + _AFTER, _month_year),
)]
_DATE_FULL = [re.compile(f) for f in _DATE_FORMS]
_BARE_DAY_RX = re.compile(_BARE_DAY)
_DURATIONS = (_last_hours, _depuis_hours)  # already end now: "since" adds nothing


# -- times of day -------------------------------------------------------------

_HOUR_FULL = [re.compile(f) for f in _HOUR_FORMS]


def _hour(s: str) -> tuple[int, str | None] | None:
    """Minutes after midnight and the clock they were said on ("12" or "24"), or None
    if impossible (25h, 14:75, 13pm). A bare number has no clock yet: (h * 60, None)."""
    if s.isdigit():
        return (int(s) * 60, None) if int(s) <= 24 else None
    m = next((m for rx in _HOUR_FULL if (m := rx.fullmatch(s))), None)
    if m is None:
        return None
    g = m.groupdict()
    if g.get("w"):
        return _WORD_HOURS[g["w"]], "24"
    h, mi = int(g["h"]), int(g.get("mi") or 0)
    if mi > 59:
        return None
    ap = g.get("ap")
    if g.get("fr") and h <= 12:  # "6h du matin", "2h de l'après-midi"; "18h du soir" is 18h anyway
        ap = "a" if "matin" in g["fr"] else "p"
    if ap:
        return ((h % 12 + (12 if ap == "p" else 0)) * 60 + mi, "12") if 1 <= h <= 12 else None
    return (h * 60 + mi, "24") if h < 24 or (h == 24 and not mi) else None


def _borrow(bare: int, other: tuple[int, str], is_start: bool) -> int | None:
    """A bare end takes the other end's clock: "from 2 to 6am" is 2am. On a 12-hour clock
    it takes the other's half-day too, unless that reverses the window: "10 to 2pm" is
    10am, "11 to 1am" is 11pm."""
    minutes, clock = other
    if clock == "24":
        return bare
    if not 1 <= bare // 60 <= 12:
        return None
    v = bare % 720 + minutes // 720 * 720
    return (v + 720) % 1440 if (v > minutes if is_start else v < minutes) else v


def _hours_between(m):
    a, b = _hour(m.group("a")), _hour(m.group("b"))
    if a is None or b is None or a[1] is b[1] is None:  # "between 2 and 6" counts things
        return None
    start = _borrow(a[0], b, True) if a[1] is None else a[0]
    end = _borrow(b[0], a, False) if b[1] is None else b[0]
    if start is None or end is None or start >= 1440:
        return None
    return _Clock(start, end)


def _before(m):
    # "avant minuit": an end at 00:00 is the next midnight, like any end not after its start.
    b = _hour(m.group("b"))
    return _Clock(0, b[0]) if b else None


def _after(m):
    a = _hour(m.group("a"))
    return _Clock(a[0], 1440) if a and a[0] < 1440 else None


def _since_hour(m):
    a = _hour(m.group("a"))
    if a is None or a[0] >= 1440 or (m.group(0).startswith("depuis") and "heure" in m.group("a")):
        return None  # "depuis 3 heures" is a duration (above)
    return _Clock(a[0], None)


def _point(m):
    a = _hour(m.group("a"))
    return _Clock(a[0], None, alone=None, point=True) if a and a[0] < 1440 else None


_HOUR_RANGES = (
    rf"\b(?:between|entre)\s+{_HA}\s+(?:and|et)\s+{_HB}",
    rf"\b(?:from|de|since|depuis|a\s+partir\s+de)\s+{_HA}\s*(?:-|\s(?:to|till|until|a|jusqu'a)\s)\s*{_HB}",
    rf"(?<![\w:./-]){_HA}\s*-\s*{_HB}",  # 2h-6h, 02:00-06:00, 2-6am
)


def _part(a: int, b: int, shift: int = 0, alone: str | None = None, fixed: bool = False):
    k = _Clock(a * 60, b * 60, shift, alone, fixed)
    return lambda m: k


_IN_THE = r"(?:(?:(?:in|during)\s+)?the\s+)?"
_DANS_LA = r"(?:(?:dans|pendant|durant)\s+la\s+|en\s+|au\s+|le\s+|du\s+)?"
_CLOCK_RULES = [(re.compile(p), fn) for p, fn in (
    # Parts of the day that name their own day.
    (r"\bthis\s+morning\b|\bce\s+matin\b|\bcette\s+matinee\b", _part(0, 12, alone="today", fixed=True)),
    (r"\bthis\s+afternoon\b|\bcet\s+(?:apres[-\s]?midi|aprem)\b", _part(12, 18, alone="today", fixed=True)),
    (r"\bthis\s+evening\b|\btonight\b|\bce\s+soir\b|\bcette\s+soiree\b", _part(18, 24, alone="today", fixed=True)),
    (r"\blast\s+night\b|\bcette\s+nuit\b|\b(?:la\s+)?nuit\s+(?:derniere|passee)\b",
     _part(22, 6, -1, alone="today", fixed=True)),
    # The night before a day ("hier dans la nuit"); alone, the one that ended this morning.
    (r"\bovernight\b|\bduring\s+the\s+night\b|\b(?:dans|pendant|durant)\s+la\s+nuit\b", lambda m: _NIGHT),
    # Bare parts of the day only qualify a day next to them ("hier matin", "le soir du 20/11"):
    # alone, "le matin" is as likely "every morning" as "this morning".
    (rf"\b{_IN_THE}morning\b|\b{_DANS_LA}mat(?:in|inee)\b", _part(0, 12)),
    (rf"\b{_IN_THE}afternoon\b|\b(?:(?:dans|pendant|durant)\s+l'|en\s+|l'|de\s+l')?(?:apres[-\s]?midi|aprem)\b",
     _part(12, 18)),
    (rf"\b{_IN_THE}evening\b|\b{_DANS_LA}soir(?:ee)?\b", _part(18, 24)),
    (r"\b(?:la\s+)?nuit\b", _part(22, 6, -1)),
    # In English "Monday night", "yesterday night" is the night after that day's evening.
    (r"\b(?:the\s+)?night\b", _part(22, 6)),
    (rf"\b(?:before|avant|until|till|jusqu'a)\s+(?P<b>{_H})", _before),
    # "après-midi" is the afternoon, not "after 12:00".
    (rf"\b(?:after|apres)\s+(?!midi\b)(?P<a>{_H})", _after),
    (rf"\b(?:since|depuis|from|a\s+partir\s+de)\s+(?P<a>{_H})", _since_hour),
    *((p, _hours_between) for p in _HOUR_RANGES),
    (rf"(?<![\w:./-])(?:(?:at|a|vers|around)\s+)?(?P<a>{_H})", _point),
)]
# Between a day and its time of day: "hier, entre 2h et 6h", "avant midi le 20/11", "le soir du 20/11".
_GLUE = re.compile(r"\s*,?\s*(?:(?:on|le|of|du|de)\s+|d')?")


# -- finding ------------------------------------------------------------------

class _Cand(NamedTuple):
    start: int
    end: int
    span: tuple[datetime, datetime] | None  # None: only usable next to a day
    fn: Callable | None = None  # the day rule
    m: re.Match | None = None
    clock: _Clock | None = None
    void: bool = False  # a range meant as one but impossible: its parts must not be read alone


_RANGE_MONTH = re.compile(rf"\d[/.-]\d|\b{_MON}")  # a range naming a month is a range of dates
_UNIT = re.compile(r"\d\s?(?:h|:|[ap]\.?m|heure)|midi|noon|minuit|midnight")
# Ranges meant as ranges (a month, an hour unit, "du", an article...) even when impossible: one that
# fails ("du 5 au 3 avril") is reported whole by unparsed_times, its parts not read alone ("3 avril").
_MEANT_RANGES = [(re.compile(p), ok) for p, ok in (
    (_RANGE, lambda m: _RANGE_MONTH.search(m.group(0)) or _BARE_RANGE_OK.search(m.group(0))),
    *((p, lambda m: _UNIT.search(m.group(0))) for p in _HOUR_RANGES),
    *((p, None) for p in _NIGHTS_FROM_TO),
)]


def _try(fn, *args):
    try:
        return fn(*args)
    except (ValueError, OverflowError):  # 31/02, year 0 and the like: not a date
        return None


def _one_day(span, c: _Ctx) -> date | None:
    """The local day a span covers exactly, if it is one."""
    local = span[0].astimezone(c.tz)
    if local.time() == time() and span[1] == _midnight(local.date() + timedelta(days=1), c.tz):
        return local.date()
    return None


def _candidates(folded: str, c: _Ctx) -> list[_Cand]:
    days = [_Cand(m.start(), m.end(), span, fn, m)
            for rx, fn in _RULES for m in rx.finditer(folded) if (span := _try(fn, m, c))]
    clocks = [_Cand(m.start(), m.end(), _alone(k, c), clock=k)
              for rx, fn in _CLOCK_RULES for m in rx.finditer(folded) if (k := _try(fn, m))]
    out = days + clocks
    # "du 5 au 3 avril" is reported whole (unparsed_times), not read as "3 avril".
    out += [_Cand(m.start(), m.end(), None, void=True) for rx, meant in _MEANT_RANGES
            for m in rx.finditer(folded) if meant is None or meant(m)]
    end_of_today = _days(c, c.today)[1]

    # "since X" / "depuis X": a day stretches to the end of today, a time of day runs until now.
    for k in days + clocks:
        since = _SINCE.search(folded, 0, k.start)
        if not since or k.fn in _DURATIONS or (k.clock and k.clock.b is None) or not k.span:
            continue
        start, end = k.span
        if k.clock:
            span = (start, c.now) if start < c.now else None
        else:
            if _bare_weekday(k.fn, k.m):  # "depuis lundi" said on a Monday means today, not a week ago
                start = _weekday(k.m, c, on_or_before=True)[0]
            span = (start, max(end, end_of_today))
        out.append(k._replace(start=since.start(), span=span))

    # A time of day next to a single day: "hier matin", "between 2am and 6am yesterday".
    for d in days:
        day = _one_day(d.span, c)
        if day is None:
            continue
        for k in clocks:
            if k.clock.fixed:
                continue
            if d.end <= k.start and _GLUE.fullmatch(folded, d.end, k.start):
                start, end = d.start, k.end
            elif k.end <= d.start and not k.clock.point and _GLUE.fullmatch(folded, k.end, d.start):
                start, end = k.start, d.end
            else:
                continue
            if not k.clock.point:
                out.append(_Cand(start, end, _on_day(k.clock, day, c), d.fn, d.m, k.clock))
            since = _SINCE.search(folded, 0, start) if start == d.start else None
            if since:  # "depuis hier soir", "since Monday 8am": from then until now
                on = _weekday_date(d.m, c, on_or_before=True) if _bare_weekday(d.fn, d.m) else day
                span = _on_day(k.clock, on, c)
                span = span and ((span[0], c.now) if span[0] < c.now else None)
                out.append(_Cand(since.start(), end, span, d.fn, d.m, k.clock))
    return out


def find_times(text: str, now: datetime, tz: ZoneInfo) -> list[TimeMatch]:
    """Every time expression in text, in reading order, none overlapping.

    Scanning left to right, the expression starting first wins; among those
    starting at the same place, the longest ("29 avril 2026" over "29 avril",
    "hier matin" over "hier"). "since X" / "depuis X" stretches a day X to the
    end of today, and a time of day X until now.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    folded = _fold(text)
    c = _Ctx(now.astimezone(UTC), tz, now.astimezone(tz).date())
    found, pos = [], 0
    # sorted() is stable: on a tie the earlier rule wins.
    for k in sorted((k for k in _candidates(folded, c) if k.span or k.void), key=lambda k: (k.start, -k.end)):
        if k.start < pos:
            continue
        pos = k.end
        if k.void:
            continue
        label = text[k.start:k.end]
        start = k.start + len(label) - len(label.lstrip())
        end = k.end - len(label) + len(label.rstrip())
        found.append(TimeMatch(Window(k.span[0], k.span[1], text[start:end]), start, end))
    return _narrowed(text, found, tz)


def _narrowed(text: str, found: list[TimeMatch], tz: ZoneInfo) -> list[TimeMatch]:
    """« ce matin avant 8h », "yesterday morning before 4am": a time of day right after a part of
    a day narrows it to their overlap, on that day (one window, not a second time in a notice)."""
    out: list[TimeMatch] = []
    for m in found:
        prev = out[-1] if out else None
        if prev is not None and re.fullmatch(r"[\s,]*", text[prev.end:m.start]) \
                and m.range.end - m.range.start <= timedelta(days=1):
            overlaps = []
            for days in (0, -1, 1, -2):  # the time of day on the part's own day
                a = (m.range.start.astimezone(tz) + timedelta(days=days)).astimezone(UTC)
                b = (m.range.end.astimezone(tz) + timedelta(days=days)).astimezone(UTC)
                a, b = max(prev.range.start, a), min(prev.range.end, b)
                if a < b:
                    overlaps.append((a, b))
            if overlaps and overlaps[0] != (prev.range.start, prev.range.end):
                a, b = overlaps[0]
                out[-1] = TimeMatch(Window(a, b, text[prev.start:m.end]), prev.start, m.end)
                continue
        out.append(m)
    return out


def parse_time_range(text: str, now: datetime, tz: ZoneInfo) -> Window | None:
    """First time expression in text (see find_times), or None."""
    found = find_times(text, now, tz)
    return found[0].range if found else None


# -- what was not understood --------------------------------------------------

# Time-looking shapes, looser than the rules above so impossible values still show; the widest
# first, so "entre 2h et 25h" is reported whole. Each may carry a test that it is meant as a time.
_LOOSE = _MEANT_RANGES + [(re.compile(p), ok) for p, ok in (
    (_BEFORE + r"\d{4}-\d{1,2}-\d{1,2}" + _AFTER, None),
    (_BEFORE + r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}" + _AFTER, None),
    (_BEFORE + r"\d{1,2}/\d{1,2}/\d{2}" + _AFTER, None),
    *((_BEFORE + form + _AFTER, lambda m: not _modal_may(m)) for form in _DATE_FORMS[3:5]),
    (_BEFORE + _MON + r"\s+(?P<y>\d{4})" + _AFTER, None),
    (_BEFORE + r"\d{1,2}/\d{1,2}" + _AFTER, lambda m: _day_month_expected(m.string, m.start(), m.end())),
    (r"(?<![\w:./-])(?:\d{1,2}\s?h(?:\d{2})?|\d{1,2}:\d{2}|\d{1,2}(?::\d{2})?\s?[ap]\.?m\.?)(?![\w:])", None),
)]


def unparsed_times(text: str, matches: list[TimeMatch]) -> list[str]:
    """Time-looking fragments of text that no match took, in reading order: impossible dates
    ("31/02/2026", "2026-13-01"), years outside 2000..2100, impossible hours ("25h"), ranges that
    run backwards, hours nothing else qualifies ("hier à 8h"). Counts, versions, ids and
    ports ("3/5 jobs", "1.2.3", "job_2026_11", "Spark 3.5", "port 22") are not flagged."""
    folded = _fold(text)
    taken = [(t.start, t.end) for t in matches]
    found = []
    for rx, ok in _LOOSE:
        for m in rx.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken) or (ok and not ok(m)):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), text[m.start():m.end()].strip()))
    return [s for _, s in sorted(found)]


# -- describing ---------------------------------------------------------------

_RELATIVE = {"fr": ("aujourd'hui", "hier", "avant-hier"), "en": ("today", "yesterday", "the day before yesterday")}


def describe_window(rng: Window, now: datetime, tz: ZoneInfo, lang: str) -> str:
    """A normalized label for a range, in French ("fr") or English (anything else):
    "hier", "2026-11-20", "yesterday 02:00–06:00", "2026-11-20 18:00–24:00",
    "aujourd'hui depuis 08:00", "since 2026-11-20", "2026-11-16 → 2026-11-22",
    "2026-11-23 22:00 → 2026-11-24 06:00"."""
    lang = "fr" if lang.lower().startswith("fr") else "en"
    a, b = rng.start.astimezone(tz), rng.end.astimezone(tz)
    today = now.astimezone(tz).date()

    def day(d: date) -> str:
        back = (today - d).days
        return _RELATIVE[lang][back] if 0 <= back <= 2 else d.isoformat()

    if rng.end == now:
        if a.date() == b.date():
            return t(lang, "since_time", day=day(a.date()), time=f"{a:%H:%M}")
        since = a.date().isoformat() if a.time() == time() else f"{a:%Y-%m-%d %H:%M}"
        return t(lang, "since_day", since=since)
    if a.time() == b.time() == time():
        last = b.date() - timedelta(days=1)
        return day(a.date()) if last == a.date() else f"{a.date().isoformat()} → {last.isoformat()}"
    if b.date() == a.date() or (b.time() == time() and b.date() == a.date() + timedelta(days=1)):
        end = "24:00" if b.date() != a.date() else f"{b:%H:%M}"
        return f"{day(a.date())} {a:%H:%M}–{end}"
    return f"{a:%Y-%m-%d %H:%M} → {b:%Y-%m-%d %H:%M}"


# -- follow-ups ---------------------------------------------------------------

_SHIFTS = [(re.compile(p), days) for p, days in (
    (r"\b(?:the\s+)?day\s+before\b(?!\s+yesterday)|\b(?:the\s+)?(?:previous|prior)\s+day\b"
     r"|\bveille\b|\bjour\s+(?:d'\s?avant|precedent)\b|\bjournee\s+precedente\b"
     r"|\bnuit\s+(?:d'\s?avant|precedente)\b|\b(?:the\s+)?(?:night\s+before|(?:previous|prior)\s+night)\b", -1),
    (r"\bavant[-\s]?veille\b", -2),
    (r"\b(?:the\s+)?day\s+after\b(?!\s+tomorrow)|\b(?:the\s+)?(?:next|following)\s+day\b"
     r"|\blendemain\b|\bjour\s+(?:d'\s?apres|suivant)\b|\bjournee\s+suivante\b", 1),
    (r"\bsurlendemain\b", 2),
    (r"\b(?:the\s+)?week\s+before\b|\b(?:the\s+)?(?:previous|prior)\s+week\b"
     r"|\bsemaine\s+(?:d'\s?avant|precedente)\b", -7),
    (r"\b(?:the\s+)?week\s+after\b|\b(?:the\s+)?following\s+week\b"
     r"|\bsemaine\s+(?:d'\s?apres|suivante)\b", 7),
)]


def shift_hint(text: str) -> int | None:
    """Days by which a follow-up moves the previous range ("et la veille ?" -> -1,
    "the day after" -> +1, "la semaine d'avant" -> -7), or None."""
    folded = _fold(text)
    hits = [(m.start(), days) for rx, days in _SHIFTS if (m := rx.search(folded))]
    return min(hits)[1] if hits else None


def shift_range(rng: Window, days: int, tz: ZoneInfo) -> Window:
    """Move a range by whole local days, keeping local wall-clock times (so a
    day stays midnight to midnight across DST). Label: ISO local date(s)."""
    def move(t: datetime) -> datetime:
        local = t.astimezone(tz)
        return datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=tz).astimezone(UTC)

    start, end = move(rng.start), move(rng.end)
    a, b = start.astimezone(tz), end.astimezone(tz)
    if a.time() == b.time() == time():
        last = b.date() - timedelta(days=1)
        label = a.date().isoformat() if last == a.date() else f"{a.date().isoformat()}/{last.isoformat()}"
    else:
        label = f"{a:%Y-%m-%d %H:%M}/{b:%Y-%m-%d %H:%M}"
    return Window(start, end, label)
