"""Slack payloads parsed into typed requests at the edge; nothing past here reads raw payloads."""
from __future__ import annotations

import re
from dataclasses import dataclass

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# message subtypes that are still someone asking: a thread reply also sent to the channel, and a
# message with a file attached (its text is the question; the file is not read)
QUESTION_SUBTYPES = frozenset({"thread_broadcast", "file_share"})
FRENCH_WORDS = frozenset({"statut", "aide", "synthese", "synthèse"})


@dataclass(frozen=True)
class Question:
    """Someone asked the bot something, in a channel, a thread or a DM."""

    channel: str
    user: str
    text: str  # without the bot's mention
    ts: str  # the message that asked
    thread_ts: str  # where the answer goes (the asking message itself when it started a thread)
    is_dm: bool = False
    follow_up: bool = False  # a thread reply that did not mention the bot
    explain: bool = False  # "ask flowrag about this message": the text is the problem, not a question
    viewing: str = ""  # the assistant panel: the channel the user is looking at (its settings apply)
    team: str = ""  # the asker's workspace, which a streamed answer must name; "" when the payload had none


def message_text(msg: dict) -> str:
    """What a message says, attachments included: alert integrations often put the text there."""
    text = msg.get("text") or ""
    for att in msg.get("attachments") or []:
        text += " " + " ".join(str(att.get(k) or "") for k in ("title", "text", "fallback"))
    return " ".join(text.split())


def from_message_shortcut(body: dict) -> Question | None:
    """The message a person pointed at (an alert from another tool, a pasted stack trace)."""
    msg = body.get("message") or {}
    text = message_text(msg)
    channel = (body.get("channel") or {}).get("id")
    user = (body.get("user") or {}).get("id")
    if not channel or not user or not msg.get("ts") or not text.strip():
        return None
    return Question(channel=channel, user=user, text=" ".join(text.split())[:4000], ts=msg["ts"],
                    thread_ts=msg.get("thread_ts") or msg["ts"], explain=True,
                    team=(body.get("user") or {}).get("team_id") or "")


@dataclass(frozen=True)
class Command:
    """`/flowrag …`"""

    action: str  # ask | ingest | help | status | digest
    text: str
    user: str
    channel: str
    full: bool = False
    language: str = "en"  # of the command word: `/flowrag statut` is French


def strip_mention(text: str, bot_user_id: str) -> str:
    return " ".join(MENTION.sub(lambda m: "" if m.group(1) == bot_user_id else m.group(0), text or "").split())


def from_mention(event: dict, bot_user_id: str) -> Question | None:
    if event.get("bot_id") or not event.get("user"):
        return None
    return Question(channel=event["channel"], user=event["user"], text=strip_mention(event.get("text", ""), bot_user_id),
                    ts=event["ts"], thread_ts=event.get("thread_ts") or event["ts"], team=_team(event))


def from_message(event: dict, bot_user_id: str) -> Question | None:
    """A `message` event worth answering, or None. Mentions are left to `app_mention` (Slack sends
    both for one message); bots, edits and joins never get an answer."""
    if event.get("subtype") not in (None, *QUESTION_SUBTYPES):
        return None  # edits, deletions, joins, bot messages…
    if event.get("bot_id") or not event.get("user") or event.get("user") == bot_user_id:
        return None
    text = event.get("text") or ""
    if not text.strip():
        return None  # a file without a word: nothing was asked
    is_dm = event.get("channel_type") == "im"
    if f"<@{bot_user_id}" in text and not is_dm:
        return None
    thread_ts = event.get("thread_ts")
    in_thread = bool(thread_ts) and thread_ts != event["ts"]
    if not is_dm and not in_thread:
        return None  # channel chatter
    return Question(channel=event["channel"], user=event["user"], text=strip_mention(text, bot_user_id),
                    ts=event["ts"], thread_ts=thread_ts or event["ts"], is_dm=is_dm,
                    follow_up=in_thread and not is_dm, team=_team(event))


def _team(event: dict) -> str:
    # in a shared channel the asker's own workspace is `user_team`; `team` otherwise
    return event.get("user_team") or event.get("team") or ""


def from_command(body: dict) -> Command:
    text = " ".join((body.get("text") or "").split())
    word = text.split(" ", 1)[0].lower() if text else ""
    action, full = "ask", False
    if word in ("", "help", "aide", "-h", "--help"):
        action = "help"
    elif word in ("status", "statut"):
        action = "status"
    elif word in ("digest", "synthese", "synthèse"):
        action = "digest"
    elif word == "ingest":
        action = "ingest"
        full = text.lower().split()[1:2] in (["full"], ["--full"])
    return Command(action=action, text=text, user=body.get("user_id", ""), channel=body.get("channel_id", ""),
                   full=full, language="fr" if word in FRENCH_WORDS else "en")


@dataclass(frozen=True)
class SettingsForm:
    """The channel settings modal, as submitted (not yet validated: core/channels.py does that)."""

    user: str
    channel: str
    techs: str
    pipelines: str
    language: str
    timezone: str
    muted: bool


def from_settings_submission(body: dict) -> SettingsForm:
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}

    def field(block: str) -> dict:
        return next(iter((values.get(block) or {}).values()), None) or {}

    picked = field("language").get("selected_option") or {}
    return SettingsForm(user=(body.get("user") or {}).get("id", ""),
                        channel=field("channel").get("selected_conversation") or "",
                        techs=field("techs").get("value") or "", pipelines=field("pipelines").get("value") or "",
                        language=picked.get("value") or "auto", timezone=field("timezone").get("value") or "",
                        muted=any(o.get("value") == "muted" for o in field("mute").get("selected_options") or []))
