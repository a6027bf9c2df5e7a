"""The Slack stand-in, proven against the real Bolt App + builtin Socket Mode client."""
from __future__ import annotations

import threading
import time

import pytest
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

try:
    from tests.slack_standin import SlackStandin
except ImportError:  # tests/ is not a package: pytest puts tests/ itself on sys.path
    from slack_standin import SlackStandin


@pytest.fixture
def slack():
    with SlackStandin() as s:
        yield s


@pytest.fixture
def bolt(slack):
    """bolt(register) -> (app, handler): a real Bolt app connected to the stand-in over Socket Mode."""
    handlers: list[SocketModeHandler] = []

    def make(register, *, retry_on_429: bool = False):
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        if retry_on_429:
            client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
        app = App(token=slack.bot_token, client=client)  # calls auth.test now
        register(app)
        handler = SocketModeHandler(app, slack.app_token)
        handler.connect()  # non-blocking, unlike start()
        handlers.append(handler)
        slack.wait_connected(timeout=5)
        return app, handler

    yield make
    for h in handlers:
        h.close()


def reply_in_thread(app: App, seen: list | None = None):
    @app.event("app_mention")
    def on_mention(event, say):
        say(text=f"re: {event['text']}", thread_ts=event.get("thread_ts") or event["ts"],
            metadata={"event_type": "flowrag_answer", "event_payload": {"q": event["text"]}})

    @app.event("message")
    def on_message(event):
        if seen is not None:
            seen.append(event)


def test_mention_is_acked_and_answered_in_thread(slack, bolt):
    bolt(reply_in_thread)
    assert slack.calls_to("auth.test")[0].token == slack.bot_token
    assert slack.calls_to("apps.connections.open")[0].token == slack.app_token

    msg = slack.post_user_message("C1", "<@UBOT> how did etl_daily do?")
    env = slack.send_event(slack.event_from(msg, "app_mention"))
    slack.wait_for_ack(env, timeout=3)
    assert slack.acks[env][1] < 3.0

    call = slack.wait_for_call("chat.postMessage", timeout=5)
    assert call.token == slack.bot_token and call.response["ok"]
    assert call.params["thread_ts"] == msg["ts"] and call.params["channel"] == "C1"

    parent, reply = slack.thread("C1", msg["ts"])
    assert parent["reply_count"] == 1 and parent["thread_ts"] == msg["ts"]
    assert reply["bot_id"] == "BBOT" and reply["text"].startswith("re: ")
    assert float(reply["ts"]) > float(msg["ts"])

    # conversations.replies shows the thread, metadata only when asked for
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    plain = client.conversations_replies(channel="C1", ts=msg["ts"])["messages"]
    assert [m["ts"] for m in plain] == [msg["ts"], reply["ts"]] and "metadata" not in plain[1]
    full = client.conversations_replies(channel="C1", ts=msg["ts"], include_all_metadata=True)["messages"]
    assert full[1]["metadata"] == {"event_type": "flowrag_answer", "event_payload": {"q": msg["text"]}}


def test_echo_of_own_message_is_delivered_and_ignored_by_bolt(slack, bolt):
    seen: list[dict] = []
    bolt(lambda app: reply_in_thread(app, seen))
    msg = slack.post_user_message("C1", "<@UBOT> hi")
    slack.send_event(slack.event_from(msg, "app_mention"))

    echo = slack.wait_for_envelope(lambda e: e["payload"].get("event", {}).get("bot_id") == "BBOT", timeout=5)
    event = echo["payload"]["event"]
    assert event["type"] == "message" and "subtype" not in event
    assert event["user"] == "UBOT" and event["thread_ts"] == msg["ts"] and event["channel"] == "C1"
    assert echo["envelope_id"] in slack.echo_envelope_ids
    slack.wait_for_ack(echo["envelope_id"], timeout=3)  # Bolt acks self events without running listeners

    # a user's message does reach the message listener: the echo was dropped, not lost
    other = slack.post_user_message("C1", "plain chatter")
    slack.wait_for_ack(slack.send_event(slack.event_from(other, "message")), timeout=3)
    deadline = time.monotonic() + 3
    while not seen and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [e["text"] for e in seen] == ["plain chatter"]


