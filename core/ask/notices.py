"""What the answer says it did not understand, and what it answered instead: notices shown
above the answer (« ⚠ … »). Never silent about a word it dropped."""
from __future__ import annotations

from ..strings import t
from ..text import fold
from .executor import Executor
from .query import Query
from .render import Renderer
from .topic import TopicMatch


def reading_notices(reading, q: Query, executor: Executor, render: Renderer) -> list[str]:
    lang, out = render.lang, []
    for word in reading.unknown:
        found = bool(executor.topic_signatures(fold(word)))
        if reading.explain and found:
            continue  # a symptom's word ("OutOfMemoryError") found in the messages: nothing to warn about
        out.append(t(lang, "unknown_name", word=word, found="" if found else t(lang, "found_none")))
    for word in reading.unsupported:
        out.append(t(lang, "unsupported", word=word, answered=render.reading_text(q)))
    for word in reading.unplaced:
        out.append(t(lang, "unplaced", word=word))
    for word in reading.unparsed:
        out.append(t(lang, "unparsed", word=word, window=render.window_text(q.window)))
    if q.window is not None and q.window.start > render.now:
        out.append(t(lang, "future", window=render.window_text(q.window)))
    return out


def ignored_notices(lang: str, ignored: list[str]) -> list[str]:
    return [t(lang, "ignored", word=w if len(w) <= 40 else w[:40] + "…") for w in ignored]


def unmatched_notices(lang: str, match: TopicMatch) -> list[str]:
    """A topic nothing matched closely: which words no message carries."""
    if match.kind == "nothing":
        return [t(lang, "nothing_words", words=", ".join(match.unmatched or match.words.split()))]
    if match.unmatched:
        return [t(lang, "missing_words", words=", ".join(match.unmatched))]
    return []
