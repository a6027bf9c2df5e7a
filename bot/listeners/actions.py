"""👍/👎 under answers."""
from __future__ import annotations

import json
import logging

from slack_bolt import App

from .. import blocks
from ..service import BotService

log = logging.getLogger("flowrag.bot")
ACTIONS = {"flowrag_feedback_up": "up", "flowrag_feedback_down": "down"}


def register(app: App, service: BotService) -> set[str]:
    def on_feedback(ack, action, body, respond):
        ack()
        vote = ACTIONS[action["action_id"]]
        try:
            value = json.loads(action.get("value") or "{}")
        except ValueError:
            value = {}
        user = (body.get("user") or {}).get("id", "")
        service.engine.record_feedback(user, str(value.get("a", "")), vote, str(value.get("q", "")))
        respond(response_type="ephemeral", replace_original=False, text=blocks.feedback_ack_text(vote))

    for action_id in ACTIONS:
        app.action(action_id)(on_feedback)
    return set(ACTIONS)