def test_slash_command_acked_quickly_then_response_url(slack, bolt):
    def register(app):
        @app.command("/flowrag")
        def command(ack, respond, command):
            ack(text="working on it")
            respond(text=f"answer: {command['text']}")

    bolt(register)
    env = slack.send_slash_command("status etl_daily", channel_id="C7")
    ack = slack.wait_for_ack(env, timeout=3)
    assert ack["payload"] == {"text": "working on it"} and slack.acks[env][1] < 3.0
    post = slack.wait_for_response_url_post(timeout=3)
    assert post["text"] == "answer: status etl_daily"
    assert slack.ephemerals[-1]["channel"] == "C7"  # no response_type -> ephemeral, like Slack


def test_block_action_acked_and_replace_original(slack, bolt):
    def register(app):
        @app.action("retry")
        def on_retry(ack, body, respond):
            ack()
            respond(replace_original=True, text=f"retrying {body['actions'][0]['value']}")

    bolt(register)
    posted = WebClient(token=slack.bot_token, base_url=slack.api_url).chat_postMessage(channel="C1", text="failed")
    env = slack.send_block_action("retry", "run-42", channel_id="C1", message_ts=posted["ts"])
    slack.wait_for_ack(env, timeout=3)
    slack.wait_for_response_url_post(timeout=3)
    assert [m["text"] for m in slack.messages("C1")] == ["retrying run-42"]


def test_rate_limit_retry_after_is_honoured(slack, bolt):
    bolt(reply_in_thread, retry_on_429=True)
    slack.rate_limit("chat.postMessage", times=1, retry_after=1)
    msg = slack.post_user_message("C1", "<@UBOT> hi")
    slack.send_event(slack.event_from(msg, "app_mention"))
    ok = slack.wait_for_call("chat.postMessage", lambda c: c.response["ok"], timeout=4.5)
    limited = slack.calls_to("chat.postMessage")[0]
    assert limited.status == 429 and limited.response == {"ok": False, "error": "ratelimited"}
    assert ok.at - limited.at >= 1.0  # waited Retry-After
    assert len(slack.thread("C1", msg["ts"])) == 2

    # without a retry handler the client sees the 429 and the header
    slack.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as err:
        WebClient(token=slack.bot_token, base_url=slack.api_url).chat_postMessage(channel="C1", text="x")
    assert err.value.response.status_code == 429 and err.value.response.headers["Retry-After"] == "7"


def test_reconnect_after_disconnect(slack, bolt):
    bolt(reply_in_thread)
    slack.disconnect_clients()  # Slack-style {"type": "disconnect"}: client reconnects at once
    slack.wait_connected(timeout=4)
    assert slack.connections_total == 2 and len(slack.calls_to("apps.connections.open")) == 2
    msg = slack.post_user_message("C1", "<@UBOT> still there?")
    slack.wait_for_ack(slack.send_event(slack.event_from(msg, "app_mention")), timeout=3)
    slack.wait_for_call("chat.postMessage", timeout=3)


