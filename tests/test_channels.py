"""Per-channel settings in the engine: the channel's filter is the default of its questions (said
on the interpretation line), a name in the question wins, the channel's timezone reads "yesterday";
settings are validated against the index and kept in the state file (migrated in place)."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import NOW
from test_ask import DATASET, engine  # noqa: F401 - the same engine over the same runs

CH = "C0HADOOP"


def failures(tech: str | None, start: datetime, end: datetime) -> int:
    return sum(1 for d in DATASET if d["status"] == "FAILED" and (tech is None or d["tech"] == tech)
               and start <= d["timestamp"] < end)


def local_yesterday(tz: str) -> tuple[datetime, datetime]:
    z = ZoneInfo(tz)
    today = NOW.astimezone(z).date()
    start = datetime.combine(today - timedelta(days=1), datetime.min.time(), tzinfo=z)
    return start, datetime.combine(today, datetime.min.time(), tzinfo=z)


def settle(engine, channel=CH, **fields):
    from core.channels import validate

    s, problems = validate(channel, techs=fields.get("techs"), pipelines=fields.get("pipelines"),
                           language=fields.get("language"), timezone_name=fields.get("timezone"),
                           muted=fields.get("muted", False), vocabulary=engine.vocabulary())
    assert not problems, problems.by_field
    return engine.channels.save(s, by="UADMIN")


def test_the_channel_filter_is_the_default_and_says_so(engine):
    settle(engine, techs="hadoop")
    start, end = local_yesterday("Europe/Paris")
    a = engine.ask("How many failures yesterday?", channel=CH)
    assert a.text.startswith(f"{failures('Hadoop', start, end)} Hadoop failures yesterday")
    assert a.interpretation == "Understood: failures · yesterday — channel default: Hadoop"
    fr = engine.ask("Combien d'échecs hier ?", channel=CH)
    assert fr.interpretation == "Compris : échecs · hier — filtre du canal : Hadoop"
    # elsewhere, the same question is about every technology
    other = engine.ask("How many failures yesterday?", channel="C0OTHER")
    assert other.text.startswith(f"{failures(None, start, end)} failures yesterday")
    assert "channel default" not in other.interpretation


def test_a_name_in_the_question_wins_and_follow_ups_keep_the_default(engine):
    settle(engine, techs="Hadoop")
    start, end = local_yesterday("Europe/Paris")
    a = engine.ask("How many OpenSSH failures yesterday?", channel=CH)
    assert a.text.startswith(f"{failures('OpenSSH', start, end)} OpenSSH failures yesterday")
    assert "channel default" not in a.interpretation
    first = engine.ask("How many failures yesterday?", channel=CH)
    follow = engine.ask("and the day before?", context=first.context, channel=CH)
    before = failures("Hadoop", start - timedelta(days=1), start)
    assert follow.text.startswith(f"{before} Hadoop failures") and "channel default: Hadoop" in follow.interpretation
    named = engine.ask("and for OpenSSH?", context=first.context, channel=CH)
    assert "OpenSSH" in named.text and "channel default" not in named.interpretation


def test_a_follow_up_takes_the_channels_current_defaults(engine):
    settle(engine, techs="Hadoop")
    first = engine.ask("How many failures yesterday?", channel=CH)
    settle(engine, techs="OpenSSH")  # an admin changes the channel's filter meanwhile
    follow = engine.ask("and the day before?", context=first.context, channel=CH)
    start, _ = local_yesterday("Europe/Paris")
    assert follow.text.startswith(f"{failures('OpenSSH', start - timedelta(days=1), start)} OpenSSH failures")
    assert "channel default: OpenSSH" in follow.interpretation and "Hadoop" not in follow.interpretation


def test_the_channel_timezone_decides_what_yesterday_is(engine):
    settle(engine, techs="Hadoop", timezone="America/New_York")
    start, end = local_yesterday("America/New_York")
    paris = failures("Hadoop", *local_yesterday("Europe/Paris"))
    expected = failures("Hadoop", start, end)
    assert expected != paris  # the data tells the two apart
    a = engine.ask("How many failures yesterday?", channel=CH)
    assert a.text.startswith(f"{expected} Hadoop failures yesterday")
    for c in a.citations:
        assert start <= c.timestamp < end


def test_the_channel_language_is_the_default_when_the_words_do_not_tell(engine):
    settle(engine, techs="Hadoop", language="fr")
    a = engine.ask("Hadoop ?", channel=CH)
    assert a.language == "fr"
    assert engine.ask("How many failures yesterday?", channel=CH).language == "en"  # the question's own wins


def test_names_are_checked_against_the_index(engine):
    from core.channels import validate

    v = engine.vocabulary()
    s, problems = validate(CH, techs="spark, HADOOP", pipelines="openssh-sshd", language="en",
                           timezone_name="Europe/Paris", muted=True, vocabulary=v)
    assert not problems and s.techs == ("Spark", "Hadoop") and s.pipelines == ("openssh-sshd",) and s.muted
    _, problems = validate(CH, techs="Sparkk", pipelines="nightly-billing", language="de",
                           timezone_name="Mars/Olympus_Mons", muted=False, vocabulary=v)
    assert problems.by_field["techs"] == "Unknown technology: Sparkk. Did you mean Spark?"
    assert problems.by_field["pipelines"].startswith("Unknown pipeline: nightly-billing.")
    assert "Mars/Olympus_Mons" in problems.by_field["timezone"] and "language" in problems.by_field
    _, problems = validate(CH, techs="", pipelines="", language="auto", timezone_name="CET", muted=False,
                           vocabulary=v, lang="fr")
    assert "n'est pas un fuseau IANA" in problems.by_field["timezone"]


def test_settings_are_shared_by_processes_and_reset_by_clearing_them(engine, make_engine, mongo_db):
    settle(engine, techs="Spark", timezone="Asia/Tokyo", muted=True)
    other = make_engine(mongo_db.name)  # another process on the same index directory
    s = other.channels.get(CH)
    assert (s.techs, s.timezone, s.muted, s.updated_by) == (("Spark",), "Asia/Tokyo", True, "UADMIN")
    settle(other)  # everything cleared: the channel is back to the defaults
    assert engine.channels.get(CH) is None and engine.channels.all() == []


def test_an_old_state_file_is_migrated_in_place(tmp_path):
    from core.errors import IndexMismatch
    from core.state import StateStore

    path = tmp_path / "state.sqlite3"
    db = sqlite3.connect(path)  # what the previous release wrote: no settings tables, no version
    db.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                     "CREATE TABLE feedback (at TEXT NOT NULL, user TEXT, answer_id TEXT, vote TEXT, question TEXT);"
                     "INSERT INTO meta VALUES ('generation', '3');"
                     "INSERT INTO feedback VALUES ('2026-11-20T10:00:00+00:00', 'U1', 'a1', 'up', 'q');")
    db.commit()
    db.close()
    state = StateStore(path)
    assert state.generation() == 3 and len(state.feedback()) == 1
    assert state.get_meta("state_version") == 3  # the two named steps since the first release, plus one
    state.save_thread_context("D1", "1.0", {"channel_id": CH})
    assert state.thread_context("D1", "1.0") == {"channel_id": CH}
    state.set_meta("state_version", 99)
    state.close()
    with pytest.raises(IndexMismatch, match="newer flowrag"):
        StateStore(path)
