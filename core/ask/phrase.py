"""Phrase step (optional): an LLM words the answer from the facts and the cited snippets only.
Citations it invents are dropped; an empty or failed answer raises LLMUnavailable, and the
deterministic text stands."""
from __future__ import annotations

from typing import Callable

from ..errors import LLMUnavailable
from ..llm import ChatModel, build_messages, clean_citations


def phrase(chat: ChatModel, question: str, facts: str, citations, lang: str, tz,
           on_delta: Callable[[str], None] | None = None) -> str:
    messages = build_messages(question, facts,
                              [(c.ref, f"{c.pipeline_name} · {c.tech} · {c.status} · "
                                       f"{c.timestamp.astimezone(tz):%Y-%m-%d %H:%M} · {c.snippet}")
                               for c in citations], lang)
    refs = {c.ref for c in citations}
    if on_delta is None:
        text = chat.complete(messages)
    else:
        parts = []
        for delta in chat.stream(messages):
            parts.append(delta)
            on_delta(clean_citations("".join(parts), refs))
        text = "".join(parts)
    text = clean_citations(text, refs).strip()
    if not text:
        raise LLMUnavailable("empty answer")
    return text
