from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from core.models import TimeRange
from core.timeparse import parse_time_range, shift_hint, shift_range

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
# Tuesday 2026-11-24, 10:30 in Paris (CET, UTC+1) = 09:30 UTC.
NOW = datetime(2026, 11, 24, 10, 30, tzinfo=PARIS)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


# Local midnights in Paris around NOW, as UTC.
NOV = {d: utc(2026, 11, d - 1, 23) for d in range(2, 31)}  # Paris 2026-11-d 00:00
DEC1 = utc(2026, 11, 30, 23)

CASES = [
    # text, start, end, label
    ("failures today?", NOV[24], NOV[25], "today"),
    ("échecs d'aujourd'hui", NOV[24], NOV[25], "aujourd'hui"),
    ("echecs aujourdhui", NOV[24], NOV[25], "aujourdhui"),
    ("AUJOURD\u2019HUI", NOV[24], NOV[25], "AUJOURD\u2019HUI"),
    ("erreurs auj. ?", NOV[24], NOV[25], "auj."),
    ("what failed yesterday", NOV[23], NOV[24], "yesterday"),
    ("qu'est-ce qui a planté hier ?", NOV[23], NOV[24], "hier"),
    ("the day before yesterday", NOV[22], NOV[23], "the day before yesterday"),
    ("et avant-hier ?", NOV[22], NOV[23], "avant-hier"),
    ("avant hier", NOV[22], NOV[23], "avant hier"),
    ("this week", NOV[23], NOV[30], "this week"),
    ("cette semaine", NOV[23], NOV[30], "cette semaine"),
    ("last week", NOV[16], NOV[23], "last week"),
    ("la semaine dernière", NOV[16], NOV[23], "la semaine dernière"),
    ("la semaine derniere", NOV[16], NOV[23], "la semaine derniere"),
    ("la semaine passée", NOV[16], NOV[23], "la semaine passée"),
    ("this month", utc(2026, 10, 31, 23), DEC1, "this month"),
    ("ce mois-ci", utc(2026, 10, 31, 23), DEC1, "ce mois-ci"),
    ("ce mois", utc(2026, 10, 31, 23), DEC1, "ce mois"),
    # October starts in summer time (UTC+2) and ends in winter time (UTC+1).
    ("last month", utc(2026, 9, 30, 22), utc(2026, 10, 31, 23), "last month"),
    ("le mois dernier", utc(2026, 9, 30, 22), utc(2026, 10, 31, 23), "le mois dernier"),
    # N calendar days including today.
    ("last 7 days", NOV[18], NOV[25], "last 7 days"),
    ("over the past 3 days", NOV[22], NOV[25], "the past 3 days"),
    ("the last 30 days", utc(2026, 10, 25, 23), NOV[25], "the last 30 days"),
    ("les 7 derniers jours", NOV[18], NOV[25], "les 7 derniers jours"),
    ("ces 3 derniers jours", NOV[22], NOV[25], "ces 3 derniers jours"),
    ("ça plante depuis 3 jours", NOV[22], NOV[25], "depuis 3 jours"),
    ("les sept derniers jours", NOV[18], NOV[25], "les sept derniers jours"),
    ("last 2 weeks", NOV[11], NOV[25], "last 2 weeks"),
    # Hours are absolute: ending now.
    ("last 24 hours", utc(2026, 11, 23, 9, 30), utc(2026, 11, 24, 9, 30), "last 24 hours"),
    ("dernières 24 heures", utc(2026, 11, 23, 9, 30), utc(2026, 11, 24, 9, 30), "dernières 24 heures"),
    ("les 24 dernières heures", utc(2026, 11, 23, 9, 30), utc(2026, 11, 24, 9, 30), "les 24 dernières heures"),
    ("last 3 hours", utc(2026, 11, 24, 6, 30), utc(2026, 11, 24, 9, 30), "last 3 hours"),
    ("past 24h", utc(2026, 11, 23, 9, 30), utc(2026, 11, 24, 9, 30), "past 24h"),
    ("la dernière heure", utc(2026, 11, 24, 8, 30), utc(2026, 11, 24, 9, 30), "la dernière heure"),
    # since <weekday>: most recent such day on or before today, to the end of today.
    ("since Monday", NOV[23], NOV[25], "since Monday"),
    ("depuis lundi", NOV[23], NOV[25], "depuis lundi"),
    ("depuis mardi", NOV[24], NOV[25], "depuis mardi"),
    ("since Thursday", NOV[19], NOV[25], "since Thursday"),
    ("depuis hier", NOV[23], NOV[25], "depuis hier"),
    ("since last week", NOV[16], NOV[25], "since last week"),
    ("depuis le 20 novembre", NOV[20], NOV[25], "depuis le 20 novembre"),
    # A single weekday: most recent one strictly before today.
    ("on Monday", NOV[23], NOV[24], "on Monday"),
    ("lundi", NOV[23], NOV[24], "lundi"),
    ("lundi dernier", NOV[23], NOV[24], "lundi dernier"),
    ("last Monday", NOV[23], NOV[24], "last Monday"),
    ("mardi", NOV[17], NOV[18], "mardi"),
    ("last Tuesday", NOV[17], NOV[18], "last Tuesday"),
    ("dimanche", NOV[22], NOV[23], "dimanche"),
    # Explicit dates (April is summer time: UTC+2).
    ("le 2026-04-29", utc(2026, 4, 28, 22), utc(2026, 4, 29, 22), "2026-04-29"),
    ("29/04/2026", utc(2026, 4, 28, 22), utc(2026, 4, 29, 22), "29/04/2026"),
    ("29.04.2026", utc(2026, 4, 28, 22), utc(2026, 4, 29, 22), "29.04.2026"),
    ("29/04", utc(2026, 4, 28, 22), utc(2026, 4, 29, 22), "29/04"),
    ("03/11", NOV[3], NOV[4], "03/11"),  # day first
    ("29/12", utc(2025, 12, 28, 23), utc(2025, 12, 29, 23), "29/12"),  # would be future: last year
    ("29 avril 2026", utc(2026, 4, 28, 22), utc(2026, 4, 29, 22), "29 avril 2026"),
    ("le 29 avril", utc(2026, 4, 28, 22), utc(2026, 4, 29, 22), "29 avril"),
    ("April 29 2026", utc(2026, 4, 28, 22), utc(2026, 4, 29, 22), "April 29 2026"),
    ("on April 29, 2026", utc(2026, 4, 28, 22), utc(2026, 4, 29, 22), "April 29, 2026"),
    ("April 29", utc(2026, 4, 28, 22), utc(2026, 4, 29, 22), "April 29"),
    ("29 April 2026", utc(2026, 4, 28, 22), utc(2026, 4, 29, 22), "29 April 2026"),
    ("le 1er mai", utc(2026, 4, 30, 22), utc(2026, 5, 1, 22), "1er mai"),
    ("le 3 janv. 2025", utc(2025, 1, 2, 23), utc(2025, 1, 3, 23), "3 janv. 2025"),
    ("12 févr.", utc(2026, 2, 11, 23), utc(2026, 2, 12, 23), "12 févr."),
    ("Sept 5th", utc(2026, 9, 4, 22), utc(2026, 9, 5, 22), "Sept 5th"),
    ("31 déc", utc(2025, 12, 30, 23), utc(2025, 12, 31, 23), "31 déc"),
    ("avril 2026", utc(2026, 3, 31, 22), utc(2026, 4, 30, 22), "avril 2026"),
    # Ranges include their last day.
    ("between 2026-04-01 and 2026-04-03", utc(2026, 3, 31, 22), utc(2026, 4, 3, 22),
     "between 2026-04-01 and 2026-04-03"),
    ("du 1 au 3 avril", utc(2026, 3, 31, 22), utc(2026, 4, 3, 22), "du 1 au 3 avril"),
    ("entre le 1er et le 3 avril", utc(2026, 3, 31, 22), utc(2026, 4, 3, 22), "entre le 1er et le 3 avril"),
    ("from April 1 to April 3", utc(2026, 3, 31, 22), utc(2026, 4, 3, 22), "from April 1 to April 3"),
    ("du 28 mars au 2 avril", utc(2026, 3, 27, 23), utc(2026, 4, 2, 22), "du 28 mars au 2 avril"),
    ("du 28 décembre au 3 janvier", utc(2025, 12, 27, 23), utc(2026, 1, 3, 23),
     "du 28 décembre au 3 janvier"),
]


