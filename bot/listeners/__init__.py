"""Listeners grouped by Slack surface. `register` wires them and says what it wired, so that a
test can hold manifest.yml to exactly that; it also installs the global error handler."""
from __future__ import annotations

import logging

from slack_bolt import App, BoltResponse

from ..requests import from_mention, from_message
from ..service import BotService, ResponseUrl, failure_message
from . import actions, assistant, commands, events, settings, shortcuts
from . import home as home_listeners

log = logging.getLogger("flowrag.bot")


def register(app: App, service: BotService, home=None, language: str = "en") -> dict[str, set[str]]:
    assistant_events = assistant.register(app, service, language)  # first: it takes assistant threads
    wired = {
        "events": events.register(app, service),
        "commands": commands.register(app, service),
        "actions": actions.register(app, service),
        "shortcuts": shortcuts.register(app, service),
    }
    wired["events"] |= assistant_events
    if home is not None:
        home_events, home_actions = home_listeners.register(app, service, home)
        wired["events"] |= home_events
        wired["actions"] |= home_actions
        wired["actions"] |= settings.register(app, service, home)
    register_error_handler(app, service)
    return wired


def register_error_handler(app: App, service: BotService) -> None:
    """Whatever escapes a listener (or a middleware) ends in an apology with an error id that is in
    the log: in the command's ack when it was not sent yet, through the response_url for commands
    and buttons, in the thread for a mention or a direct message."""

    @app.error
    def on_error(error, body, context, client, respond, response):
        body = body if isinstance(body, dict) else {}
        event = body.get("event") or {}
        text = body.get("text") or event.get("text") or ""
        try:
            lang = service.engine.language_of(text, "en") if text else "en"
        except Exception:  # noqa: BLE001
            lang = "en"
        kind = body.get("command") or event.get("type") or body.get("type") or "request"
        error_id, msg = failure_message(error, lang, f"a Slack {kind}")
        if body.get("command") and response is not None:  # not acknowledged yet: the ack apologizes
            return BoltResponse(status=200, body=msg)
        if body.get("response_url"):
            if not ResponseUrl(respond).send(msg, response_type="ephemeral", replace_original=False):
                log.error("error %s: could not even apologize", error_id)
            return None
        q = _question_of(event, context.get("bot_user_id") or "")
        if q is None:
            return None  # not something a person asked us: the log has it
        try:
            client.chat_postMessage(channel=q.channel, thread_ts=q.thread_ts, **msg)
        except Exception:  # noqa: BLE001
            log.error("error %s: could not even apologize", error_id)
        return None


def _question_of(event: dict, bot_user_id: str):
    """The question an event asked, if it asked one; never raises (the payload may be the cause)."""
    try:
        if event.get("type") == "app_mention":
            return from_mention(event, bot_user_id)
        if event.get("type") == "message":
            q = from_message(event, bot_user_id)
            return q if q is not None and q.is_dm else None
    except Exception:  # noqa: BLE001
        return None
    return None
