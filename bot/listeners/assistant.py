"""Slack's AI app surfaces: the assistant side panel and the agent DM (Bolt's `Assistant`). A new
thread gets a greeting and prompts built from the index; a question gets a title, then, as in
channels, the thinking status, the streamed answer, its citations and follow-up context."""
from __future__ import annotations

import logging

from slack_bolt import App, Assistant

from core.strings import SLACK

from ..requests import from_message
from ..service import BotService

log = logging.getLogger("flowrag.bot")


def suggested_prompts(engine, language: str) -> list[dict]:
    """Up to 4 prompts from what the index holds now: yesterday's failing technologies, today's
    new errors, the pipeline failing most this week."""
    t = SLACK[language if language in SLACK else "en"]
    prompts = [{"title": t["prompt_yesterday_title"], "message": t["prompt_yesterday"]},
               {"title": t["prompt_new_title"], "message": t["prompt_new"]}]
    try:
        top = engine.ask(t["prompt_top_query"], use_llm=False).result
        if top is not None and top.names:
            name = top.names[0][0]
            prompts.append({"title": t["prompt_why_title"].format(name=name)[:75],
                            "message": t["prompt_why"].format(name=name)})
    except Exception as e:  # noqa: BLE001 - a greeting without the third prompt is still a greeting
        log.warning("assistant prompts: %s", e)
    return prompts[:4]


def register(app: App, service: BotService, language: str) -> set[str]:
    assistant = Assistant()

    @assistant.thread_started
    def on_started(say, set_suggested_prompts):
        t = SLACK[language]
        say(t["assistant_hello"])
        set_suggested_prompts(prompts=suggested_prompts(service.engine, language))

    @assistant.user_message
    def on_question(payload, client, context, set_title):
        q = from_message(payload, context.bot_user_id)
        if q is None:
            return
        try:
            set_title(q.text[:80])
        except Exception as e:  # noqa: BLE001 - a missing title must not cost the answer
            log.warning("assistant title: %s", e)
        service.answer(client, q)  # which shows the thinking status, as everywhere

    app.use(assistant)
    return {"assistant_thread_started", "assistant_thread_context_changed"}
