"""Like-for-like comparisons: the period in progress against the same elapsed span of the one
before, said in the answer; the whole previous period when asked for."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from conftest import NOW, TZ, engine_over, run

PARIS = ZoneInfo(TZ)


def local(y, m, d, h=0, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=PARIS).astimezone(timezone.utc)


def _data() -> list[dict]:
    """Failures every 5 hours over three weeks, up to NOW (Tue 24 Nov 10:30 in Paris)."""
    out, t, i = [], local(2026, 11, 9), 0
    while t < NOW:
        out.append(run(f"job_{i % 4}", "Spark", "FAILED" if i % 3 else "SUCCESS", f"error {i % 2}", t))
        t += timedelta(hours=5, minutes=7)
        i += 1
    return out


DATA = _data()


def failures(start: datetime, end: datetime) -> int:
    return sum(1 for d in DATA if d["status"] == "FAILED" and start <= d["timestamp"] < end)


@pytest.fixture(scope="module")
def engine(mongo_uri, tmp_path_factory, embedder):
    with engine_over(DATA, mongo_uri, tmp_path_factory.mktemp("idx"), embedder, "compare_tests") as e:
        yield e


def test_this_week_vs_last_week_compares_the_same_elapsed_span(engine):
    monday, last_monday = local(2026, 11, 23), local(2026, 11, 16)
    now_local = NOW.astimezone(PARIS)
    same_time_last_week = local(2026, 11, 17, now_local.hour, now_local.minute)
    this, same, whole = failures(monday, NOW), failures(last_monday, same_time_last_week), failures(last_monday, monday)
    assert same != whole, "the data must tell the two readings apart"
    pct = round(100 * (this - same) / same)
    a = engine.ask("How many failures this week compared to last week?")
    assert a.result.value == this and a.result.previous == same
    assert a.text.startswith(f"{this} failures this week — vs {same} in the same span of last week "
                             f"(Mon 00:00 → Tue 10:30) ({this - same:+d}, {pct:+d} %)."), a.text
    fr = engine.ask("Combien d'échecs cette semaine par rapport à la semaine dernière ?")
    assert (fr.result.value, fr.result.previous) == (this, same)
    assert "sur la même période la semaine dernière (lun. 00:00 → mar. 10:30)" in fr.text
    assert not fr.notices and not a.notices, (fr.notices, a.notices)


@pytest.mark.parametrize("question", ["How many failures this week compared to the whole of last week?",
                                      "Combien d'échecs cette semaine par rapport à toute la semaine dernière ?"])
def test_the_whole_previous_period_on_request(engine, question):
    monday, last_monday = local(2026, 11, 23), local(2026, 11, 16)
    a = engine.ask(question)
    assert (a.result.value, a.result.previous) == (failures(monday, NOW), failures(last_monday, monday))
    assert not a.notices, a.notices
    assert not a.query.topic


def test_today_vs_yesterday_is_the_same_hours(engine):
    today, yesterday = local(2026, 11, 24), local(2026, 11, 23)
    a = engine.ask("failures today vs yesterday")
    assert (a.result.value, a.result.previous) == (failures(today, NOW), failures(yesterday, NOW - timedelta(days=1)))
    assert "(00:00 → 10:30)" in a.text.split("\n")[0]


def test_a_past_period_is_compared_whole(engine):
    a = engine.ask("How many failures last week compared to the week before?")
    last_monday, before = local(2026, 11, 16), local(2026, 11, 9)
    assert (a.result.value, a.result.previous) == (failures(last_monday, local(2026, 11, 23)),
                                                   failures(before, last_monday))
    assert "same span" not in a.text
