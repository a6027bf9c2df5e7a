"""Slack's AI app surfaces: the assistant side panel and the agent DM (Bolt's `Assistant`). A new
thread gets a greeting and prompts built from the index; a question gets a title, then, as in
channels, the thinking status, the streamed answer, its citations and follow-up context.

The panel opens beside a channel, and Slack says which (assistant_thread_started, then
assistant_thread_context_changed when the user moves on). That channel's settings are the
defaults of the panel's questions, and "why did this fail?" there is about its latest alert.
Which channel a thread is viewing is kept in the state file: every process, and a restarted one,
knows it without reading the thread back."""
from __future__ import annotations

import logging
import re
from dataclasses import replace

from slack_bolt import App, Assistant
from slack_bolt.context.assistant.thread_context import AssistantThreadContext
from slack_bolt.context.assistant.thread_context_store.store import AssistantThreadContextStore


from ..channel_context import ChannelUnreadable, latest_alert, points_at_alert
from ..formatting import escape, one_line, truncate
from ..requests import from_message
from ..service import BotService
from ..settings_view import describe
from ..strings import SLACK, words

log = logging.getLogger("flowrag.bot")


class StateThreadContexts(AssistantThreadContextStore):
    def __init__(self, state):
        self.state = state

    def save(self, *, channel_id: str, thread_ts: str, context: dict) -> None:
        self.state.save_thread_context(channel_id, thread_ts, dict(context))

    def find(self, *, channel_id: str, thread_ts: str) -> AssistantThreadContext | None:
        found = self.state.thread_context(channel_id, thread_ts)
        return AssistantThreadContext(found) if found and found.get("channel_id") else None


def suggested_prompts(engine, language: str, viewing: str = "") -> list[dict]:
    """Up to 4 prompts from what the index holds now: yesterday's failing technologies, today's
    new errors, the pipeline failing most this week (within the viewed channel's filter), and,
    beside a channel, its latest alert."""
    t = words(language)
    prompts = [{"title": t["prompt_yesterday_title"], "message": t["prompt_yesterday"]},
               {"title": t["prompt_new_title"], "message": t["prompt_new"]}]
    try:
        top = engine.ask(t["prompt_top_query"], use_llm=False, channel=viewing or None).result
        if top is not None and top.names:
            name = top.names[0][0]
            prompts.append({"title": t["prompt_why_title"].format(name=name)[:75],
                            "message": t["prompt_why"].format(name=name)})
    except Exception as e:  # noqa: BLE001 - a greeting without the third prompt is still a greeting
        log.warning("assistant prompts: %s", e)
    if viewing:
        prompts.append({"title": t["prompt_alert_title"], "message": t["prompt_alert"]})
    return prompts[:4]


def register(app: App, service: BotService, language: str) -> set[str]:
    engine = service.engine
    assistant = Assistant(thread_context_store=StateThreadContexts(engine.state))

    def viewed(context: dict | None) -> str:
        channel = str((context or {}).get("channel_id") or "")
        # a DM beside the panel has no settings and no alerts; only a well-formed id goes in <#…>
        return channel if re.fullmatch(r"[CG][A-Z0-9]{2,}", channel) else ""

    def lang_of(viewing: str, text: str = "") -> str:
        cs = engine.channels.get(viewing) if viewing else None
        default = cs.lang(language) if cs else language
        return engine.language_of(text, default) if text else default

    @assistant.thread_started
    def on_started(say, set_suggested_prompts, payload, save_thread_context):
        context = (payload.get("assistant_thread") or {}).get("context") or {}
        viewing = viewed(context)
        if viewing:
            save_thread_context(context)
        lang = lang_of(viewing)
        t = SLACK[lang]
        hello = t["assistant_hello"]
        if viewing:
            cs = engine.channels.get(viewing)
            hello += "\n" + (t["panel_viewing"].format(channel=viewing, what=describe(cs, lang, engine.settings.timezone))
                             if cs and cs.names else t["panel_viewing_plain"].format(channel=viewing))
        say(hello)
        set_suggested_prompts(prompts=suggested_prompts(engine, lang, viewing))

    @assistant.thread_context_changed
    def on_context_changed(payload, save_thread_context):
        save_thread_context((payload.get("assistant_thread") or {}).get("context") or {})

    @assistant.user_message
    def on_question(payload, client, context, set_title, get_thread_context, say):
        q = from_message(payload, context.bot_user_id)
        if q is None:
            return
        viewing = viewed(get_thread_context())
        q = replace(q, viewing=viewing)
        lang = lang_of(viewing, q.text)
        t = SLACK[lang]
        try:
            set_title(q.text[:80])
        except Exception as e:  # noqa: BLE001 - a missing title must not cost the answer
            log.warning("assistant title: %s", e)
        if points_at_alert(q.text):
            q = pointed_alert(client, say, q, viewing, context.bot_user_id, t)
            if q is None:
                return
        service.answer(client, q)  # which shows the thinking status, as everywhere

    def pointed_alert(client, say, q, viewing: str, bot_user_id: str, t: dict):
        """The question, turned into the latest alert of the viewed channel, read as a problem (as
        the message shortcut does); or None, after saying why it cannot be read."""
        if not viewing:
            say(t["panel_no_channel"])
            return None
        try:
            alert = latest_alert(client, viewing, bot_user_id)
        except ChannelUnreadable as e:
            log.info("assistant: cannot read %s: %s", viewing, e.error)
            say(t["panel_not_in_channel"].format(channel=viewing))
            return None
        if alert is None:
            say(t["panel_no_alert"].format(n=30, channel=viewing))
            return None
        quote = escape(truncate(one_line(engine.redact(alert.text)), 300))
        # an integration's name helps ("Airflow"); a person's mention here would only ping them
        who = f" ({escape(alert.author)})" if alert.author and not alert.author.startswith("<@") else ""
        say(t["panel_reading"].format(channel=viewing, who=who, text=f"“{quote}”"))
        return replace(q, text=alert.text, explain=True)

    app.use(assistant)
    return {"assistant_thread_started", "assistant_thread_context_changed"}