def test_web_api_state_errors_and_encodings(slack):
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    msg = slack.post_user_message("C1", "parent")
    for i in range(5):
        slack.post_user_message("C1", f"reply {i}", thread_ts=msg["ts"])

    # pagination: limit + cursor
    first = client.conversations_replies(channel="C1", ts=msg["ts"], limit=4)
    assert first["has_more"] and len(first["messages"]) == 4
    rest = client.conversations_replies(channel="C1", ts=msg["ts"], limit=4,
                                        cursor=first["response_metadata"]["next_cursor"])
    assert [m["text"] for m in rest["messages"]] == ["reply 3", "reply 4"] and not rest["has_more"]
    assert [m["text"] for m in client.conversations_history(channel="C1")["messages"]] == ["parent"]

    # form-encoded body with blocks/metadata as JSON strings (how Slack also accepts them)
    form = client.api_call("chat.postMessage", params={
        "channel": "C2", "text": "t", "blocks": '[{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]',
        "metadata": '{"event_type": "x", "event_payload": {"a": 1}}'})
    stored = slack.messages("C2")[0]
    assert stored["blocks"][0]["text"]["text"] == "hi" and stored["metadata"]["event_payload"] == {"a": 1}

    # reactions, like Slack
    client.reactions_add(channel="C2", timestamp=form["ts"], name="eyes")
    with pytest.raises(SlackApiError, match="already_reacted"):
        client.reactions_add(channel="C2", timestamp=form["ts"], name="eyes")
    client.reactions_remove(channel="C2", timestamp=form["ts"], name="eyes")
    with pytest.raises(SlackApiError, match="no_reaction"):
        client.reactions_remove(channel="C2", timestamp=form["ts"], name="eyes")

    # update / permalink / delete
    client.chat_update(channel="C2", ts=form["ts"], text="edited")
    assert slack.messages("C2")[0]["text"] == "edited" and "edited" in slack.messages("C2")[0]
    assert client.chat_getPermalink(channel="C2", message_ts=form["ts"])["permalink"].endswith(
        form["ts"].replace(".", ""))
    with pytest.raises(SlackApiError, match="cant_update_message"):
        client.chat_update(channel="C1", ts=msg["ts"], text="not mine")
    client.chat_delete(channel="C2", ts=form["ts"])
    assert slack.messages("C2") == []

    # injected faults, auth, unknown methods
    slack.fail("chat.postMessage", "not_in_channel", channel="C9")
    with pytest.raises(SlackApiError, match="not_in_channel"):
        client.chat_postMessage(channel="C9", text="x")
    client.chat_postMessage(channel="C9", text="x")  # fault used up
    with pytest.raises(SlackApiError, match="invalid_auth"):
        WebClient(token="xoxb-wrong", base_url=slack.api_url).auth_test()
    with pytest.raises(SlackApiError, match="not_allowed_token_type"):
        WebClient(token=slack.app_token, base_url=slack.api_url).chat_postMessage(channel="C1", text="x")
    with pytest.raises(SlackApiError, match="unknown_method"):
        client.api_call("nope.nothing")
    assert slack.calls_to("nope.nothing")
    assert client.chat_postEphemeral(channel="C1", user="U123", text="psst")["message_ts"]
    assert client.users_info(user="U123")["user"]["id"] == "U123"


def test_thread_safety_of_concurrent_posts(slack):
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    workers = [threading.Thread(target=lambda: [client.chat_postMessage(channel="C1", text="x") for _ in range(10)])
               for _ in range(5)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=5)
    ts = [m["ts"] for m in slack.messages("C1")]
    assert len(ts) == 50 and len(set(ts)) == 50 and ts == sorted(ts, key=float)


def test_response_url_takes_five_posts_within_thirty_minutes(slack):
    import requests as http

    url = slack._new_response_url(channel="C1", user="U123")
    for i in range(5):
        assert http.post(url, json={"text": f"post {i}"}, timeout=5).status_code == 200
    refused = http.post(url, json={"text": "one too many"}, timeout=5)
    assert refused.status_code == 404 and refused.json()["error"] == "used_url"
    assert [p["text"] for p in slack.response_url_posts] == [f"post {i}" for i in range(5)]
    assert slack.response_url_refusals[0]["error"] == "used_url"

    slack.response_url_ttl_s = 0.2
    late = slack._new_response_url(channel="C1", user="U123")
    time.sleep(0.3)
    expired = http.post(late, json={"text": "too late"}, timeout=5)
    assert expired.status_code == 404 and expired.json()["error"] == "expired_url"


