"""The message shortcut "Ask flowrag about this": on an alert from another tool or a pasted stack
trace, flowrag finds the matching error(s) and answers in that message's thread."""
from __future__ import annotations

from slack_bolt import App

from ..requests import from_message_shortcut
from ..service import BotService, ResponseUrl, failure_message

CALLBACK = "flowrag_ask_message"


def register(app: App, service: BotService) -> set[str]:
    @app.shortcut(CALLBACK)
    def on_shortcut(ack, body, client, respond):
        ack()
        q = from_message_shortcut(body)
        if q is None:
            lang = "en"
            ResponseUrl(respond).send(failure_message(ValueError("no text in that message"), lang,
                                                      "the message shortcut")[1], response_type="ephemeral")
            return
        service.answer(client, q)

    return {CALLBACK}
