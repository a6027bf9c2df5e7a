"""👍/👎 under answers, joined to the answer the engine kept (question, language)."""
from __future__ import annotations

import json
import logging

from slack_bolt import App

from .. import blocks
from ..service import BotService, ResponseUrl

log = logging.getLogger("flowrag.bot")
ACTIONS = {blocks.ACTION_FEEDBACK_UP: "up", blocks.ACTION_FEEDBACK_DOWN: "down"}


def register(app: App, service: BotService) -> set[str]:
    def on_feedback(ack, action, body, respond):
        ack()
        vote = ACTIONS[action["action_id"]]
        try:
            value = json.loads(action.get("value") or "{}")
        except ValueError:
            value = {}
        if not isinstance(value, dict):
            value = {}
        answer_id = str(value.get("a", ""))
        user = (body.get("user") or {}).get("id", "")
        kept = service.engine.state.answer(answer_id) if answer_id else None
        # the engine's copy has the whole question; the button only carries its first 300 chars
        question = (kept or {}).get("question") or str(value.get("q", ""))
        lang = (kept or {}).get("language") or "en"
        if answer_id and kept is None:
            log.info("feedback on answer %s, which is no longer kept", answer_id)
        service.engine.record_feedback(user, answer_id, vote, question)
        ResponseUrl(respond).send({"text": blocks.feedback_ack_text(vote, lang)}, response_type="ephemeral",
                                  replace_original=False)

    for action_id in ACTIONS:
        app.action(action_id)(on_feedback)
    return set(ACTIONS)
