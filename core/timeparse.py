"""Time expressions in a question (French or English) -> half-open UTC ranges.

Calendar arithmetic happens in the caller's IANA zone: a "day" runs from one
local midnight to the next, so DST-switch days are 23 or 25 hours long.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

from core.models import TimeRange

UTC = timezone.utc

_PUNCT = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00a0": " ", "\u202f": " ",
                        "\u2013": "-", "\u2011": "-"})


def _fold(text: str) -> str:
    """Lowercase, drop accents, normalize apostrophes: one char in, one char out,
    so match offsets in the folded text also index the original (for labels)."""
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()
        out.append(base if len(base) == 1 else ch)
    return "".join(out).translate(_PUNCT)


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


def _alt(words) -> str:
    # Longest first so an alternation never settles on a prefix ("mar" in "mars").
    return "|".join(sorted(words, key=len, reverse=True))


_NUM = rf"(?P<n>\d{{1,4}}|{_alt(_NUMBERS)})"
_MON = rf"(?P<mon>{_alt(_MONTHS)})\b\.?"
_WD = rf"(?P<wd>{_alt(_WEEKDAYS)})"
_DAY = r"(?P<d>[0-3]?\d)(?!\d)"
# Most complete form first: inside a range an alternation takes the first that fits.
_DATE_FORMS = (
    r"(?P<y>\d{4})-(?P<m>[01]?\d)-" + _DAY,
    _DAY + r"[/.-](?P<m>[01]?\d)[/.-](?P<y>\d{4}|\d{2})(?!\d)",
    _DAY + r"(?:er|st|nd|rd|th|e)?\s+" + _MON + r"(?:,?\s+(?P<y>\d{4}))?",
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


class _Ctx(NamedTuple):
    now: datetime  # UTC
    tz: ZoneInfo
    today: date  # local


def _midnight(d: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time(), tzinfo=tz).astimezone(UTC)


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
    return None if y is None else int(y) + (2000 if len(y) == 2 else 0)


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


def _on_date(m, c):
    y, mo, d = _date_parts(m.group(0))
    return _days(c, date(y, mo, d) if y else _latest_past(mo, d, c.today))


def _between(m, c):
    (ya, ma, da), (yb, mb, db) = _date_parts(m.group("a")), _date_parts(m.group("b"))
    # "du 1 au 3 avril": a bare day borrows month and year from the other end.
    ma, mb, ya, yb = ma or mb, mb or ma, ya or yb, yb or ya
    if ma is None:
        return None
    if ya is None:
        ya = _latest_past(ma, da, c.today).year
        yb = ya if (mb, db) >= (ma, da) else ya + 1
    first, last = date(ya, ma, da), date(yb, mb, db)
    return _days(c, first, last) if first <= last else None


def _weekday(m, c, on_or_before=False):
    back = (c.today.weekday() - _WEEKDAYS[m.group("wd")]) % 7
    return _days(c, c.today - timedelta(days=back or (0 if on_or_before else 7)))


def _last_days(m, c):
    n = _number(m) * (7 if m.group("u").startswith(("w", "s")) else 1)
    return _days(c, c.today - timedelta(days=n - 1), c.today) if n > 0 else None


def _last_hours(m, c):
    n = _number(m)
    return (c.now - timedelta(hours=n), c.now) if n > 0 else None


def _month_year(m, c):
    first = date(int(m.group("y")), _MONTHS[m.group("mon")], 1)
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


_RULES = [(re.compile(p), fn) for p, fn in (
    (r"\btoday\b|\baujourd'?\s?hui\b|\bauj\b\.?", _day(0)),
    (r"\byesterday\b|\bhier\b", _day(1)),
    (r"\b(?:the\s+)?day\s+before\s+yesterday\b|\bavant[-\s]?hier\b", _day(2)),
    (r"\b(?:this|the\s+current)\s+week\b|\bcette\s+semaine\b", _week(0)),
    (r"\blast\s+week\b|\b(?:la\s+)?semaine\s+(?:derniere|passee)\b", _week(1)),
    (r"\b(?:this|the\s+current)\s+month\b|\bce\s+mois(?:[-\s]ci)?\b", _month(0)),
    (r"\blast\s+month\b|\b(?:le\s+)?mois\s+(?:dernier|passe)\b", _month(1)),
    (r"\bthis\s+year\b|\bcette\s+annee\b", _year_span(0)),
    (r"\blast\s+year\b|\bl'\s?(?:annee|an)\s+(?:derniere?|passee?)\b", _year_span(1)),
    (rf"\b(?:the\s+)?(?:last|past)\s+{_NUM}\s+(?P<u>days?|weeks?)\b", _last_days),
    (rf"\b(?:(?:les|ces)\s+)?{_NUM}\s+(?:derniers|dernieres)\s+(?P<u>jours|semaines)\b", _last_days),
    (rf"\bdepuis\s+{_NUM}\s+(?P<u>jours?|semaines?)\b", _last_days),
    (rf"\b(?:the\s+)?(?:last|past)\s+(?:{_NUM}\s*)?(?:hours?|hrs?|h)\b", _last_hours),
    (rf"\b(?:(?:les|ces)\s+)?{_NUM}\s+dernieres\s+(?:heures|h)\b", _last_hours),
    (rf"\b(?:(?:les|ces|la)\s+)?dernieres?\s+(?:{_NUM}\s*)?(?:heures?|h)\b", _last_hours),
    (rf"\bdepuis\s+{_NUM}\s*(?:heures?|h)\b", _last_hours),
    (rf"\b(?:(?P<pre>last|this\s+past|past|on)\s+)?{_WD}(?:\s+(?P<post>dernier|passe))?\b", _weekday),
    (_RANGE, _between),
    *((_BEFORE + form + _AFTER, _on_date) for form in _DATE_FORMS),
    (_BEFORE + _MON + r"\s+(?P<y>\d{4})" + _AFTER, _month_year),
)]
_DATE_FULL = [re.compile(f) for f in _DATE_FORMS]
_BARE_DAY_RX = re.compile(_BARE_DAY)


def parse_time_range(text: str, now: datetime, tz: ZoneInfo) -> TimeRange | None:
    """First/most specific time expression in text, or None.

    The earliest match wins; among matches starting at the same place, the
    longest ("29 avril 2026" over "29 avril"). "since X" / "depuis X" stretches
    X to the end of today.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    folded = _fold(text)
    c = _Ctx(now.astimezone(UTC), tz, now.astimezone(tz).date())
    best = None
    for rx, fn in _RULES:
        for m in rx.finditer(folded):
            key = (m.start(), m.start() - m.end())
            if best is not None and key >= best[0]:
                continue
            try:
                span = fn(m, c)
            except (ValueError, OverflowError):  # 31/02, year 0 and the like: not a date
                span = None
            if span:
                best = (key, m, fn, span)
    if best is None:
        return None
    _, m, fn, (start, end) = best
    begin = m.start()
    since = _SINCE.search(folded, 0, m.start())
    if since and fn is not _last_hours:
        begin = since.start()
        if fn is _weekday and not (m.group("pre") or m.group("post")):
            # "depuis lundi" said on a Monday means today, not a week ago.
            start, _ = _weekday(m, c, on_or_before=True)
        end = max(end, _days(c, c.today)[1])
    return TimeRange(start, end, text[begin:m.end()].strip())


_SHIFTS = [(re.compile(p), days) for p, days in (
    (r"\b(?:the\s+)?day\s+before\b(?!\s+yesterday)|\b(?:the\s+)?(?:previous|prior)\s+day\b"
     r"|\bveille\b|\bjour\s+(?:d'\s?avant|precedent)\b|\bjournee\s+precedente\b", -1),
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


def shift_range(rng: TimeRange, days: int, tz: ZoneInfo) -> TimeRange:
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
    return TimeRange(start, end, label)
