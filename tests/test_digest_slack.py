"""The digest in Slack, against the stand-in: exactly one per channel per day (two bot processes
racing, a restart, a bot down at 08:30 and back at 09:10), the chart uploaded with
files_upload_v2 into its thread, and replies in that thread answered as follow-ups about the day."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone

import pytest

from slack_standin import SlackStandin
from test_digest import DAY, PARIS, month

CH = "C0DIGEST"
TUESDAY_0910 = datetime(2026, 11, 24, 9, 10, tzinfo=PARIS).astimezone(timezone.utc)


@pytest.fixture
def slack():
    with SlackStandin() as s:
        s.post_user_message(CH, "morning all")  # the channel exists, with some chatter
        yield s


@pytest.fixture
def make_bot_engine(slack, mongo_db, make_engine):
    mongo_db.flows.insert_many([dict(x) for x in month()])

    def make(**kw):
        e = make_engine(mongo_db.name, SLACK_BOT_TOKEN=slack.bot_token, SLACK_APP_TOKEN=slack.app_token,
                        SLACK_API_URL=slack.api_url, FLOWRAG_DIGEST_CHANNELS=CH, **kw)
        e.ingest()
        return e

    return make


def scheduler(engine, clock):
    from bot.app import web_client
    from bot.digest import DigestPoster, DigestScheduler, Schedule

    return DigestScheduler(DigestPoster(web_client(engine.settings), engine), Schedule.from_settings(engine.settings),
                           clock=lambda: clock)


def digests(slack) -> list[dict]:
    out = []
    for m in slack._channels.get(CH, []):
        payload = (m.get("metadata") or {}).get("event_payload") or {}
        if payload.get("digest"):
            out.append(m)
    return out


def test_two_processes_post_one_digest_with_its_chart(slack, make_bot_engine, tmp_path):
    a = make_bot_engine()
    b = make_bot_engine(CHROMA_DB_DIR=str(tmp_path / "replica-b"))
    sa, sb = scheduler(a, TUESDAY_0910), scheduler(b, TUESDAY_0910)
    results = []
    threads = [threading.Thread(target=lambda s=s: results.append(s.tick())) for s in (sa, sb)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    posted = digests(slack)
    assert len(posted) == 1, [m["ts"] for m in posted]
    d = posted[0]
    assert d["metadata"]["event_payload"]["digest"] == DAY.isoformat()
    text = json.dumps(d, ensure_ascii=False)
    assert "Synthèse des flux — 2026-11-23" in text and "sales_agg" in text and "partner_feed" in text
    charts = [f for f in slack.files.values() if f.get("thread_ts") == d["ts"]]
    assert len(charts) == 1 and charts[0]["data"][:8] == b"\x89PNG\r\n\x1a\n"
    # ticking again, or a restarted process, posts nothing more that day
    assert sa.tick() == [] and scheduler(a, TUESDAY_0910).tick() == []
    assert len(digests(slack)) == 1


def test_catch_up_after_downtime_the_same_day_only(slack, make_bot_engine):
    e = make_bot_engine()
    before = datetime(2026, 11, 24, 8, 0, tzinfo=PARIS).astimezone(timezone.utc)
    assert scheduler(e, before).tick() == []  # not yet 08:30
    assert len(scheduler(e, TUESDAY_0910).tick()) == 1  # down at 08:30, up at 09:10: one catch-up
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=PARIS).astimezone(timezone.utc)
    assert scheduler(e, saturday).tick() == []  # mon-fri by default
    assert len(digests(slack)) == 1


def test_replies_in_the_digest_thread_are_follow_ups_about_that_day(slack, make_bot_engine):
    from test_bot import Bot, final_answer

    e = make_bot_engine()
    (ts,) = scheduler(e, TUESDAY_0910).tick()
    bot = Bot(slack, e)
    try:
        slack.wait_connected(total=1)
        reply = slack.post_user_message(CH, "et pour Talend ?", thread_ts=ts)
        slack.send_event(slack.event_from(reply, "message"))
        text = json.dumps(final_answer(slack, reply["ts"]).params, ensure_ascii=False)
        talend = sum(1 for x in month() if x["tech"] == "Talend" and x["status"] == "FAILED"
                     and x["timestamp"].astimezone(PARIS).date() == DAY)
        assert f"{talend} échecs Talend" in text and "2026-11-23" in text
    finally:
        bot.close()


def test_slash_digest_shows_it_on_demand(slack, make_bot_engine):
    from test_bot import Bot

    e = make_bot_engine()
    bot = Bot(slack, e)
    try:
        slack.wait_connected(total=1)
        env = slack.send_slash_command("synthèse", channel_id=CH)
        ack = slack.wait_for_ack(env)
        text = json.dumps(ack, ensure_ascii=False)
        assert "Synthèse des flux" in text and "ephemeral" in text
    finally:
        bot.close()