@pytest.mark.parametrize("text,start,end,label", CASES, ids=[c[0] for c in CASES])
def test_parse_paris(text, start, end, label):
    assert parse_time_range(text, NOW, PARIS) == TimeRange(start, end, label)


@pytest.mark.parametrize("text", [
    "why did etl_42 fail?",
    "show the hierarchy of jobs",
    "HIERARCHIE des pipelines",
    "top 3 pipelines",
    "error 404 on step 12",
    "version 1.2.3 broke it",
    "last week" + "end",  # "weekend" is not "week"
    "the mondays job",
    "",
])
def test_no_expression(text):
    assert parse_time_range(text, NOW, PARIS) is None


def test_numbers_in_relative_expressions_are_not_dates():
    r = parse_time_range("failures in the last 30 days for job 12", NOW, PARIS)
    assert r.label == "the last 30 days"


def test_first_expression_wins():
    assert parse_time_range("hier et aujourd'hui", NOW, PARIS).label == "hier"
    assert parse_time_range("today, not yesterday", NOW, PARIS).label == "today"


def test_hierarchy_does_not_hide_a_later_hier():
    r = parse_time_range("hierarchy errors hier", NOW, PARIS)
    assert (r.start, r.end, r.label) == (NOV[23], NOV[24], "hier")


