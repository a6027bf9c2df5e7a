"""New-error alerts on the Slack stand-in: one post per new failing message (not per run), the
runs and pipelines grouped, at most FLOWRAG_ALERT_MAX_PER_HOUR, the rest folded into one post;
a message already seen before is never alerted."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from conftest import NOW, run
from slack_standin import SlackStandin

CH = "C0ALERTS"


@pytest.fixture
def slack():
    with SlackStandin() as s:
        s.post_user_message(CH, "alerts go here")
        yield s


def test_an_alert_storm_is_bounded_and_grouped(slack, mongo_db, make_engine):
    from bot.alerts import AlertPoster
    from bot.app import web_client

    old = [run("nightly", "dbt", "FAILED", "Known flaky error", NOW - timedelta(days=3, hours=h)) for h in range(3)]
    mongo_db.flows.insert_many(old)
    e = make_engine(mongo_db.name, SLACK_BOT_TOKEN=slack.bot_token, SLACK_APP_TOKEN=slack.app_token,
                    SLACK_API_URL=slack.api_url)
    e.ingest()
    alerts = AlertPoster(web_client(e.settings), e, CH, max_per_hour=6, clock=lambda: NOW - timedelta(minutes=30))
    (summary,) = alerts.check()  # starting to watch an index with history: one summary, not an alert each
    assert "Known flaky error — 3 exécutions en échec" in json.dumps(slack.messages(CH), ensure_ascii=False)
    # a storm: 10 brand-new errors, each on 3 runs of 2 pipelines, and the known one again
    storm = [run(f"etl-{i % 2}", "Spark", "FAILED", f"Brand new failure kind {chr(65 + k)} in stage",
                 NOW - timedelta(minutes=20 - i)) for k in range(10) for i in range(3)]
    storm += [run("nightly", "dbt", "FAILED", "Known flaky error", NOW - timedelta(minutes=5))]
    mongo_db.flows.insert_many(storm)
    e.ingest()
    alerts.clock = lambda: NOW
    posted = alerts.check()
    msgs = [m for m in slack._channels[CH] if m.get("bot_id") and m["ts"] != summary]
    assert len(posted) == 7 and len(msgs) == 7  # 6 alerts + "and 4 more"
    singles = [m for m in msgs if (m.get("metadata") or {}).get("event_payload", {}).get("alert")]
    assert len(singles) == 6
    for m in singles:
        text = json.dumps(m, ensure_ascii=False)
        assert "Brand new failure kind" in text and "3 exécutions en échec" in text
        assert "etl-0" in text and "etl-1" in text
    more = [m for m in msgs if m not in singles][0]
    assert "4 autres nouvelles erreurs" in json.dumps(more, ensure_ascii=False)
    assert "Known flaky error" not in json.dumps(msgs, ensure_ascii=False)
    assert alerts.check() == []  # nothing new: nothing posted


def test_an_alert_slack_refused_is_posted_at_the_next_check(slack, mongo_db, make_engine):
    from bot.alerts import AlertPoster
    from bot.app import web_client

    mongo_db.flows.insert_many([run("nightly", "dbt", "FAILED", "Known flaky error", NOW - timedelta(days=3))])
    e = make_engine(mongo_db.name, SLACK_BOT_TOKEN=slack.bot_token, SLACK_APP_TOKEN=slack.app_token,
                    SLACK_API_URL=slack.api_url)
    e.ingest()
    alerts = AlertPoster(web_client(e.settings), e, CH, clock=lambda: NOW - timedelta(minutes=30), backfill="off")
    assert alerts.check() == []  # the history, recorded without a post
    mongo_db.flows.insert_many([run("etl", "Spark", "FAILED", "Broadcast timeout in stage", NOW - timedelta(minutes=2))])
    e.ingest()
    alerts.clock = lambda: NOW
    slack.fail("chat.postMessage", "fatal_error")
    assert alerts.check() == []  # Slack failed: not lost, not marked as alerted
    (ts,) = alerts.check()
    (alert,) = [m for m in slack.messages(CH) if m.get("bot_id")]
    assert alert["ts"] == ts and "Broadcast timeout in stage" in alert["text"]
    assert alerts.check() == [] and not slack.scheduled


def test_after_downtime_the_catch_up_is_one_summary_and_a_quick_restart_is_not_one(slack, mongo_db, make_engine):
    """Errors that first failed while no alerter watched the index come as one summary, edited as the
    catch-up goes on; after a restart within GAP_S, a new error is an alert of its own."""
    from bot.alerts import GAP_S, WATCHED, AlertPoster
    from bot.app import web_client

    mongo_db.flows.insert_many([run("nightly", "dbt", "FAILED", "Known flaky error", NOW - timedelta(days=3))])
    e = make_engine(mongo_db.name, SLACK_BOT_TOKEN=slack.bot_token, SLACK_APP_TOKEN=slack.app_token,
                    SLACK_API_URL=slack.api_url)
    e.ingest()
    e.state.learn_failures(e.failing_signatures(), backfill=True)  # known from an earlier life
    e.state.set_meta(WATCHED, (NOW - timedelta(hours=3)).isoformat())  # then three hours down
    down = [run(f"etl-{k}", "Spark", "FAILED", f"Stage {word} lost its executors", NOW - timedelta(hours=2, minutes=k))
            for k, word in enumerate(("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"))]
    mongo_db.flows.insert_many(down[:5])
    e.ingest()
    clock = [NOW]
    alerts = AlertPoster(web_client(e.settings), e, CH, max_per_hour=6, clock=lambda: clock[0], catch_up_s=60)
    (summary_ts,) = alerts.check()
    mongo_db.flows.insert_many(down[5:])  # the rest of the catch-up, a moment later
    e.ingest()
    clock[0] = NOW + timedelta(seconds=20)
    assert alerts.check() == []  # folded into the same message, edited
    (summary,) = [m for m in slack.messages(CH) if m.get("bot_id")]
    shown = json.dumps(summary, ensure_ascii=False)
    assert summary["ts"] == summary_ts and "8 messages d'échec sont arrivés avec l'historique" in shown
    assert all(f"Stage {w} lost its executors" in shown for w in ("alpha", "theta"))
    assert "Known flaky error" not in shown

    # a restart 30 s later: watched moments ago, so a new error is news, alerted on its own
    clock[0] = NOW + timedelta(seconds=90)
    alerts.heartbeat()
    clock[0] += timedelta(seconds=30)
    assert (clock[0] - (NOW + timedelta(seconds=90))).total_seconds() < GAP_S
    restarted = AlertPoster(web_client(e.settings), e, CH, clock=lambda: clock[0], catch_up_s=60)
    mongo_db.flows.insert_many([run("etl-9", "Spark", "FAILED", "Checkpoint directory is not writable",
                                    NOW - timedelta(hours=1))])
    e.ingest()
    (ts,) = restarted.check()
    alert = [m for m in slack.messages(CH) if m["ts"] == ts][0]
    assert alert["metadata"]["event_payload"]["alert"] and "Nouvelle erreur : Checkpoint directory" in alert["text"]


def test_a_process_started_a_moment_after_another_joins_its_catch_up(slack, mongo_db, make_engine):
    """Two processes share an index that no alerter watched: the second one starts after the first
    one's heartbeat, and the history it happens to learn first is still history (one summary), not
    six 'new error' alerts (seen in CI when the machine was busy)."""
    from bot.alerts import AlertPoster
    from bot.app import web_client

    e = make_engine(mongo_db.name, SLACK_BOT_TOKEN=slack.bot_token, SLACK_APP_TOKEN=slack.app_token,
                    SLACK_API_URL=slack.api_url)
    clock = [NOW]
    first = AlertPoster(web_client(e.settings), e, CH, clock=lambda: clock[0], catch_up_s=60)
    first.heartbeat()
    clock[0] = NOW + timedelta(seconds=1)
    second = AlertPoster(web_client(e.settings), e, CH, clock=lambda: clock[0], catch_up_s=60)
    history = [run(f"job-{k}", "Spark", "FAILED", f"Old failure kind {chr(65 + k)} in stage", NOW - timedelta(days=1, hours=k))
               for k in range(6)]
    mongo_db.flows.insert_many(history)
    e.ingest()
    assert len(second.check()) == 1 and first.check() == []
    posts = [m["text"] for m in slack.messages(CH) if m.get("bot_id")]
    assert len(posts) == 1 and "6" in posts[0] and not any("Nouvelle erreur" in p or "New error" in p for p in posts)
