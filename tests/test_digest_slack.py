"""The digest in Slack, against the stand-in: exactly one per channel per day (two bot processes
racing, a restart, a bot down at 08:30 and back at 09:10), its summary table and Slack's native
chart, the chart as text and a PNG uploaded with files_upload_v2 into its thread where Slack
refuses the native one, and replies in that thread answered as follow-ups about the day."""
from __future__ import annotations

import json
import statistics
import threading
from datetime import datetime, timedelta, timezone

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
    # the summary as a table and the 14 days as Slack's own chart: no PNG needed then
    (table,) = [b for b in d["blocks"] if b["type"] == "table"]
    assert [[c["text"] for c in r] for r in table["rows"]] == expected_summary()
    (chart,) = [b for b in d["blocks"] if b["type"] == "data_visualization"]
    assert chart_as_dict(chart) == expected_per_day()
    assert not [f for f in slack.files.values() if f.get("thread_ts") == d["ts"]]
    # ticking again, or a restarted process, posts nothing more that day
    assert sa.tick() == [] and scheduler(a, TUESDAY_0910).tick() == []
    assert len(digests(slack)) == 1


def failed_on(day) -> list[dict]:
    return [x for x in month() if x["status"] == "FAILED" and x["timestamp"].astimezone(PARIS).date() == day]


def expected_summary() -> list[list[str]]:
    """Technology · failures on DAY · median of the 7 days before, then the total: from the docs."""
    def median(values):
        v = statistics.median(values)
        return f"{v:g}".replace(".", ",")

    before = [failed_on(DAY - timedelta(days=k)) for k in range(1, 8)]
    techs = {x["tech"] for x in failed_on(DAY)} | {x["tech"] for day in before for x in day}
    rows = [[tech, sum(x["tech"] == tech for x in failed_on(DAY)),
             median([sum(x["tech"] == tech for x in day) for day in before])] for tech in techs]
    rows.sort(key=lambda r: (-r[1], r[0]))
    total = ["Total", len(failed_on(DAY)), median([len(day) for day in before])]
    return [["Techno", DAY.isoformat(), "Habituel (médiane 7 j)"]] + [[str(c) for c in r] for r in rows + [total]]


def expected_per_day() -> dict:
    """{technology: [failures per day]} over the 14 days ending on DAY, and the day labels."""
    days = [DAY - timedelta(days=k) for k in range(13, -1, -1)]
    techs = {x["tech"] for day in days for x in failed_on(day)}
    return {"days": [f"{d:%m-%d}" for d in days],
            **{tech: [sum(x["tech"] == tech for x in failed_on(d)) for d in days] for tech in techs}}


def chart_as_dict(block: dict) -> dict:
    c = block["chart"]
    return {"days": c["axis_config"]["categories"], **{s["name"]: [p["value"] for p in s["data"]] for s in c["series"]}}


def test_a_workspace_without_native_charts_gets_the_text_and_the_png(slack, make_bot_engine):
    slack.accepts_charts = False  # rolling out: Slack answers invalid_blocks for the chart
    e = make_bot_engine()
    (ts,) = scheduler(e, TUESDAY_0910).tick()
    (d,) = digests(slack)
    assert d["ts"] == ts and not [b for b in d["blocks"] if b["type"] in ("data_visualization", "table")]
    text = json.dumps(d["blocks"], ensure_ascii=False)
    assert "Synthèse des flux — 2026-11-23" in text
    per_day = expected_per_day()
    assert " · ".join(f"{day} {n}" for day, n in zip(per_day["days"], per_day["Informatica"])) in text
    summary = expected_summary()
    assert " · ".join(summary[1]) in text and " · ".join(summary[-1]) in text
    (png,) = [f for f in slack.files.values() if f.get("thread_ts") == ts]
    assert png["data"][:8] == b"\x89PNG\r\n\x1a\n"


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
        slack.wait_for_ack(env)
        post = slack.wait_for_response_url_post()
        assert "Synthèse des flux" in json.dumps(post, ensure_ascii=False) and post["response_type"] == "ephemeral"
        assert [b for b in post["blocks"] if b["type"] == "data_visualization"]
        slack.accepts_tables = False  # refused: the same digest again, its table as text
        env = slack.send_slash_command("synthèse", channel_id=CH)
        slack.wait_for_ack(env)
        post = slack.wait_for_response_url_post(lambda b: b is not post and not any(
            x["type"] == "table" for x in b["blocks"]))
        assert " · ".join(expected_summary()[-1]) in json.dumps(post, ensure_ascii=False)
    finally:
        bot.close()