def test_now_in_another_zone_is_converted():
    # 09:30 UTC is the same instant as NOW.
    assert parse_time_range("today", utc(2026, 11, 24, 9, 30), PARIS).start == NOV[24]


def test_naive_now_is_rejected():
    with pytest.raises(ValueError):
        parse_time_range("today", datetime(2026, 11, 24, 10, 30), PARIS)


def test_date_without_year_early_in_year_is_last_year():
    r = parse_time_range("29/04", datetime(2026, 3, 1, 12, tzinfo=PARIS), PARIS)
    assert (r.start, r.end) == (utc(2025, 4, 28, 22), utc(2025, 4, 29, 22))


def test_invalid_dates_are_ignored():
    assert parse_time_range("31/02/2026", NOW, PARIS) is None
    assert parse_time_range("le 32 mai", NOW, PARIS) is None


def test_since_weekday_on_that_weekday():
    monday = datetime(2026, 11, 23, 9, tzinfo=PARIS)
    r = parse_time_range("depuis lundi", monday, PARIS)
    assert (r.start, r.end) == (NOV[23], NOV[24])
    r = parse_time_range("depuis lundi dernier", monday, PARIS)
    assert (r.start, r.end) == (NOV[16], NOV[24])
    # A bare weekday is always a past day.
    r = parse_time_range("lundi", monday, PARIS)
    assert (r.start, r.end) == (NOV[16], NOV[17])


# -- DST ---------------------------------------------------------------------

def test_yesterday_was_autumn_dst_switch_25_hours():
    # 2026-10-25: Paris goes from UTC+2 to UTC+1 at 03:00.
    r = parse_time_range("yesterday", datetime(2026, 10, 26, 9, tzinfo=PARIS), PARIS)
    assert (r.start, r.end) == (utc(2026, 10, 24, 22), utc(2026, 10, 25, 23))
    assert (r.end - r.start).total_seconds() == 25 * 3600


def test_hier_was_spring_dst_switch_23_hours():
    # 2026-03-29: Paris goes from UTC+1 to UTC+2 at 02:00.
    r = parse_time_range("hier", datetime(2026, 3, 30, 9, tzinfo=PARIS), PARIS)
    assert (r.start, r.end) == (utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))
    assert (r.end - r.start).total_seconds() == 23 * 3600


def test_last_7_days_across_dst():
    r = parse_time_range("last 7 days", datetime(2026, 10, 28, 9, tzinfo=PARIS), PARIS)
    assert (r.start, r.end) == (utc(2026, 10, 21, 22), utc(2026, 10, 28, 23))


