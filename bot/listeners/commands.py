"""`/flowrag`: ack at once (with the reply itself when it is instant), slow work after."""
from __future__ import annotations

from slack_bolt import App

from .. import blocks
from ..requests import from_command
from ..service import BotService

COMMAND = "/flowrag"


def register(app: App, service: BotService) -> set[str]:
    @app.command(COMMAND)
    def on_command(ack, body, client, respond):
        cmd = from_command(body)
        if cmd.action == "help":
            ack(**blocks.usage_message())
        elif cmd.action == "status":
            ack(**blocks.status_message(service.engine.status(), service.engine.tz))
        elif cmd.action == "ingest":
            if not service.may_ingest(cmd.user):
                ack(**blocks.not_allowed_message())
            elif service.start_ingest(client, respond, cmd):
                ack()
            else:
                ack(**blocks.ingest_busy_message())
        else:
            ack()
            service.ask_command(client, respond, cmd)

    return {COMMAND}
