"""Exactly once, without a visible duplicate, with several bot processes started together over real
sockets (the Slack stand-in, SecantusDB): the digest of a channel and day and the alert of a new
error are posted by one process only, never posted then deleted, and no claim marker is ever
delivered. Processes sharing an index claim in state.sqlite3; replicas with their own index claim
through Slack (scheduled-message markers). tests/claim_race.py drives the processes;
bench/bench_claims.py repeats the same races many more times."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from claim_race import Workers
from conftest import TZ, run
from slack_standin import SlackStandin
from test_digest import DAY, month
from test_live import rs_uri  # noqa: F401 - a replica-set SecantusDB (change streams)

ROUNDS = 3  # per case here (with 2 and 3 processes: 12 digest races); bench/bench_claims.py runs 25 per case
ALERTS = "C0ALERTS"
TABLES = ("orders", "customers", "invoices", "payments", "refunds", "shipments", "returns", "stock")


@pytest.fixture
def slack():
    with SlackStandin() as s:
        yield s


def env_for(slack, mongo_uri, db, **extra) -> dict:
    return {"MONGO_URI": mongo_uri, "MONGO_DB": db, "MONGO_COLLECTION": "flows", "FLOWRAG_TIMEZONE": TZ,
            "SLACK_BOT_TOKEN": slack.bot_token, "SLACK_APP_TOKEN": slack.app_token, "SLACK_API_URL": slack.api_url,
            "LITELLM_MODEL": "", "FLOWRAG_DIGEST_LANGUAGE": "en", **extra}


def bot_posts(slack, channel: str) -> list:
    return [c for c in slack.calls_to("chat.postMessage") if c.params.get("channel") == channel and c.response.get("ok")]


def payload(call) -> dict:
    meta = call.params.get("metadata") or {}
    meta = json.loads(meta) if isinstance(meta, str) else meta
    return meta.get("event_payload") or {}


def assert_no_visible_leftover(slack) -> None:
    assert not slack.calls_to("chat.delete"), "a post was withdrawn after it notified"
    assert not slack.scheduled, "a claim marker was left scheduled"
    assert not slack.scheduled_sent, "a claim marker was delivered"


@pytest.mark.parametrize("shared", [True, False], ids=["sharing-an-index", "replicas"])
def test_two_then_three_processes_post_one_digest(slack, mongo_db, mongo_uri, tmp_path, shared):
    mongo_db.flows.insert_many([dict(d) for d in month()])
    for n in (2, 3):
        dirs = [tmp_path / f"index-{n}" if shared else tmp_path / f"replica-{n}-{i}" for i in range(n)]
        workers = Workers(env_for(slack, mongo_uri, mongo_db.name), dirs)
        try:
            for r in range(ROUNDS):
                channel = f"C0D{n}{r}"
                slack.post_user_message(channel, "good morning")  # the channel exists
                outs = workers.race(f"digest {channel} {DAY.isoformat()}")
                posts = bot_posts(slack, channel)
                assert len(posts) == 1, (n, r, outs)  # not one extra chat.postMessage
                assert payload(posts[0])["digest"] == DAY.isoformat()
                assert [o["ts"] for o in outs if o["ts"]] == [posts[0].response["ts"]]
        finally:
            workers.close()
    assert_no_visible_leftover(slack)
    # the replicas really raced through Slack: markers were scheduled and listed in each round
    if not shared:
        assert len(slack.calls_to("chat.scheduleMessage")) >= 2 * ROUNDS * 2


@pytest.mark.parametrize("shared", [True, False], ids=["sharing-an-index", "replicas"])
def test_three_processes_alert_a_new_error_once_and_history_in_one_summary(slack, mongo_db, mongo_uri, tmp_path,
                                                                           shared):
    now = datetime.now(timezone.utc)
    history = [run(f"job-{i % 4}", "Spark", "FAILED", f"Old failure kind {chr(65 + i)} in stage", now - timedelta(days=2, hours=i))
               for i in range(12)]
    mongo_db.flows.insert_many(history)
    slack.post_user_message(ALERTS, "alerts go here")
    dirs = [tmp_path / "index" if shared else tmp_path / f"replica-{i}" for i in range(3)]
    workers = Workers(env_for(slack, mongo_uri, mongo_db.name, FLOWRAG_ALERT_CHANNEL=ALERTS,
                              FLOWRAG_ALERT_CATCH_UP="0", FLOWRAG_REFRESH_WINDOW="48"), dirs)
    try:
        workers.race("alert")  # they start watching an index with history: one summary, no alert each
        (summary,) = bot_posts(slack, ALERTS)
        assert "12 failing messages came with history" in summary.params["text"]
        for r in range(ROUNDS):
            # a run written when it started, two hours ago, set to FAILED now with a message never seen
            rid = mongo_db.flows.insert_one(run("job-late", "dbt", "RUNNING", "", now - timedelta(hours=2))).inserted_id
            workers.race("alert")
            mongo_db.flows.update_one({"_id": rid}, {"$set": {"status": "FAILED",
                                                              "error_message": f"Relation {TABLES[r]} does not exist"}})
            before = len(bot_posts(slack, ALERTS))
            outs = workers.race("alert")
            new = bot_posts(slack, ALERTS)[before:]
            assert len(new) == 1, (r, outs)
            assert f"New error: Relation {TABLES[r]} does not exist" in new[0].params["text"]
            assert payload(new[0])["alert"]
        assert all(o["ts"] == [] for o in workers.race("alert"))  # nothing new: nothing posted
    finally:
        workers.close()
    assert len(bot_posts(slack, ALERTS)) == 1 + ROUNDS
    assert_no_visible_leftover(slack)


# --- the same through `flowrag serve` itself: Bolt + SocketModeHandler, change streams ----------------

def test_three_serve_processes_one_digest_one_summary_one_alert_for_a_late_failure(slack, rs_uri, tmp_path,
                                                                                   make_engine):
    """Two `flowrag serve` processes share an index, a third is a replica with its own; all started
    together, with the digest due at once and new-error alerts on."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from pymongo import MongoClient

    root = Path(__file__).resolve().parents[1]
    col = MongoClient(rs_uri, serverSelectionTimeoutMS=3000).serve_race.flows
    col.drop()
    now = datetime.now(timezone.utc)
    col.insert_many([run(f"job-{i % 3}", "Spark", "FAILED", f"Old failure kind {chr(65 + i)} in stage",
                         now - timedelta(days=1, hours=i)) for i in range(6)]
                    + [run("job-ok", "dbt", "SUCCESS", "", now - timedelta(days=1, hours=h)) for h in range(6)])
    # the shared index exists before they start: Chroma cannot create one directory from two processes at once
    make_engine("serve_race", MONGO_URI=rs_uri, CHROMA_DB_DIR=str(tmp_path / "shared")).ingest()
    for channel in ("C0DIGEST", ALERTS):
        slack.post_user_message(channel, "hello")
    env = {**os.environ, **env_for(slack, rs_uri, "serve_race", FLOWRAG_DIGEST_CHANNELS="C0DIGEST",
                                   FLOWRAG_DIGEST_TIME="00:00", FLOWRAG_DIGEST_DAYS="*",
                                   FLOWRAG_ALERT_CHANNEL=ALERTS, FLOWRAG_ALERT_CATCH_UP="2"),
           "PYTHONPATH": str(root), "FLOWRAG_HEARTBEAT_FILE": str(tmp_path / "beat")}
    exe = Path(sys.executable).with_name("flowrag")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "flowrag"]
    procs = [subprocess.Popen(cmd + ["serve"], env=dict(env, CHROMA_DB_DIR=str(tmp_path / d)), cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for d in ("shared", "shared", "replica")]

    def posts(channel):
        return bot_posts(slack, channel)

    try:
        slack.wait_connected(timeout=90, total=3)
        slack._wait("the digest", lambda: posts("C0DIGEST") or None, 90)
        col.insert_one(run("job-ok", "dbt", "SUCCESS", "", now))  # a change: every stream follower checks
        slack._wait("the summary of the history", lambda: posts(ALERTS) or None, 60)
        time.sleep(3)  # past FLOWRAG_ALERT_CATCH_UP: what comes next is news
        rid = col.insert_one(run("job-late", "dbt", "RUNNING", "", now - timedelta(hours=2))).inserted_id
        time.sleep(2)
        col.update_one({"_id": rid}, {"$set": {"status": "FAILED", "error_message": "Relation orders does not exist"}})
        slack._wait("the alert", lambda: len(posts(ALERTS)) >= 2 or None, 60)
        time.sleep(5)  # room for a duplicate to show up
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        errs = []
        for p in procs:
            try:
                errs.append(p.communicate(timeout=30)[1])
            except subprocess.TimeoutExpired:
                p.kill()
                errs.append(p.communicate()[1])
    assert [p.returncode for p in procs] == [0, 0, 0], "\n".join(e[-2000:] for e in errs)
    (digest,) = posts("C0DIGEST")
    assert payload(digest)["digest"]
    alerts = posts(ALERTS)
    assert len(alerts) == 2, [m.params["text"][:200] for m in alerts]
    summary, alert = alerts
    assert "6 failing messages came with history" in summary.params["text"]
    assert "New error: Relation orders does not exist" in alert.params["text"]
    assert_no_visible_leftover(slack)


def test_a_marker_left_by_a_dead_replica_is_deleted_before_it_is_ever_delivered(slack, tmp_path):
    import time

    from bot.claims import MARKER_PREFIX, MARKER_STALE_S, Claims
    from core.state import StateStore
    from slack_sdk import WebClient

    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    slack.post_user_message("C0D", "hi")
    later = int(time.time()) + 86400
    client.chat_scheduleMessage(channel="C0D", post_at=later, text=MARKER_PREFIX + "digest:C0D:2026-11-23")
    theirs = client.chat_scheduleMessage(channel="C0D", post_at=later, text="Team lunch reminder")
    state = StateStore(tmp_path / "state.sqlite3")
    assert Claims(client, state).sweep("C0D") == 0  # a live claim is left alone
    assert Claims(client, state, clock=lambda: time.time() + MARKER_STALE_S + 5).sweep("C0D") == 1
    assert list(slack.scheduled) == [theirs["scheduled_message_id"]]  # someone's own scheduled message stays
    # and a claim made after a dead replica's marker is not blocked by it
    stale = client.chat_scheduleMessage(channel="C0D", post_at=later, text=MARKER_PREFIX + "alert:C0D:abc")
    claims = Claims(client, state, clock=lambda: time.time() + MARKER_STALE_S + 5)
    outcome = claims.post_once("C0D", "alert:C0D:abc", posted=lambda: False,
                               post=lambda: client.chat_postMessage(channel="C0D", text="new error")["ts"])
    assert outcome.status == "ours" and stale["scheduled_message_id"] not in slack.scheduled