def test_last_24_hours_across_dst_is_24_real_hours():
    now = datetime(2026, 10, 25, 12, tzinfo=PARIS)
    r = parse_time_range("last 24 hours", now, PARIS)
    assert (r.start, r.end) == (utc(2026, 10, 24, 11), utc(2026, 10, 25, 11))


# -- another zone ------------------------------------------------------------

def test_new_york_ranges_differ_from_paris():
    # Same instant as NOW: 04:30 EST (UTC-5) in New York.
    r = parse_time_range("yesterday", NOW, NEW_YORK)
    assert (r.start, r.end) == (utc(2026, 11, 23, 5), utc(2026, 11, 24, 5))
    r = parse_time_range("cette semaine", NOW, NEW_YORK)
    assert (r.start, r.end) == (utc(2026, 11, 23, 5), utc(2026, 11, 30, 5))


def test_local_date_depends_on_zone():
    # 02:00 UTC on the 24th is still the 23rd (21:00) in New York.
    now = utc(2026, 11, 24, 2)
    assert parse_time_range("today", now, PARIS).start == NOV[24]
    r = parse_time_range("today", now, NEW_YORK)
    assert (r.start, r.end) == (utc(2026, 11, 23, 5), utc(2026, 11, 24, 5))


def test_new_york_dst_day():
    # 2026-11-01: New York goes from UTC-4 to UTC-5.
    r = parse_time_range("hier", datetime(2026, 11, 2, 9, tzinfo=NEW_YORK), NEW_YORK)
    assert (r.start, r.end) == (utc(2026, 11, 1, 4), utc(2026, 11, 2, 5))


# -- follow-ups --------------------------------------------------------------

@pytest.mark.parametrize("text,days", [
    ("and the day before?", -1),
    ("et la veille ?", -1),
    ("le jour d'avant", -1),
    ("le jour d\u2019avant ?", -1),
    ("the previous day", -1),
    ("le jour précédent", -1),
    ("the day after", 1),
    ("et le lendemain ?", 1),
    ("the next day", 1),
    ("the week before", -7),
    ("la semaine d'avant", -7),
    ("la semaine précédente", -7),
    ("la semaine precedente", -7),
    ("the previous week?", -7),
    ("la semaine suivante", 7),
    ("the day before yesterday", None),
    ("hier", None),
    ("last week", None),
    ("what failed?", None),
])
def test_shift_hint(text, days):
    assert shift_hint(text) == days


def test_shift_range_single_day():
    hier = parse_time_range("hier", NOW, PARIS)
    assert shift_range(hier, -1, PARIS) == TimeRange(NOV[22], NOV[23], "2026-11-22")
    assert shift_range(hier, 1, PARIS) == TimeRange(NOV[24], NOV[25], "2026-11-24")


def test_shift_range_week():
    last_week = parse_time_range("la semaine dernière", NOW, PARIS)
    moved = shift_range(last_week, shift_hint("et la semaine d'avant ?"), PARIS)
    assert moved == TimeRange(NOV[9], NOV[16], "2026-11-09/2026-11-15")


def test_shift_range_into_dst_day_keeps_local_midnights():
    # Oct 26 (24 h) moved back one day is Oct 25 (25 h), not "24 h earlier".
    r = parse_time_range("yesterday", datetime(2026, 10, 27, 9, tzinfo=PARIS), PARIS)
    assert (r.start, r.end) == (utc(2026, 10, 25, 23), utc(2026, 10, 26, 23))
    moved = shift_range(r, -1, PARIS)
    assert moved == TimeRange(utc(2026, 10, 24, 22), utc(2026, 10, 25, 23), "2026-10-25")


def test_shift_range_hours_keeps_wall_clock():
    r = parse_time_range("last 24 hours", NOW, PARIS)
    moved = shift_range(r, -1, PARIS)
    assert moved == TimeRange(utc(2026, 11, 22, 9, 30), utc(2026, 11, 23, 9, 30),
                              "2026-11-22 10:30/2026-11-23 10:30")
