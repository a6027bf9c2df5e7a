"""The stand-in's modals, App Home clicks and channel membership, proven against a real Bolt app:
a trigger_id opens one view within 3 seconds; views over Slack's limits are refused; a
view_submission's ack carries the errors shown under the fields, and they must name input blocks."""
from __future__ import annotations

import time

import pytest
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import SlackStandin

MODAL = {"type": "modal", "callback_id": "demo", "title": {"type": "plain_text", "text": "Demo"},
         "submit": {"type": "plain_text", "text": "Save"},
         "blocks": [{"type": "input", "block_id": "name", "label": {"type": "plain_text", "text": "Name"},
                     "element": {"type": "plain_text_input", "action_id": "v", "initial_value": "x"}},
                    {"type": "input", "block_id": "lang", "optional": True,
                     "label": {"type": "plain_text", "text": "Language"},
                     "element": {"type": "static_select", "action_id": "v", "options": [
                         {"text": {"type": "plain_text", "text": t}, "value": t} for t in ("fr", "en")]}}]}


@pytest.fixture
def slack():
    with SlackStandin() as s:
        yield s


@pytest.fixture
def app(slack):
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    bolt = App(token=slack.bot_token, client=client)
    opened, submitted = [], []

    @bolt.action("open")
    def on_open(ack, body, client):
        ack()
        time.sleep(float(body["actions"][0].get("value") or 0))
        try:
            opened.append(client.views_open(trigger_id=body["trigger_id"], view=MODAL)["view"]["id"])
        except SlackApiError as e:
            opened.append(e.response["error"])
        try:  # a trigger opens one view only
            client.views_open(trigger_id=body["trigger_id"], view=MODAL)
        except SlackApiError as e:
            opened.append(e.response["error"])

    @bolt.view("demo")
    def on_submit(ack, view):
        values = view["state"]["values"]
        submitted.append(values)
        name = values["name"]["v"]["value"]
        if name == "bad":
            ack(response_action="errors", errors={"name": "Not that one."})
        elif name == "wrong-block":
            ack(response_action="errors", errors={"nowhere": "Not that one."})
        else:
            ack()

    handler = SocketModeHandler(bolt, slack.app_token)
    handler.connect()
    slack.wait_connected(timeout=5)
    bolt.opened, bolt.submitted = opened, submitted
    yield bolt
    handler.close()


def home_with(slack, value=""):
    WebClient(token=slack.bot_token, base_url=slack.api_url).views_publish(user_id="U1", view={
        "type": "home", "blocks": [{"type": "actions", "block_id": "b", "elements": [
            {"type": "button", "action_id": "open", "value": value, "text": {"type": "plain_text", "text": "Go"}}]}]})


def wait(cond, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_trigger_opens_one_modal_and_submissions_carry_field_errors(slack, app):
    with pytest.raises(AssertionError, match="no App Home"):
        slack.click_home_button("U1", "other")  # nothing published yet
    home_with(slack)
    with pytest.raises(AssertionError, match="shows no other"):
        slack.click_home_button("U1", "other")
    slack.click_home_button("U1", "open")
    wait(lambda: len(app.opened) == 2)
    vid, again = app.opened
    assert vid.startswith("V") and again == "exchanged_trigger_id"
    assert slack.wait_for_modal("U1") == vid
    with pytest.raises(AssertionError, match="required field 'name'"):
        slack.submit_view(vid, {"name": ""})  # Slack's own client refuses that
    shown = slack.submit_view(vid, {"name": "bad", "lang": "fr"})
    assert shown == dict(shown, open=True, errors={"name": "Not that one."}, refused=None) and shown["seconds"] < 3
    assert app.submitted[-1]["lang"]["v"]["selected_option"]["value"] == "fr"
    assert slack.submit_view(vid, {"name": "wrong-block"})["refused"] == "invalid errors"
    assert slack.submit_view(vid, {})["refused"] == "invalid errors"  # what was typed stays on screen
    assert app.submitted[-1]["name"]["v"]["value"] == "wrong-block"
    assert slack.submit_view(vid, {"name": "x"})["open"] is False


def test_an_old_trigger_has_expired(slack, app):
    slack.trigger_ttl_s = 0.2
    home_with(slack, value="0.4")
    slack.click_home_button("U1", "open")
    wait(lambda: len(app.opened) == 2)
    assert app.opened[0] == "expired_trigger_id"


def test_views_over_slacks_limits_are_refused(slack):
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    too_long = dict(MODAL, title={"type": "plain_text", "text": "A title far too long for Slack"})
    no_submit = {k: v for k, v in MODAL.items() if k != "submit"}
    many = dict(MODAL, blocks=[{"type": "divider"}] * 101)
    for view in (too_long, no_submit, many, dict(MODAL, private_metadata="x" * 3001)):
        with pytest.raises(SlackApiError) as e:
            client.views_open(trigger_id=slack._new_trigger("U1"), view=view)
        assert e.value.response["error"] == "invalid_arguments"
    big = dict(MODAL, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}}] * 90)
    with pytest.raises(SlackApiError, match="view_too_large"):
        client.views_open(trigger_id=slack._new_trigger("U1"), view=big)
    with pytest.raises(SlackApiError, match="invalid_trigger_id"):
        client.views_open(trigger_id="1.2.3", view=MODAL)


def test_history_needs_membership(slack):
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    slack.post_bot_message("C1", "", attachments=[{"title": "Task failed", "text": "boom"}])
    assert client.conversations_history(channel="C1")["messages"][0]["attachments"][0]["title"] == "Task failed"
    slack.bot_not_in.add("C1")
    with pytest.raises(SlackApiError, match="not_in_channel"):
        client.conversations_history(channel="C1")
