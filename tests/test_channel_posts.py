"""What flowrag posts by itself, per channel settings, on the Slack stand-in: the digest and the
new-error alerts use the channel's filter, language and timezone; a muted channel gets neither."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from conftest import NOW, run
from slack_standin import SlackStandin
from test_digest import DAY, PARIS, month

NY = ZoneInfo("America/New_York")
CHANNELS = ("C0PARIS", "C0INFA", "C0MUTED")


@pytest.fixture
def slack():
    with SlackStandin() as s:
        for c in (*CHANNELS, "C0ALERTS"):
            s.post_user_message(c, "hello")  # the channels exist
        yield s


def settle(engine, channel, **fields):
    from core.channels import validate

    s, problems = validate(channel, techs=fields.get("techs"), pipelines=fields.get("pipelines"),
                           language=fields.get("language"), timezone_name=fields.get("timezone"),
                           muted=fields.get("muted", False), vocabulary=engine.vocabulary())
    assert not problems, problems.by_field
    engine.channels.save(s, by="UADMIN")


def posted(slack, channel) -> list[dict]:
    """What the bot posted in the channel itself (a digest's chart goes in its thread)."""
    return [m for m in slack.messages(channel) if m.get("bot_id") and m.get("thread_ts") in (None, m["ts"])]


def test_each_channel_gets_its_own_digest_at_its_own_time(slack, mongo_db, make_engine):
    from bot.app import web_client
    from bot.digest import DigestPoster, DigestScheduler, Schedule

    docs = month()
    mongo_db.flows.insert_many([dict(x) for x in docs])
    e = make_engine(mongo_db.name, SLACK_BOT_TOKEN=slack.bot_token, SLACK_APP_TOKEN=slack.app_token,
                    SLACK_API_URL=slack.api_url, FLOWRAG_DIGEST_CHANNELS=",".join(CHANNELS))
    e.ingest()
    settle(e, "C0INFA", techs="informatica", language="en", timezone="America/New_York")
    settle(e, "C0MUTED", muted=True)
    poster = DigestPoster(web_client(e.settings), e)

    def tick(utc: datetime):
        return DigestScheduler(poster, Schedule.from_settings(e.settings), clock=lambda: utc).tick()

    paris_0910 = datetime(2026, 11, 24, 9, 10, tzinfo=PARIS).astimezone(timezone.utc)
    assert len(tick(paris_0910)) == 1  # 03:10 in New York: its digest is not due yet
    assert len(posted(slack, "C0PARIS")) == 1 and not posted(slack, "C0INFA")
    ny_0900 = datetime(2026, 11, 24, 9, 0, tzinfo=NY).astimezone(timezone.utc)
    assert len(tick(ny_0900)) == 1
    assert not posted(slack, "C0MUTED") and len(posted(slack, "C0PARIS")) == 1

    (digest,) = posted(slack, "C0INFA")
    text = json.dumps(digest, ensure_ascii=False)
    ny_day = [d for d in docs if d["timestamp"].astimezone(NY).date() == DAY and d["tech"] == "Informatica"]
    paris_day = [d for d in docs if d["timestamp"].astimezone(PARIS).date() == DAY and d["tech"] == "Informatica"]
    failed = sum(d["status"] == "FAILED" for d in ny_day)
    assert len(ny_day) != len(paris_day)  # the data tells the two days apart
    assert "Flows digest — 2026-11-23" in text and "Channel filter: Informatica" in text
    assert f"{failed} failures out of {len(ny_day)} runs" in text
    for other in ("Talend", "crm_sync", "flaky_export", "partner_feed"):
        assert other not in text, other
    # its thread's follow-ups stay within the filter, and say so
    context = json.loads(digest["metadata"]["event_payload"]["context"])
    answer = e.ask("and by pipeline?", context=context, channel="C0INFA")
    assert "channel default: Informatica" in answer.interpretation and "sales_agg" in answer.text


def test_alerts_follow_the_channel_filter_language_and_timezone_and_stop_when_muted(slack, mongo_db, make_engine):
    from bot.alerts import AlertPoster
    from bot.app import web_client

    mongo_db.flows.insert_many([run("nightly", "dbt", "FAILED", "Known flaky error", NOW - timedelta(days=3)),
                                run("etl-0", "Spark", "SUCCESS", "", NOW - timedelta(days=3)),
                                run("ingest-web", "NiFi", "SUCCESS", "", NOW - timedelta(days=3))])
    e = make_engine(mongo_db.name, SLACK_BOT_TOKEN=slack.bot_token, SLACK_APP_TOKEN=slack.app_token,
                    SLACK_API_URL=slack.api_url)
    e.ingest()
    settle(e, "C0ALERTS", techs="Spark, dbt", language="en", timezone="Asia/Tokyo")
    alerts = AlertPoster(web_client(e.settings), e, "C0ALERTS", clock=lambda: NOW - timedelta(minutes=30),
                         backfill="off")
    assert alerts.check() == []  # what the index held when it started watching is history: no post here
    first = NOW - timedelta(minutes=20)
    mongo_db.flows.insert_many([
        run("etl-0", "Spark", "FAILED", "Executor lost: heartbeat timed out", first),
        run("etl-1", "Spark", "FAILED", "Executor lost: heartbeat timed out", first + timedelta(minutes=5)),
        run("ingest-web", "NiFi", "FAILED", "Queue full, back pressure applied", first),  # not this channel's
    ])
    e.ingest()
    alerts.clock = lambda: NOW
    alerts.check()
    msgs = posted(slack, "C0ALERTS")
    assert len(msgs) == 1
    text = json.dumps(msgs[0], ensure_ascii=False)
    tokyo = first.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d %H:%M")
    assert "New error: Executor lost" in text and "2 failed runs so far" in text and tokyo in text
    assert "Queue full" not in text

    settle(e, "C0ALERTS", techs="Spark", muted=True)
    mongo_db.flows.insert_many([run("etl-0", "Spark", "FAILED", "Shuffle fetch failed", NOW - timedelta(minutes=1))])
    e.ingest()
    assert alerts.check() == [] and len(posted(slack, "C0ALERTS")) == 1
