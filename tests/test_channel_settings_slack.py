"""Per-channel settings edited from App Home, end to end: the real Bolt app over Socket Mode
against the Slack stand-in. Admins see Edit buttons and open the modal; mistakes show under their
fields; saved settings show in everyone's App Home and become the channel's defaults."""
from __future__ import annotations

import time

import pytest

from test_ask import at
from test_bot import CH, all_text, data, final_answer, mention, slack, start_bot  # noqa: F401 (fixtures)


def open_home(slack, *users):
    before = {u: slack.home_views.get(u) for u in users}
    for user in users:
        slack.send_event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home",
                          "event_ts": f"{time.time():.6f}"})
    deadline = time.time() + 10
    while any(slack.home_views.get(u) is before[u] for u in users):
        assert time.time() < deadline, "App Home published"
        time.sleep(0.05)


def wait_home(slack, user, text, timeout=10.0):
    deadline = time.time() + timeout
    while text not in all_text(slack.home_views.get(user)):
        assert time.time() < deadline, all_text(slack.home_views.get(user))
        time.sleep(0.05)
    return all_text(slack.home_views[user])


def failed_yesterday(data, tech):
    return sum(1 for d in data.flows.find({}, {"_id": 0}) if d["status"] == "FAILED" and d["tech"] == tech
               and at(0, 0) <= d["timestamp"].replace(tzinfo=at(0, 0).tzinfo) < at(1, 0))


def test_admins_edit_channel_settings_from_app_home_and_questions_follow_them(slack, start_bot, data):
    start_bot(FLOWRAG_ADMINS="UADMIN", FLOWRAG_DIGEST_CHANNELS="C0DIGEST", FLOWRAG_DIGEST_LANGUAGE="en")
    open_home(slack, "UADMIN", "U123")
    user_home = all_text(slack.home_views["U123"])
    assert "*Channel settings*" in user_home and "<#C0DIGEST> (digest) — defaults" in user_home
    with pytest.raises(AssertionError, match="shows no flowrag_channel_settings_add"):
        slack.click_home_button("U123", "flowrag_channel_settings_add")  # not an admin: no such button

    slack.click_home_button("UADMIN", "flowrag_channel_settings_add")
    modal = slack.wait_for_modal("UADMIN")
    shown = slack.submit_view(modal, {"channel": CH, "techs": "Hadoop, Sparkk", "timezone": "Mars/Base"})
    assert shown["open"] and shown["seconds"] < 3
    assert shown["errors"] == {
        "techs": "Unknown technology: Sparkk. Did you mean Spark?",
        "timezone": "“Mars/Base” is not an IANA timezone (e.g. Europe/Paris, America/New_York).",
    }
    shown = slack.submit_view(modal, {"techs": "hadoop", "timezone": ""})
    assert not shown["open"] and not shown["errors"]
    line = f"<#{CH}> — filter: Hadoop"
    assert "Edit" in wait_home(slack, "UADMIN", line)
    assert "Edit" not in wait_home(slack, "U123", line)  # everyone sees the settings; only admins edit them

    msg, _ = mention(slack, "How many failures yesterday?")
    text = all_text(final_answer(slack, msg["ts"]).params)
    assert f"{failed_yesterday(data, 'Hadoop')} Hadoop failures yesterday" in text
    assert "Understood: failures · yesterday — channel default: Hadoop" in text
    msg, _ = mention(slack, "How many OpenSSH failures yesterday?")
    text = all_text(final_answer(slack, msg["ts"]).params)
    assert f"{failed_yesterday(data, 'OpenSSH')} OpenSSH failures yesterday" in text and "channel default" not in text

    # Edit opens the modal with what is set; muting keeps the filter
    slack.click_home_button("UADMIN", "flowrag_channel_settings_edit", value=CH)
    modal = slack.wait_for_modal("UADMIN")
    techs = next(b for b in slack.modal(modal)["view"]["blocks"] if b.get("block_id") == "techs")
    assert techs["element"]["initial_value"] == "Hadoop"
    assert not slack.submit_view(modal, {"mute": ["muted"]})["open"]
    wait_home(slack, "U123", f"{line} · 🔕 muted: no digest, no alerts")


def test_a_click_that_slack_lets_expire_gets_a_word_instead_of_nothing(slack, start_bot):
    start_bot(FLOWRAG_ADMINS="UADMIN")  # App Home in French, FLOWRAG_DIGEST_LANGUAGE's default
    open_home(slack, "UADMIN")
    slack.trigger_ttl_s = 0.0  # Slack gives 3 s; a busy bot can miss them
    slack.click_home_button("UADMIN", "flowrag_channel_settings_add")
    dm = slack.wait_for_call("chat.postMessage", lambda c: c.params.get("channel") == "UADMIN")
    assert "Slack n'a pas ouvert la fenêtre des réglages (expired_trigger_id)" in all_text(dm.params)
    assert slack.view_refusals[-1]["error"] == "expired_trigger_id"
