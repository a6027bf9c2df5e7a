from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from core.models import Window
from core.timeparse import (TimeMatch, describe_window, find_times, parse_time_range, shift_hint, shift_range,
                            unparsed_times)

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
    # "N ago": that day, that calendar week (Monday to Sunday), that calendar month.
    ("what failed three days ago?", NOV[21], NOV[22], "three days ago"),
    ("3 days ago", NOV[21], NOV[22], "3 days ago"),
    ("échecs d'il y a 2 jours", NOV[22], NOV[23], "il y a 2 jours"),
    ("a week ago", NOV[16], NOV[23], "a week ago"),
    ("il y a deux semaines", NOV[9], NOV[16], "il y a deux semaines"),
    ("il y a un mois", utc(2026, 9, 30, 22), utc(2026, 10, 31, 23), "il y a un mois"),
    ("two months ago", utc(2026, 8, 31, 22), utc(2026, 9, 30, 22), "two months ago"),
]


@pytest.mark.parametrize("text,start,end,label", CASES, ids=[c[0] for c in CASES])
def test_parse_paris(text, start, end, label):
    assert parse_time_range(text, NOW, PARIS) == Window(start, end, label)


@pytest.mark.parametrize("text", [
    "why did etl_42 fail?",
    "show the hierarchy of jobs",
    "HIERARCHIE des pipelines",
    "top 3 pipelines",
    "error 404 on step 12",
    "version 1.2.3 broke it",
    "last week" + "end",  # "weekend" is not "week"
    "the mondays job",
    "il y a 3 jobs en échec",  # "there are", not "ago"
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
    assert shift_range(hier, -1, PARIS) == Window(NOV[22], NOV[23], "2026-11-22")
    assert shift_range(hier, 1, PARIS) == Window(NOV[24], NOV[25], "2026-11-24")


def test_shift_range_week():
    last_week = parse_time_range("la semaine dernière", NOW, PARIS)
    moved = shift_range(last_week, shift_hint("et la semaine d'avant ?"), PARIS)
    assert moved == Window(NOV[9], NOV[16], "2026-11-09/2026-11-15")


def test_shift_range_into_dst_day_keeps_local_midnights():
    # Oct 26 (24 h) moved back one day is Oct 25 (25 h), not "24 h earlier".
    r = parse_time_range("yesterday", datetime(2026, 10, 27, 9, tzinfo=PARIS), PARIS)
    assert (r.start, r.end) == (utc(2026, 10, 25, 23), utc(2026, 10, 26, 23))
    moved = shift_range(r, -1, PARIS)
    assert moved == Window(utc(2026, 10, 24, 22), utc(2026, 10, 25, 23), "2026-10-25")


def test_shift_range_hours_keeps_wall_clock():
    r = parse_time_range("last 24 hours", NOW, PARIS)
    moved = shift_range(r, -1, PARIS)
    assert moved == Window(utc(2026, 11, 22, 9, 30), utc(2026, 11, 23, 9, 30),
                              "2026-11-22 10:30/2026-11-23 10:30")


# == times of day ===========================================================
# NOW is Tuesday 2026-11-24 10:30 in Paris; November is UTC+1, so Paris HH:MM is UTC HH-1:MM.

TODAY_0, TODAY_12 = utc(2026, 11, 23, 23), utc(2026, 11, 24, 11)
LAST_NIGHT = (utc(2026, 11, 23, 21), utc(2026, 11, 24, 5))  # Mon 22:00 -> Tue 06:00
AT_NOW = utc(2026, 11, 24, 9, 30)

TIME_OF_DAY = [
    # text, start, end, label
    # Parts of today.
    ("ce matin", TODAY_0, TODAY_12, "ce matin"),
    ("this morning", TODAY_0, TODAY_12, "this morning"),
    ("échecs cette matinée ?", TODAY_0, TODAY_12, "cette matinée"),
    ("cet après-midi", utc(2026, 11, 24, 11), utc(2026, 11, 24, 17), "cet après-midi"),
    ("this afternoon", utc(2026, 11, 24, 11), utc(2026, 11, 24, 17), "this afternoon"),
    ("ce soir", utc(2026, 11, 24, 17), utc(2026, 11, 24, 23), "ce soir"),
    ("this evening", utc(2026, 11, 24, 17), utc(2026, 11, 24, 23), "this evening"),
    ("what broke tonight?", utc(2026, 11, 24, 17), utc(2026, 11, 24, 23), "tonight"),
    # The night that ended this morning.
    ("cette nuit", *LAST_NIGHT, "cette nuit"),
    ("la nuit dernière", *LAST_NIGHT, "la nuit dernière"),
    ("last night", *LAST_NIGHT, "last night"),
    ("failures overnight?", *LAST_NIGHT, "overnight"),
    ("during the night", *LAST_NIGHT, "during the night"),
    ("pendant la nuit", *LAST_NIGHT, "pendant la nuit"),
    ("yesterday night", *LAST_NIGHT, "yesterday night"),  # English: the night after yesterday's evening
    # Parts of a named day.
    ("hier matin", utc(2026, 11, 22, 23), utc(2026, 11, 23, 11), "hier matin"),
    ("yesterday morning", utc(2026, 11, 22, 23), utc(2026, 11, 23, 11), "yesterday morning"),
    ("monday morning", utc(2026, 11, 22, 23), utc(2026, 11, 23, 11), "monday morning"),
    ("hier après-midi", utc(2026, 11, 23, 11), utc(2026, 11, 23, 17), "hier après-midi"),
    ("yesterday afternoon", utc(2026, 11, 23, 11), utc(2026, 11, 23, 17), "yesterday afternoon"),
    ("lundi après-midi", utc(2026, 11, 23, 11), utc(2026, 11, 23, 17), "lundi après-midi"),
    ("lundi apres midi", utc(2026, 11, 23, 11), utc(2026, 11, 23, 17), "lundi apres midi"),
    ("hier soir", utc(2026, 11, 23, 17), utc(2026, 11, 23, 23), "hier soir"),
    ("yesterday evening", utc(2026, 11, 23, 17), utc(2026, 11, 23, 23), "yesterday evening"),
    ("dans la soirée d'hier", utc(2026, 11, 23, 17), utc(2026, 11, 23, 23), "dans la soirée d'hier"),
    ("avant-hier soir", utc(2026, 11, 22, 17), utc(2026, 11, 22, 23), "avant-hier soir"),
    ("le soir du 20/11", utc(2026, 11, 20, 17), utc(2026, 11, 20, 23), "le soir du 20/11"),
    ("the morning of November 20", utc(2026, 11, 19, 23), utc(2026, 11, 20, 11), "the morning of November 20"),
    # The night "of" a day D runs D-1 22:00 -> D 06:00 ...
    ("hier dans la nuit", utc(2026, 11, 22, 21), utc(2026, 11, 23, 5), "hier dans la nuit"),
    ("la nuit de lundi", utc(2026, 11, 22, 21), utc(2026, 11, 23, 5), "la nuit de lundi"),
    ("dans la nuit de dimanche à lundi", utc(2026, 11, 22, 21), utc(2026, 11, 23, 5),
     "dans la nuit de dimanche à lundi"),
    ("the night from Sunday to Monday", utc(2026, 11, 22, 21), utc(2026, 11, 23, 5),
     "the night from Sunday to Monday"),
    # ... but English "Monday night" is Monday's own late evening, into Tuesday.
    ("monday night", *LAST_NIGHT, "monday night"),
    # Before / after an hour.
    ("avant midi", TODAY_0, TODAY_12, "avant midi"),
    ("before noon", TODAY_0, TODAY_12, "before noon"),
    ("avant 10h", TODAY_0, utc(2026, 11, 24, 9), "avant 10h"),
    ("before 10am", TODAY_0, utc(2026, 11, 24, 9), "before 10am"),
    ("jusqu'à 10h", TODAY_0, utc(2026, 11, 24, 9), "jusqu'à 10h"),
    ("until 10:00", TODAY_0, utc(2026, 11, 24, 9), "until 10:00"),
    ("avant 6h du matin", TODAY_0, utc(2026, 11, 24, 5), "avant 6h du matin"),
    ("avant minuit", TODAY_0, utc(2026, 11, 24, 23), "avant minuit"),  # midnight as an end: the next one
    ("après 8h", utc(2026, 11, 24, 7), utc(2026, 11, 24, 23), "après 8h"),
    # 18:00 has not come yet today: the latest evening that has begun.
    ("après 18h", utc(2026, 11, 23, 17), utc(2026, 11, 23, 23), "après 18h"),
    ("after 6pm", utc(2026, 11, 23, 17), utc(2026, 11, 23, 23), "after 6pm"),
    ("after 18:00", utc(2026, 11, 23, 17), utc(2026, 11, 23, 23), "after 18:00"),
    ("le 20/11 avant midi", utc(2026, 11, 19, 23), utc(2026, 11, 20, 11), "20/11 avant midi"),
    ("avant midi le 20/11", utc(2026, 11, 19, 23), utc(2026, 11, 20, 11), "avant midi le 20/11"),
    ("on 2026-11-20 after 18:00", utc(2026, 11, 20, 17), utc(2026, 11, 20, 23), "2026-11-20 after 18:00"),
    ("after 18:00 on 2026-11-20", utc(2026, 11, 20, 17), utc(2026, 11, 20, 23), "after 18:00 on 2026-11-20"),
    ("échecs Spark hier après 18h ?", utc(2026, 11, 23, 17), utc(2026, 11, 23, 23), "hier après 18h"),
    ("before noon yesterday", utc(2026, 11, 22, 23), utc(2026, 11, 23, 11), "before noon yesterday"),
    # Since an hour: until now; an hour still ahead today means yesterday's.
    ("depuis 8h", utc(2026, 11, 24, 7), AT_NOW, "depuis 8h"),
    ("depuis 8 h", utc(2026, 11, 24, 7), AT_NOW, "depuis 8 h"),
    ("since 8am", utc(2026, 11, 24, 7), AT_NOW, "since 8am"),
    ("since 8 am", utc(2026, 11, 24, 7), AT_NOW, "since 8 am"),
    ("since 08:00", utc(2026, 11, 24, 7), AT_NOW, "since 08:00"),
    ("depuis 8h30", utc(2026, 11, 24, 7, 30), AT_NOW, "depuis 8h30"),
    ("à partir de 8h", utc(2026, 11, 24, 7), AT_NOW, "à partir de 8h"),
    ("since 14h30", utc(2026, 11, 23, 13, 30), AT_NOW, "since 14h30"),
    ("à partir de 14h", utc(2026, 11, 23, 13), AT_NOW, "à partir de 14h"),
    ("from 14:00", utc(2026, 11, 23, 13), AT_NOW, "from 14:00"),
    ("depuis midi", utc(2026, 11, 23, 11), AT_NOW, "depuis midi"),
    ("since midnight", TODAY_0, AT_NOW, "since midnight"),
    ("depuis minuit", TODAY_0, AT_NOW, "depuis minuit"),
    ("aujourd'hui depuis 8h", utc(2026, 11, 24, 7), AT_NOW, "aujourd'hui depuis 8h"),
    ("since 8am yesterday", utc(2026, 11, 23, 7), AT_NOW, "since 8am yesterday"),
    ("depuis hier 18h", utc(2026, 11, 23, 17), AT_NOW, "depuis hier 18h"),
    ("since yesterday at 6pm", utc(2026, 11, 23, 17), AT_NOW, "since yesterday at 6pm"),
    ("depuis hier soir", utc(2026, 11, 23, 17), AT_NOW, "depuis hier soir"),
    ("since Monday 8am", utc(2026, 11, 23, 7), AT_NOW, "since Monday 8am"),
    ("depuis lundi 8h", utc(2026, 11, 23, 7), AT_NOW, "depuis lundi 8h"),
    ("depuis le 20/11 à 14h", utc(2026, 11, 20, 13), AT_NOW, "depuis le 20/11 à 14h"),
    ("depuis ce matin", TODAY_0, AT_NOW, "depuis ce matin"),
    # Between two hours: today if the window has begun, else yesterday.
    ("entre 2h et 6h", utc(2026, 11, 24, 1), utc(2026, 11, 24, 5), "entre 2h et 6h"),
    ("between 2am and 6am", utc(2026, 11, 24, 1), utc(2026, 11, 24, 5), "between 2am and 6am"),
    ("between 02:00 and 06:00", utc(2026, 11, 24, 1), utc(2026, 11, 24, 5), "between 02:00 and 06:00"),
    ("de 2h à 6h", utc(2026, 11, 24, 1), utc(2026, 11, 24, 5), "de 2h à 6h"),
    ("from 2 to 6am", utc(2026, 11, 24, 1), utc(2026, 11, 24, 5), "from 2 to 6am"),
    ("entre 2 et 6h", utc(2026, 11, 24, 1), utc(2026, 11, 24, 5), "entre 2 et 6h"),
    ("2h-6h", utc(2026, 11, 24, 1), utc(2026, 11, 24, 5), "2h-6h"),
    ("errors 02:00-06:00", utc(2026, 11, 24, 1), utc(2026, 11, 24, 5), "02:00-06:00"),
    ("2-6am", utc(2026, 11, 24, 1), utc(2026, 11, 24, 5), "2-6am"),
    ("de 8h du matin à 2h de l'après-midi", utc(2026, 11, 24, 7), utc(2026, 11, 24, 13),
     "de 8h du matin à 2h de l'après-midi"),
    ("between 10 and 2pm", utc(2026, 11, 24, 9), utc(2026, 11, 24, 13), "between 10 and 2pm"),
    ("from 10am to 2", utc(2026, 11, 24, 9), utc(2026, 11, 24, 13), "from 10am to 2"),
    ("between 14:00 and 16:00", utc(2026, 11, 23, 13), utc(2026, 11, 23, 15), "between 14:00 and 16:00"),
    ("yesterday between 2am and 6am", utc(2026, 11, 23, 1), utc(2026, 11, 23, 5), "yesterday between 2am and 6am"),
    ("between 2am and 6am yesterday", utc(2026, 11, 23, 1), utc(2026, 11, 23, 5), "between 2am and 6am yesterday"),
    ("hier entre 2h et 6h", utc(2026, 11, 23, 1), utc(2026, 11, 23, 5), "hier entre 2h et 6h"),
    ("entre 2h et 6h hier", utc(2026, 11, 23, 1), utc(2026, 11, 23, 5), "entre 2h et 6h hier"),
    ("hier, de 2h à 6h", utc(2026, 11, 23, 1), utc(2026, 11, 23, 5), "hier, de 2h à 6h"),
    # Across midnight: the end is on the next day.
    ("entre 22h et 2h", utc(2026, 11, 23, 21), utc(2026, 11, 24, 1), "entre 22h et 2h"),
    ("hier entre 22h et 2h", utc(2026, 11, 23, 21), utc(2026, 11, 24, 1), "hier entre 22h et 2h"),
    ("hier entre 23h et 1h", utc(2026, 11, 23, 22), utc(2026, 11, 24, 0), "hier entre 23h et 1h"),
    ("from 11pm to 1am", utc(2026, 11, 23, 22), utc(2026, 11, 24, 0), "from 11pm to 1am"),
    ("from 11 to 1am", utc(2026, 11, 23, 22), utc(2026, 11, 24, 0), "from 11 to 1am"),
    ("entre 22h et minuit", utc(2026, 11, 23, 21), utc(2026, 11, 23, 23), "entre 22h et minuit"),
    # Durations stay durations.
    ("in the last 3 hours", utc(2026, 11, 24, 6, 30), AT_NOW, "the last 3 hours"),
    ("depuis 3 heures", utc(2026, 11, 24, 6, 30), AT_NOW, "depuis 3 heures"),
    ("depuis une heure", utc(2026, 11, 24, 8, 30), AT_NOW, "depuis une heure"),
    ("depuis 48h", utc(2026, 11, 22, 9, 30), AT_NOW, "depuis 48h"),  # no 48 o'clock: a duration
    ("depuis 3h", utc(2026, 11, 24, 2), AT_NOW, "depuis 3h"),  # "h" after an hour: 03:00
]


@pytest.mark.parametrize("text,start,end,label", TIME_OF_DAY, ids=[c[0] for c in TIME_OF_DAY])
def test_time_of_day_paris(text, start, end, label):
    assert parse_time_range(text, NOW, PARIS) == Window(start, end, label)


@pytest.mark.parametrize("text", [
    "avant 25h", "after 14:75", "after 13pm", "entre 2h et 25h", "depuis 24:30",
    "8h", "à 8h", "le job de 14h",  # an hour alone is a moment, not a window
    "entre 2 et 6 échecs", "between 2 and 6 failures", "from 2 to 6 retries",  # counts
    "le matin", "in the afternoon",  # a bare part of the day with no day: maybe "every morning"
])
def test_no_time_of_day(text):
    assert parse_time_range(text, NOW, PARIS) is None


def test_time_of_day_just_after_midnight():
    now = datetime(2026, 11, 24, 0, 30, tzinfo=PARIS)  # 23:30 UTC on the 23rd
    r = parse_time_range("since 22:00", now, PARIS)
    assert (r.start, r.end) == (utc(2026, 11, 23, 21), utc(2026, 11, 23, 23, 30))
    r = parse_time_range("ce matin", now, PARIS)
    assert (r.start, r.end) == (utc(2026, 11, 23, 23), utc(2026, 11, 24, 11))
    r = parse_time_range("entre 22h et 2h", now, PARIS)  # tonight's has not begun: last night's
    assert (r.start, r.end) == (utc(2026, 11, 23, 21), utc(2026, 11, 24, 1))


def test_since_weekday_and_hour_on_that_weekday():
    monday = datetime(2026, 11, 23, 9, tzinfo=PARIS)
    r = parse_time_range("depuis lundi 8h", monday, PARIS)
    assert (r.start, r.end) == (utc(2026, 11, 23, 7), utc(2026, 11, 23, 8))
    r = parse_time_range("lundi matin", monday, PARIS)  # a bare weekday is a past one
    assert (r.start, r.end) == (utc(2026, 11, 15, 23), utc(2026, 11, 16, 11))


def test_night_from_sunday_to_monday_said_on_monday():
    monday = datetime(2026, 11, 23, 9, tzinfo=PARIS)
    r = parse_time_range("dans la nuit de dimanche à lundi", monday, PARIS)
    assert (r.start, r.end) == (utc(2026, 11, 22, 21), utc(2026, 11, 23, 5))
    assert parse_time_range("la nuit de dimanche à mardi", monday, PARIS) is None  # not one night


# -- time of day, DST and other zones ------------------------------------------

def test_morning_of_spring_dst_day_is_11_hours():
    # 2026-03-29: Paris goes from UTC+1 to UTC+2 at 02:00.
    r = parse_time_range("hier matin", datetime(2026, 3, 30, 9, tzinfo=PARIS), PARIS)
    assert (r.start, r.end) == (utc(2026, 3, 28, 23), utc(2026, 3, 29, 10))


def test_night_into_spring_dst_day_is_7_hours():
    r = parse_time_range("cette nuit", datetime(2026, 3, 29, 10, tzinfo=PARIS), PARIS)
    assert (r.start, r.end) == (utc(2026, 3, 28, 21), utc(2026, 3, 29, 4))


def test_hours_on_autumn_dst_day():
    # 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:00 is read as its first occurrence (CEST).
    now = datetime(2026, 10, 26, 9, tzinfo=PARIS)
    r = parse_time_range("yesterday between 2am and 6am", now, PARIS)
    assert (r.start, r.end) == (utc(2026, 10, 25, 0), utc(2026, 10, 25, 5))
    r = parse_time_range("hier soir", now, PARIS)
    assert (r.start, r.end) == (utc(2026, 10, 25, 17), utc(2026, 10, 25, 23))
    r = parse_time_range("hier avant midi", now, PARIS)
    assert (r.start, r.end) == (utc(2026, 10, 24, 22), utc(2026, 10, 25, 11))


KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+5:30; NOW is 15:00 there


def test_time_of_day_in_half_hour_zone():
    r = parse_time_range("this morning", NOW, KOLKATA)
    assert (r.start, r.end) == (utc(2026, 11, 23, 18, 30), utc(2026, 11, 24, 6, 30))
    r = parse_time_range("entre 2h et 6h", NOW, KOLKATA)
    assert (r.start, r.end) == (utc(2026, 11, 23, 20, 30), utc(2026, 11, 24, 0, 30))
    r = parse_time_range("since 14h30", NOW, KOLKATA)  # 14:30 has passed in Kolkata
    assert (r.start, r.end) == (utc(2026, 11, 24, 9), AT_NOW)
    r = parse_time_range("after 6pm", NOW, KOLKATA)  # 18:00 has not
    assert (r.start, r.end) == (utc(2026, 11, 23, 12, 30), utc(2026, 11, 23, 18, 30))
    r = parse_time_range("last night", NOW, KOLKATA)
    assert (r.start, r.end) == (utc(2026, 11, 23, 16, 30), utc(2026, 11, 24, 0, 30))


def test_tonight_in_new_york():
    # NOW is 04:30 in New York (UTC-5).
    r = parse_time_range("tonight", NOW, NEW_YORK)
    assert (r.start, r.end) == (utc(2026, 11, 24, 23), utc(2026, 11, 25, 5))


def test_shift_range_keeps_time_of_day():
    r = parse_time_range("hier matin", NOW, PARIS)
    moved = shift_range(r, -1, PARIS)
    assert moved == Window(utc(2026, 11, 21, 23), utc(2026, 11, 22, 11), "2026-11-22 00:00/2026-11-22 12:00")


# == fixes: counts and the modal "may" ========================================

@pytest.mark.parametrize("text", [
    "Why did 3/5 jobs fail?",
    "3/5 des jobs ont échoué",
    "jobs 3/5 en échec",
    "score 3/5",
    "jobs that may fail",
    "may 5 jobs fail?",
    "May 5 jobs fail?",
    "which 5 may fail",
    "version 1.2.10 broke it",
    "Spark 3.5 errors",
    "port 22 refused",
    "job_2026_11 failed",
])
def test_not_a_date(text):
    assert parse_time_range(text, NOW, PARIS) is None


MAY_3, MAY_4 = utc(2026, 5, 2, 22), utc(2026, 5, 3, 22)  # Paris in May is UTC+2
MAY_5, MAY_6 = utc(2026, 5, 4, 22), utc(2026, 5, 5, 22)


@pytest.mark.parametrize("text,start,end,label", [
    ("le 3/5", MAY_3, MAY_4, "3/5"),
    ("échecs du 3/5", MAY_3, MAY_4, "3/5"),
    ("failures 3/5?", MAY_3, MAY_4, "3/5"),
    ("échecs 3/5", MAY_3, MAY_4, "3/5"),
    ("on 3/5 jobs failed", MAY_3, MAY_4, "3/5"),
    ("since 3/5", MAY_3, NOV[25], "since 3/5"),
    ("20/11 avant midi", utc(2026, 11, 19, 23), utc(2026, 11, 20, 11), "20/11 avant midi"),
    ("May 5", MAY_5, MAY_6, "May 5"),
    ("5 May", MAY_5, MAY_6, "5 May"),
    ("failures on May 5", MAY_5, MAY_6, "May 5"),
    ("failures May 5th", MAY_5, MAY_6, "May 5th"),
    ("on may 5 jobs failed", MAY_5, MAY_6, "may 5"),
    ("what failed May 5?", MAY_5, MAY_6, "May 5"),
    ("le 5 mai", MAY_5, MAY_6, "5 mai"),
    ("in May 2026", utc(2026, 4, 30, 22), utc(2026, 5, 31, 22), "May 2026"),
])
def test_still_a_date(text, start, end, label):
    assert parse_time_range(text, NOW, PARIS) == Window(start, end, label)


def test_years_outside_2000_2100_are_not_dates():
    assert parse_time_range("9999-12-31", NOW, PARIS) is None
    assert parse_time_range("1999-12-31", NOW, PARIS) is None
    assert parse_time_range("le 1/1/2101", NOW, PARIS) is None
    assert parse_time_range("May 9999", NOW, PARIS) is None
    r = parse_time_range("2100-12-31", NOW, PARIS)
    assert (r.start, r.end) == (utc(2100, 12, 30, 23), utc(2100, 12, 31, 23))


def test_reversed_ranges_are_not_read_backwards_or_in_part():
    assert parse_time_range("between April 20 and April 1", NOW, PARIS) is None
    assert parse_time_range("du 5 au 3 avril", NOW, PARIS) is None  # not "3 avril" either
    assert parse_time_range("between the 20th and the 1st", NOW, PARIS) is None


def test_range_of_bare_days_is_in_the_latest_month_it_fits():
    assert parse_time_range("du 20 au 23", NOW, PARIS) == Window(NOV[20], NOV[24], "du 20 au 23")
    r = parse_time_range("between the 20th and the 23rd", NOW, PARIS)
    assert (r.start, r.end) == (NOV[20], NOV[24])
    # The 25th has not come yet this month: October's (which ends summer time on the 25th).
    r = parse_time_range("du 25 au 28", NOW, PARIS)
    assert (r.start, r.end) == (utc(2026, 10, 24, 22), utc(2026, 10, 28, 23))


# == find_times ===============================================================

def test_find_times_returns_every_expression_with_offsets():
    text = "échecs hier matin par rapport à la semaine dernière"
    found = find_times(text, NOW, PARIS)
    assert [(m.start, m.end) for m in found] == [(7, 17), (32, 51)]
    assert [m.range for m in found] == [
        Window(utc(2026, 11, 22, 23), utc(2026, 11, 23, 11), "hier matin"),
        Window(NOV[16], NOV[23], "la semaine dernière"),
    ]
    assert text[:found[1].start].endswith("par rapport à ")


def test_find_times_in_reading_order():
    found = find_times("today vs yesterday, and last week", NOW, PARIS)
    assert [m.range.label for m in found] == ["today", "yesterday", "last week"]
    found = find_times("Échecs d'avant-hier soir et cette nuit", NOW, PARIS)
    assert [(m.range.label, m.start, m.end) for m in found] == [("avant-hier soir", 9, 24), ("cette nuit", 28, 38)]


@pytest.mark.parametrize("text", [
    "Échecs d'avant-hier soir et cette nuit",
    "failures on 2026-11-20 after 18:00 vs the day before",
    "depuis le 20 novembre, et hier entre 22h et 2h ?",
    "AUJOURD\u2019HUI depuis 8h",
    "3/5 jobs failed since 8am",
])
def test_match_label_is_the_original_text_at_its_offsets(text):
    found = find_times(text, NOW, PARIS)
    assert found
    for m in found:
        assert m.range.label == text[m.start:m.end]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_parse_time_range_is_the_first_match():
    for text in ("hier et aujourd'hui", "depuis lundi puis hier soir", "3/5 jobs failed since 8am", "nothing"):
        found = find_times(text, NOW, PARIS)
        assert parse_time_range(text, NOW, PARIS) == (found[0].range if found else None)
    assert find_times("", NOW, PARIS) == []


def test_time_match_is_frozen():
    import dataclasses
    m = find_times("hier", NOW, PARIS)[0]
    assert isinstance(m, TimeMatch)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.start = 3


def test_find_times_rejects_naive_now():
    with pytest.raises(ValueError):
        find_times("hier", datetime(2026, 11, 24, 10, 30), PARIS)


# == describe_window ==========================================================

@pytest.mark.parametrize("start,end,fr,en", [
    (NOV[23], NOV[24], "hier", "yesterday"),
    (NOV[24], NOV[25], "aujourd'hui", "today"),
    (NOV[22], NOV[23], "avant-hier", "the day before yesterday"),
    (NOV[20], NOV[21], "2026-11-20", "2026-11-20"),
    (utc(2026, 11, 22, 23), utc(2026, 11, 23, 11), "hier 00:00–12:00", "yesterday 00:00–12:00"),
    (utc(2026, 11, 23, 1), utc(2026, 11, 23, 5), "hier 02:00–06:00", "yesterday 02:00–06:00"),
    (utc(2026, 11, 20, 17), utc(2026, 11, 20, 23), "2026-11-20 18:00–24:00", "2026-11-20 18:00–24:00"),
    (utc(2026, 11, 24, 7), AT_NOW, "aujourd'hui depuis 08:00", "today since 08:00"),
    (NOV[20], AT_NOW, "depuis le 2026-11-20", "since 2026-11-20"),
    (utc(2026, 11, 23, 17), AT_NOW, "depuis le 2026-11-23 18:00", "since 2026-11-23 18:00"),
    (NOV[16], NOV[23], "2026-11-16 → 2026-11-22", "2026-11-16 → 2026-11-22"),
    (utc(2026, 11, 23, 21), utc(2026, 11, 24, 5), "2026-11-23 22:00 → 2026-11-24 06:00",
     "2026-11-23 22:00 → 2026-11-24 06:00"),
    (utc(2026, 11, 23, 9, 30), AT_NOW, "depuis le 2026-11-23 10:30", "since 2026-11-23 10:30"),  # last 24 hours
])
def test_describe_window(start, end, fr, en):
    rng = Window(start, end, "whatever was typed")
    assert describe_window(rng, NOW, PARIS, "fr") == fr
    assert describe_window(rng, NOW, PARIS, "en") == en


def test_describe_window_other_language_is_english_and_now_in_utc():
    rng = Window(NOV[23], NOV[24], "hier")
    assert describe_window(rng, utc(2026, 11, 24, 9, 30), PARIS, "de") == "yesterday"


def test_describe_window_dst_day_is_still_one_day():
    # 2026-10-25 is 25 hours long in Paris.
    rng = Window(utc(2026, 10, 24, 22), utc(2026, 10, 25, 23), "")
    assert describe_window(rng, datetime(2026, 10, 26, 9, tzinfo=PARIS), PARIS, "fr") == "hier"
    assert describe_window(rng, NOW, PARIS, "en") == "2026-10-25"
    rng = Window(utc(2026, 10, 25, 0), utc(2026, 10, 25, 5), "")
    assert describe_window(rng, datetime(2026, 10, 26, 9, tzinfo=PARIS), PARIS, "en") == "yesterday 02:00–06:00"


def test_describe_window_in_kolkata():
    rng = Window(utc(2026, 11, 23, 20, 30), utc(2026, 11, 24, 0, 30), "")
    assert describe_window(rng, NOW, KOLKATA, "en") == "today 02:00–06:00"
    assert describe_window(rng, NOW, PARIS, "en") == "2026-11-23 21:30 → 2026-11-24 01:30"


def test_describe_what_was_parsed():
    def said(text, lang):
        return describe_window(parse_time_range(text, NOW, PARIS), NOW, PARIS, lang)
    assert said("hier matin", "fr") == "hier 00:00–12:00"
    assert said("yesterday between 2am and 6am", "en") == "yesterday 02:00–06:00"
    assert said("depuis 8h", "fr") == "aujourd'hui depuis 08:00"
    assert said("on 2026-11-20 after 18:00", "en") == "2026-11-20 18:00–24:00"
    assert said("la semaine dernière", "fr") == "2026-11-16 → 2026-11-22"
    assert said("cette nuit", "fr") == "2026-11-23 22:00 → 2026-11-24 06:00"


# == unparsed_times ===========================================================

def unparsed(text):
    return unparsed_times(text, find_times(text, NOW, PARIS))


@pytest.mark.parametrize("text,left", [
    ("31/02/2026", ["31/02/2026"]),
    ("échecs du 31/02/2026 ?", ["31/02/2026"]),
    ("2026-13-01", ["2026-13-01"]),
    ("9999-12-31", ["9999-12-31"]),  # a real date, but no run is from then
    ("le 32 mai", ["32 mai"]),
    ("le 31/02", ["31/02"]),
    ("May 9999", ["May 9999"]),
    ("avant 25h", ["25h"]),
    ("after 14:75", ["14:75"]),
    ("entre 2h et 25h", ["entre 2h et 25h"]),
    ("between the 20th and the 1st", ["between the 20th and the 1st"]),
    ("between April 20 and April 1", ["between April 20 and April 1"]),
    ("du 5 au 3 avril", ["du 5 au 3 avril"]),
    ("la nuit de dimanche à mardi", ["la nuit de dimanche à mardi"]),
    ("hier à 8h", ["8h"]),  # a moment, not a window: say so
    ("failures on 31/02/2026 and yesterday", ["31/02/2026"]),
    ("31/02/2026 puis 25h", ["31/02/2026", "25h"]),
    ("failures in 48h", ["48h"]),
])
def test_unparsed_times(text, left):
    assert unparsed(text) == left


@pytest.mark.parametrize("text", [
    "Why did 3/5 jobs fail?",
    "3/5 des jobs",
    "version 1.2.3 broke it",
    "version 1.2.10 broke it",
    "top 10 pipelines",
    "job_2026_11 failed",
    "Spark 3.5 errors",
    "port 22 refused",
    "error 404 on step 12",
    "between 2 and 6 failures",
    "may 5 jobs fail?",
    "hier entre 2h et 6h",
    "on 2026-11-20 after 18:00",
    "depuis 3 heures",
    "past 24h",
    "",
])
def test_nothing_unparsed(text):
    assert unparsed(text) == []
