"""Mentions, direct messages and thread follow-ups. Bolt acks events before listeners run, so
the slow work here never holds up Slack's 3 seconds."""
from __future__ import annotations

from slack_bolt import App

from ..requests import from_mention, from_message
from ..service import BotService


def register(app: App, service: BotService) -> set[str]:
    @app.event("app_mention")
    def on_mention(event, client, context):
        q = from_mention(event, context.bot_user_id)
        if q:
            service.answer(client, q)

    # Also the catch-all: an event no listener takes is never acked, and Slack would redeliver it.
    @app.event("message")
    def on_message(event, client, context):
        q = from_message(event, context.bot_user_id)
        if q:
            service.answer(client, q)

    return {"app_mention", "message"}