def test_replies_paginate_like_slack(slack):
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    parent = slack.post_user_message("C1", "parent")
    for i in range(1204):
        slack.post_user_message("C1", f"reply {i}", thread_ts=parent["ts"])

    # limit is capped at 1,000; pages go oldest first; only the first page has the parent
    first = client.conversations_replies(channel="C1", ts=parent["ts"], limit=5000)
    assert len(first["messages"]) == 1000 and first["has_more"]
    assert first["messages"][0]["ts"] == parent["ts"] and first["messages"][-1]["text"] == "reply 998"
    rest = client.conversations_replies(channel="C1", ts=parent["ts"], limit=5000,
                                        cursor=first["response_metadata"]["next_cursor"])
    assert [m["text"] for m in rest["messages"]][:1] == ["reply 999"] and len(rest["messages"]) == 205
    assert not rest["has_more"] and "response_metadata" not in rest
    with pytest.raises(SlackApiError, match="invalid_cursor"):
        client.conversations_replies(channel="C1", ts=parent["ts"], cursor="bm9wZQ==")

    # a window (oldest, exclusive unless inclusive): the parent still comes first
    pivot = slack.thread("C1", parent["ts"])[1200]["ts"]
    window = client.conversations_replies(channel="C1", ts=parent["ts"], oldest=pivot)["messages"]
    assert [m["text"] for m in window] == ["parent", "reply 1200", "reply 1201", "reply 1202", "reply 1203"]
    window = client.conversations_replies(channel="C1", ts=parent["ts"], oldest=pivot, inclusive=True)["messages"]
    assert [m["text"] for m in window][:2] == ["parent", "reply 1199"]


def test_each_connection_can_get_the_same_event(slack, bolt):
    seen: list[tuple[str, str]] = []
    for name in ("a", "b"):
        def register(app, name=name):
            @app.event("app_mention")
            def on_mention(event, body):
                seen.append((name, body["event_id"]))
        bolt(register)
    slack.wait_connected(total=2)
    msg = slack.post_user_message("C1", "<@UBOT> both of you")
    envs = slack.send_event_to_each(slack.event_from(msg, "app_mention"))
    for env in envs:
        slack.wait_for_ack(env, timeout=3)
    deadline = time.monotonic() + 3
    while len(seen) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sorted(n for n, _ in seen) == ["a", "b"] and len({e for _, e in seen}) == 1, "one event, twice"


def test_client_disconnects_are_recorded(slack, bolt):
    _, handler = bolt(reply_in_thread)
    handler.close()  # the builtin client drops the TCP connection without a close frame
    gone = slack.wait_disconnected(timeout=5)
    assert gone["by_client"] and not gone["clean"] and gone["code"] == 1006


def test_random_rate_limits_dms_deletes_and_message_subtypes(slack):
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    slack.rate_limit_randomly({"chat.postMessage"}, share=0.5, retry_after=3, seed=1)
    statuses = []
    for _ in range(20):
        try:
            client.chat_postMessage(channel="C1", text="x")
            statuses.append(200)
        except SlackApiError as e:
            assert e.response.headers["Retry-After"] == "3"
            statuses.append(e.response.status_code)
    assert 3 <= statuses.count(429) <= 17 and statuses.count(200) >= 3
    slack.rate_limit_randomly(set(), share=0)

    dm = client.chat_postMessage(channel="U123", text="just for you")  # a user id: the app's DM
    assert dm["channel"] == "DU123" and slack.messages("DU123")[0]["text"] == "just for you"

    parent = slack.post_user_message("C2", "parent")
    reply = client.chat_postMessage(channel="C2", thread_ts=parent["ts"], text="bot reply")
    assert slack.messages("C2")[0]["reply_count"] == 1
    client.chat_delete(channel="C2", ts=reply["ts"])
    assert "reply_count" not in slack.messages("C2")[0]

    broadcast = slack.post_user_message("C2", "also to the channel", thread_ts=parent["ts"],
                                        subtype="thread_broadcast")
    assert broadcast["root"]["ts"] == parent["ts"] and slack.event_from(broadcast, "message")["subtype"] == \
        "thread_broadcast"
    shared = slack.post_user_message("D0DM", "what failed in this?", subtype="file_share")
    assert shared["files"][0]["name"] == "report.csv" and shared["text"] == "what failed in this?"


# --- streams and the thinking status ------------------------------------------------------------------------

