"""`/flowrag`: ack at once (with the reply itself when it is instant), slow work after."""
from __future__ import annotations

from slack_bolt import App

from .. import blocks
from ..requests import from_command
from ..service import BotService, ResponseUrl, failure_message

COMMAND = "/flowrag"


def register(app: App, service: BotService) -> set[str]:
    @app.command(COMMAND)
    def on_command(ack, body, client, respond):
        reply = ResponseUrl(respond)  # Slack's 5 posts / 30 minutes count from now
        cmd = from_command(body)
        acked = False

        def answer_now(msg: dict | None = None) -> None:
            nonlocal acked
            acked = True  # before the call: a failing ack must not be tried twice
            ack(**(msg or {}))

        try:
            if cmd.action == "help":
                answer_now(blocks.usage_message())
            elif cmd.action == "status":
                answer_now(blocks.status_message(service.engine.status(), service.engine.tz, cmd.language))
            elif cmd.action == "digest":  # yesterday's digest, on demand, for the asker only
                from ..digest import digest_message

                d = service.engine.digest(language=cmd.language)  # `/flowrag synthèse` is French
                msg = digest_message(d, service.engine.tz)
                answer_now()
                # by the response_url, not in the ack: Slack says there when it refuses the table
                # or the chart, and the digest then goes again as text
                if not reply.send(msg, response_type="ephemeral") and (plain := blocks.without_tables(msg)) is not msg:
                    reply.send(plain, response_type="ephemeral")
            elif cmd.action == "ingest":
                if not service.may_ingest(cmd.user):
                    answer_now(blocks.not_allowed_message())
                elif service.start_ingest(client, reply, cmd):
                    answer_now()
                else:
                    answer_now(blocks.ingest_busy_message())
            else:
                answer_now()
                service.ask_command(client, reply, cmd)
        except Exception as e:  # noqa: BLE001 — the user gets an apology, never a timeout
            if acked:
                service.respond_failure(reply, e, cmd.language, f"/flowrag {cmd.action}")
            else:
                acked = True
                ack(**failure_message(e, cmd.language, f"/flowrag {cmd.action}")[1])

    return {COMMAND}
