"""One question, end to end: read → plan → execute (facts, then what to cite) → render → phrase.
Each step is its own module; this runs them in order. `core.engine.Engine.ask` opens the stores
and calls `answer`."""
from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime
from typing import Callable

from ..channels import ChannelSettings
from ..errors import LLMUnavailable
from ..models import Answer
from ..strings import t
from .context import to_context
from .execute import Found, elapsed_ms, execute
from .executor import Executor
from .llm_facts import facts_text, legacy_facts
from .notices import ignored_notices, reading_notices, unmatched_notices
from .parts import AskParts
from .phrase import phrase
from .plan import plan, read, settle_topic
from .render import Renderer

log = logging.getLogger("flowrag.ask")


def answer(parts: AskParts, question: str, context: dict | None = None, *, use_llm: bool = True,
           on_delta: Callable[[str], None] | None = None, explain: bool = False,
           channel: ChannelSettings | None = None, truncated: bool = False) -> Answer:
    """`question`: already redacted and cut to the settings' cap (`truncated` says it was cut)."""
    t0, timings = time.perf_counter(), {}
    tz = (channel.tz if channel else None) or parts.settings.tz
    now = parts.clock()
    default_language = (context or {}).get("language") or (channel.lang("en") if channel else "en")
    # a pointed or pasted alert says everything itself: the thread's last question (its day, its
    # names) must not narrow it; only the conversation's language carries over
    context = None if explain else context
    reading = read(parts, question, context, explain=explain, now=now, tz=tz, default_language=default_language)
    planned = plan(parts, reading, question, context, use_llm=use_llm, channel=channel, now=now, tz=tz)
    reading, lang = planned.reading, planned.reading.language
    notices = [*([t(lang, "truncated", n=parts.settings.max_question_chars)] if truncated else []), *planned.notices]
    timings["parse"] = elapsed_ms(t0)
    ctx = {**to_context(reading), "question": question[:500], "channel_default": list(planned.defaulted)}
    last_ingest = parts.store.get_meta("last_ingest")
    meta = dict(language=lang, context=ctx, timings_ms=timings, id=uuid.uuid4().hex[:12])
    if not parts.store.get_meta("embedder"):
        return Answer(text=t(lang, "empty_index"), citations=(), facts={}, mode="extractive",
                      notices=tuple(notices), query=reading.query, **meta)
    if reading.empty and not context:
        return Answer(text=t(lang, "empty_hint"), citations=(), facts={}, mode="extractive",
                      notices=tuple(notices), **meta)
    # the question's own words are a second query for ranking messages; a follow-up's ("et hier ?")
    # mean little without the thread, so only the topic ranks then
    whole = "" if context else question
    render = Renderer(lang, now, tz)
    with parts.store.snapshot():  # facts and citations from one committed state
        executor = Executor(parts.store, tz, parts.vocabulary(), parts.clock, parts.settings.running_default_s)
        q, ignored, match = settle_topic(parts, reading, executor, question)
        found = execute(parts, executor, reading, q, match, whole, render, timings)
        notices += [*reading_notices(reading, found.query, executor, render), *ignored_notices(lang, ignored)]
    notices += found.notices
    ctx.update(found.about)
    text = _text(render, found, notices)
    interpretation = render.interpretation(found.query, aliases=() if planned.by_llm else reading.names_how,
                                           planner=planned.by_llm, description=found.description,
                                           search=reading.search if reading.explain else "",
                                           channel_default=planned.defaulted)
    mode = "extractive"
    if parts.chat is not None and use_llm and found.result.total and not found.unmatched:
        t1 = time.perf_counter()
        try:
            text = phrase(parts.chat, question, facts_text(found.query, found.result, render), found.citations,
                          lang, parts.settings.tz, on_delta)
            mode = "llm"
        except LLMUnavailable as e:
            log.warning("LLM fallback for answer %s: %s", meta["id"], e)
            notices.append(t(lang, "llm_failed"))
        timings["llm"] = elapsed_ms(t1)
    timings["total"] = elapsed_ms(t0)
    return Answer(text=text, citations=tuple(found.citations), facts=legacy_facts(found.query, found.result),
                  mode=mode, messages=tuple(found.hits), notices=tuple(notices),
                  index_as_of=datetime.fromisoformat(last_ingest) if last_ingest else None, query=found.query,
                  result=found.result, interpretation=interpretation, tz=tz, **meta)


def _text(render: Renderer, found: Found, notices: list[str]) -> str:
    """The deterministic answer: the facts' headline and body, or the closest messages when no
    message matched closely (with the notice saying which words matched nothing)."""
    if found.unmatched:
        notices += unmatched_notices(render.lang, found.match)
        return "\n".join(render.unmatched(found.match, found.query, found.hits))
    return "\n".join([render.headline(found.query, found.result),
                      *render.body(found.query, found.result, found.hits)]).rstrip()