def test_streams_keep_slacks_rules(slack):
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    question = slack.post_user_message("C1", "<@UBOT> how did etl_daily do?")
    with pytest.raises(SlackApiError, match="missing_recipient_user_id"):  # outside a DM it names its reader
        client.chat_startStream(channel="C1", thread_ts=question["ts"], markdown_text="Hi")
    with pytest.raises(SlackApiError, match="missing_recipient_team_id"):
        client.chat_startStream(channel="C1", thread_ts=question["ts"], markdown_text="Hi", recipient_user_id="U123")
    started = client.chat_startStream(channel="C1", thread_ts=question["ts"], markdown_text="**etl_daily** ",
                                      recipient_user_id="U123", recipient_team_id=slack.team_id)
    ts = started["ts"]
    assert slack.streaming("C1", ts) and slack.thread("C1", question["ts"])[1]["text"] == "**etl_daily** "
    client.chat_appendStream(channel="C1", ts=ts, chunks=[{"type": "markdown_text", "text": "failed "}])
    client.chat_appendStream(channel="C1", ts=ts, markdown_text="twice")
    for call, error in [
        (lambda: client.chat_appendStream(channel="C1", ts=ts, markdown_text="x" * 12_001), "msg_too_long"),
        (lambda: client.chat_appendStream(channel="C1", ts=ts, chunks=[{"type": "poem", "text": "x"}]),
         "invalid_chunks"),
        (lambda: client.chat_appendStream(channel="C1", ts=ts), "no_text"),
        (lambda: client.chat_update(channel="C1", ts=ts, text="edited"), "streaming_state_conflict"),
        (lambda: client.chat_appendStream(channel="C1", ts="1.000001", markdown_text="x"), "message_not_found"),
        (lambda: client.chat_appendStream(channel="C1", ts=question["ts"], markdown_text="x"),
         "message_not_owned_by_app"),
        (lambda: client.chat_stopStream(channel="C1", ts=ts, blocks=[{"type": "section", "text": {
            "type": "mrkdwn", "text": "x" * 3001}}]), "invalid_blocks"),
    ]:
        with pytest.raises(SlackApiError, match=error):
            call()
    stopped = client.chat_stopStream(channel="C1", ts=ts, markdown_text=".", metadata={
        "event_type": "flowrag_answer", "event_payload": {"q_ts": question["ts"]}},
        blocks=[{"type": "context", "elements": [{"type": "mrkdwn", "text": "index as of today"}]}])
    shown = slack.thread("C1", question["ts"])[1]
    assert stopped["message"]["text"] == shown["text"] == "**etl_daily** failed twice."
    assert shown["blocks"][0]["type"] == "context" and shown["metadata"]["event_payload"]["q_ts"] == question["ts"]
    assert not slack.streaming("C1", ts)
    with pytest.raises(SlackApiError, match="message_not_in_streaming_state"):
        client.chat_appendStream(channel="C1", ts=ts, markdown_text="more")
    client.chat_update(channel="C1", ts=ts, text="edited")  # an ordinary message again


def test_the_sdks_chat_stream_works_against_it(slack):
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    question = slack.post_user_message("D1", "how did etl_daily do?")  # a DM: no recipient needed
    streamer = client.chat_stream(channel="D1", thread_ts=question["ts"], buffer_size=5)
    assert streamer.append(markdown_text="ok") is None  # buffered: nothing sent yet
    streamer.append(markdown_text=" so far")
    streamer.stop(markdown_text="!")
    assert [c.method for c in slack.calls] == ["chat.startStream", "chat.stopStream"]
    assert slack.thread("D1", question["ts"])[1]["text"] == "ok so far!"

    slack.streams_in_channels = False  # a workspace that streams only in DMs
    with pytest.raises(SlackApiError, match="channel_type_not_supported"):
        client.chat_startStream(channel="C1", thread_ts=question["ts"], markdown_text="x", recipient_user_id="U1",
                                recipient_team_id=slack.team_id)
    started = client.chat_startStream(channel="D1", thread_ts=question["ts"])  # text may come later
    slack.expire_stream("D1", started["ts"])
    with pytest.raises(SlackApiError, match="message_not_in_streaming_state"):
        client.chat_stopStream(channel="D1", ts=started["ts"])


