"""The channel beside the assistant panel: when someone asks "why did this fail?" there, "this" is
the latest alert in the channel they are looking at. Read with conversations.history, as the bot
(which must be a member), and answered like the message shortcut answers a pointed message."""
from __future__ import annotations

import re
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from core.text import fold

from .requests import message_text
from .threads import EVENT_TYPE

HISTORY = 30  # the latest messages looked at: an alert further up is not "this" any more
# "this/that error", "why did this fail", « c'est quoi cette erreur », « pourquoi ça a planté »
POINTING = re.compile(
    r"\b(?:this|that|these|cette|cet|ce|ces|ca|cela)\s+(?:\w+\s+)?(?:errors?|failures?|alerts?|crash\w*|messages?|issues?"
    r"|problems?|erreurs?|echecs?|alertes?|problemes?|plantages?|incidents?|exceptions?)\b"
    r"|\bwhy (?:did|does|is|has) (?:this|that|it)\b|\bwhat(?:'s| is| was) (?:this|that)\b"
    r"|\bexplain (?:this|that|it)\b|\bc'?est quoi (?:ca|cela|ce|cette|cet)\b|\bpourquoi (?:ca|cela|c'?est)\b"
    r"|\bqu'?est-ce que c'?est\b|\b(?:the )?(?:latest|last) alert\b|\bla derniere alerte\b|\bexplique\w* (?:ca|cela)\b")
ALERTISH = re.compile(
    r"\b(?:fail\w*|errors?|erreurs?|echec\w*|echou\w*|exception\w*|alert\w*|critical|fatal|crash\w*|down|timed? ?out"
    r"|refused|unreachable|panic|traceback|killed|oom|outofmemory\w*|plant\w*|incident\w*)\b"
    r"|:red_circle:|:rotating_light:|:x:|🔴|🚨|❌")


class ChannelUnreadable(Exception):
    """Slack refused the channel's history: the bot is not a member (or the channel is private)."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


@dataclass(frozen=True)
class Alert:
    channel: str
    ts: str
    text: str
    author: str  # "<@U…>", or an integration's name; "" when unknown


def points_at_alert(question: str) -> bool:
    return bool(POINTING.search(fold(question or "")))


def latest_alert(client, channel: str, bot_user_id: str) -> Alert | None:
    """The newest alert-like message among the channel's latest ones. Our own answers and digests
    are not alerts; our new-error alerts are."""
    try:
        resp = client.conversations_history(channel=channel, limit=HISTORY, include_all_metadata=True)
    except SlackApiError as e:
        error = str(e.response.get("error"))
        if error in ("not_in_channel", "channel_not_found", "missing_scope", "access_denied"):
            raise ChannelUnreadable(error) from None
        raise
    for m in resp.get("messages") or []:
        if m.get("subtype") not in (None, "bot_message", "thread_broadcast", "file_share"):
            continue  # joins, topic changes…
        if m.get("user") == bot_user_id:
            payload = ((m.get("metadata") or {}).get("event_payload") or {})
            if (m.get("metadata") or {}).get("event_type") != EVENT_TYPE or not payload.get("alert"):
                continue
        text = message_text(m)
        if text and ALERTISH.search(fold(text)):
            who = f"<@{m['user']}>" if re.fullmatch(r"[UW][A-Z0-9]+", m.get("user") or "") else (m.get("username") or "")
            return Alert(channel=channel, ts=m["ts"], text=text[:4000], author=who)
    return None
