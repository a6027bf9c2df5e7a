"""The assistant side panel beside a channel, end to end (real Bolt app, Socket Mode, stand-in):
the viewed channel's settings are the defaults of the panel's questions, moving to another
channel moves them, and "why did this fail?" reads that channel's latest alert."""
from __future__ import annotations

import json
import time

from test_ask import at
from test_bot import CH, all_text, data, final_answer, slack, start_bot  # noqa: F401 (fixtures)

DM = "D0ASSIST"


def settle(engine, channel, **fields):
    from core.channels import validate

    s, problems = validate(channel, techs=fields.get("techs"), pipelines=None, language=fields.get("language"),
                           timezone_name=None, muted=False, vocabulary=engine.vocabulary())
    assert not problems
    engine.channels.save(s, by="UADMIN")


def open_panel(slack, viewing: str) -> str:
    """Slack opens an assistant thread (a root message of its own in the app's DM) beside `viewing`."""
    thread = slack.post_user_message(DM, "New Assistant Thread", user="U123")["ts"]
    slack.send_event({"type": "assistant_thread_started", "event_ts": thread,
                      "assistant_thread": {"user_id": "U123", "channel_id": DM, "thread_ts": thread,
                                           "context": {"channel_id": viewing, "team_id": slack.team_id}}})
    return thread


def move_panel(slack, thread: str, viewing: str) -> None:
    slack.send_event({"type": "assistant_thread_context_changed", "event_ts": thread,
                      "assistant_thread": {"user_id": "U123", "channel_id": DM, "thread_ts": thread,
                                           "context": {"channel_id": viewing, "team_id": slack.team_id}}})


def ask(slack, thread: str, text: str):
    q = slack.post_user_message(DM, text, thread_ts=thread)
    slack.send_event(dict(slack.event_from(q, "message", channel=DM), channel_type="im"))
    return q


def said(slack, thread: str) -> list[str]:
    return [m["text"] for m in slack.thread(DM, thread) if m.get("bot_id")]


def failed_yesterday(data, tech=None):
    return sum(1 for d in data.flows.find({}, {"_id": 0}) if d["status"] == "FAILED"
               and (tech is None or d["tech"] == tech)
               and at(0, 0) <= d["timestamp"].replace(tzinfo=at(0, 0).tzinfo) < at(1, 0))


def test_the_viewed_channel_gives_the_panel_its_defaults(slack, start_bot, data):
    bot = start_bot(FLOWRAG_DIGEST_LANGUAGE="en")
    settle(bot.engine, CH, techs="Hadoop")
    thread = open_panel(slack, CH)
    prompts = slack.wait_for_call("assistant.threads.setSuggestedPrompts", timeout=10).params["prompts"]
    prompts = prompts if isinstance(prompts, list) else json.loads(prompts)
    assert {"title": "Why did the latest alert fail?", "message": "Why did this fail?"} in prompts
    assert any("hadoop" in p["message"] for p in prompts)  # the top failing pipeline, within the filter
    assert f"You are looking at <#{CH}>: its settings apply here (filter: Hadoop)." in said(slack, thread)[0]

    q = ask(slack, thread, "How many failures yesterday?")
    text = all_text(final_answer(slack, q["ts"]).params)
    assert f"{failed_yesterday(data, 'Hadoop')} Hadoop failures yesterday" in text
    assert "channel default: Hadoop" in text

    move_panel(slack, thread, "C0ELSEWHERE")  # the user goes to a channel without settings
    deadline = time.time() + 10
    while (bot.engine.state.thread_context(DM, thread) or {}).get("channel_id") != "C0ELSEWHERE":
        assert time.time() < deadline  # Bolt acks first: wait until the move was taken in
        time.sleep(0.05)
    q = ask(slack, thread, "How many failures yesterday, in all?")
    text = all_text(final_answer(slack, q["ts"]).params)
    assert f"{failed_yesterday(data)} failures yesterday" in text and "channel default" not in text


def test_why_did_this_fail_reads_the_latest_alert_of_the_viewed_channel(slack, start_bot):
    start_bot(FLOWRAG_DIGEST_LANGUAGE="en")
    slack.post_user_message(CH, "deploy done, all green")
    slack.post_bot_message(CH, "", attachments=[{
        "title": ":red_circle: Task hdfs_check failed",
        "text": "DataNode 10.0.3.7 unreachable (Connection refused). password=hunter2 Log: http://af/log/1"}])
    slack.post_user_message(CH, "looking", user="U555")  # said after the alert: not an alert
    thread = open_panel(slack, CH)
    slack.wait_for_call("assistant.threads.setSuggestedPrompts", timeout=10)
    q = ask(slack, thread, "why did this fail?")
    answer = final_answer(slack, q["ts"])
    first = answer.params["blocks"][0]["text"]["text"]
    assert "DataNode" in first and "Connection refused" in first
    assert "hadoop-hdfs" in all_text(answer.params)
    reading = next(t for t in said(slack, thread) if t.startswith("The latest alert in"))
    assert reading.startswith(f"The latest alert in <#{CH}> (Airflow): “:red_circle: Task hdfs_check failed")
    assert "hunter2" not in all_text(slack.thread(DM, thread))


def test_a_channel_the_bot_is_not_in_is_said_so(slack, start_bot):
    start_bot()
    slack.post_user_message("C0PRIVATE", "ETL failed again")
    slack.bot_not_in.add("C0PRIVATE")
    thread = open_panel(slack, "C0PRIVATE")
    slack.wait_for_call("assistant.threads.setSuggestedPrompts", timeout=10)
    ask(slack, thread, "c'est quoi cette erreur ?")
    slack.wait_for_call("chat.postMessage", lambda c: "membre" in all_text(c.params), timeout=10)
    (last,) = [t for t in said(slack, thread) if "membre" in t]
    assert last.startswith("Je ne peux pas lire <#C0PRIVATE> : je n'en suis pas membre. Invitez-moi")