def test_the_thinking_status_lasts_until_a_reply_or_two_minutes(slack):
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    question = slack.post_user_message("C1", "<@UBOT> anything new?")
    for kwargs, error in [
        (dict(loading_messages=[f"step {i}" for i in range(11)]), "invalid_arguments"),  # at most 10
        (dict(loading_messages=["x" * 51]), "invalid_arguments"),  # of 50 chars at most
        (dict(loading_messages=[]), "invalid_arguments"),
        (dict(thread_ts="1.000001"), "invalid_thread_ts"),
        (dict(channel_id="C404"), "channel_not_found"),
    ]:
        with pytest.raises(SlackApiError, match=error):
            client.assistant_threads_setStatus(**{"channel_id": "C1", "thread_ts": question["ts"],
                                                  "status": "is thinking…", **kwargs})
    client.assistant_threads_setStatus(channel_id="C1", thread_ts=question["ts"], status="is thinking…",
                                       loading_messages=["Reading the runs…"])
    assert slack.status("C1", question["ts"])["loading_messages"] == ["Reading the runs…"]
    client.chat_postMessage(channel="C1", thread_ts=question["ts"], text="here you are")
    assert slack.status("C1", question["ts"]) is None, "the reply cleared it"

    client.assistant_threads_setStatus(channel_id="C1", thread_ts=question["ts"], status="is thinking…")
    client.assistant_threads_setStatus(channel_id="C1", thread_ts=question["ts"], status="")
    assert slack.status("C1", question["ts"]) is None, "an empty status clears it"
    slack.status_ttl_s = 0.2  # Slack's two minutes, shortened
    client.assistant_threads_setStatus(channel_id="C1", thread_ts=question["ts"], status="is thinking…")
    assert slack.status("C1", question["ts"])
    time.sleep(0.3)
    assert slack.status("C1", question["ts"]) is None, "gone by itself"


def test_scheduled_messages_are_kept_listed_deleted_and_delivered_as_slack_does(slack):
    """What bot/claims.py relies on: a scheduled message is listed (id, date_created, text) until it
    is deleted or its time comes; then it is an ordinary message in the channel, and gone from the list."""
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    slack.post_user_message("C0S", "hi")
    now = int(time.time())
    for post_at, error in ((now - 5, "time_in_past"), (now + 121 * 86400, "time_too_far"), ("soon", "invalid_time")):
        with pytest.raises(SlackApiError) as e:
            client.chat_scheduleMessage(channel="C0S", post_at=post_at, text="x")
        assert e.value.response["error"] == error
    with pytest.raises(SlackApiError) as e:
        client.chat_scheduleMessage(channel="C0NOWHERE", post_at=now + 60, text="x")
    assert e.value.response["error"] == "channel_not_found"
    far = client.chat_scheduleMessage(channel="C0S", post_at=now + 3600, text="later")["scheduled_message_id"]
    soon = client.chat_scheduleMessage(channel="C0S", post_at=now + 2, text="soon")["scheduled_message_id"]
    listed = client.chat_scheduledMessages_list(channel="C0S")["scheduled_messages"]
    assert [(m["id"], m["text"]) for m in listed] == [(soon, "soon"), (far, "later")]
    assert all(abs(m["date_created"] - now) <= 2 and m["channel_id"] == "C0S" for m in listed)
    client.chat_deleteScheduledMessage(channel="C0S", scheduled_message_id=far)
    with pytest.raises(SlackApiError) as e:  # deleted: Slack no longer knows it
        client.chat_deleteScheduledMessage(channel="C0S", scheduled_message_id=far)
    assert e.value.response["error"] == "invalid_scheduled_message_id"
    time.sleep(3)
    assert [m["text"] for m in slack.messages("C0S")] == ["hi", "soon"]  # delivered: everyone saw it
    assert client.chat_scheduledMessages_list(channel="C0S")["scheduled_messages"] == []
    with pytest.raises(SlackApiError) as e:  # sent: too late to delete
        client.chat_deleteScheduledMessage(channel="C0S", scheduled_message_id=soon)
    assert e.value.response["error"] == "invalid_scheduled_message_id"
