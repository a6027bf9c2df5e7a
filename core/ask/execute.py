"""Execute step: the query's facts from the executor, the messages and runs to cite, and for a
why-answer which message it is about and how sure that is. Facts are exact (SQL over rollups);
retrieval only decides what is shown."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from ..strings import t
from ..text import fold
from .cite import cite, cite_ranked
from .executor import Executor
from .headline import headline_of
from ..logwords import whole_tokens
from .parts import AskParts
from .query import Query, Result
from .reading import NAME_LIKE, Reading
from .render import Renderer
from .retrieve import keep_messages
from .topic import CANDIDATE_GAP, STRONG, TopicMatch, about_nothing, found_words, mostly_unknown

RELATED_MARGIN = 0.03  # e5 similarities of unrelated log lines sit a few hundredths below the match


@dataclass
class Found:
    query: Query
    result: Result
    hits: list = field(default_factory=list)  # messages shown, best first
    citations: list = field(default_factory=list)
    match: TopicMatch | None = None  # how the topic was read
    unmatched: bool = False  # no message matched closely: the answer shows the closest ones, no count
    description: bool = False  # a status word of the question was read as the symptom, not a filter
    notices: list[str] = field(default_factory=list)
    about: dict = field(default_factory=dict)  # the message a why-answer led with, for follow-ups


def execute(parts: AskParts, executor: Executor, reading: Reading, q: Query, match: TopicMatch | None,
            whole: str, render: Renderer, timings: dict) -> Found:
    t0 = time.perf_counter()
    q = executor.effective(q)
    unmatched = match is not None and match.kind in ("closest", "nothing")
    found = Found(q, Result() if unmatched else executor.run(q), match=match, unmatched=unmatched)
    timings["facts"] = elapsed_ms(t0)
    t0 = time.perf_counter()
    if unmatched:
        found.hits, found.citations = cite_ranked(parts, executor, q, list(match.messages))
    else:
        found.hits, found.citations = cite(parts, executor, reading, q, found.result, whole)
    if reading.explain:
        _symptom_or_filter(parts, executor, reading, whole, found)
        _explained(parts, executor, reading, render, found)
    timings["retrieve"] = elapsed_ms(t0)
    return found


def _symptom_or_filter(parts, executor: Executor, reading: Reading, whole: str, found: Found) -> None:
    """"clients failing to renew their lease": is "failing" a filter or the symptom? Both readings
    run; the one whose best message matches the question better wins. Only for a status word of
    this question: one a follow-up inherits is a filter."""
    q = found.query
    if not (q.statuses and reading.search and "statuses" in reading.said):
        return
    free = q.with_(statuses=())
    free_result = executor.run(free)
    free_hits, free_cites = cite(parts, executor, reading, free, free_result, whole)
    hits = found.hits
    if free_hits and (not hits or (free_hits[0].similarity or 0) > (hits[0].similarity or 0) + 0.01):
        found.query, found.result, found.hits, found.citations = free, free_result, free_hits, free_cites
        found.description = True


def _explained(parts, executor: Executor, reading: Reading, render: Renderer, found: Found) -> None:
    """The message a why-answer leads with, said as sure, as one of two candidates, or only as the
    closest; its detail (count, pipelines, first and last seen, per day) becomes the result's."""
    if not found.hits:
        return
    sure, missing = confidence(parts, executor, reading, found.hits)
    if sure == "nothing":
        found.match = TopicMatch("nothing", reading.search, unmatched=tuple(missing))
        found.hits, found.citations, found.unmatched = [], [], True
        return
    if sure == "closest":  # said as the closest ones, not as the answer
        found.match = TopicMatch("closest", reading.search, unmatched=tuple(missing))
        found.hits, found.citations = keep_messages(found.hits, found.citations,
                                                    {h.signature_id for h in found.hits[:3]})
        found.unmatched = True
    elif sure:
        found.notices.append(t(render.lang, sure))
    found.hits, found.citations = keep_messages(found.hits, found.citations, related(found.hits))
    hits = found.hits
    # what a follow-up's "how many?" or "since when?" will be about
    found.about = {"message": hits[0].signature_id, "message_text": headline_of(hits[0].text, 80)}
    # a name the question gives ("OutOfMemoryError") that no shown message carries: the messages
    # are the closest within the filters, not that error; said, not implied (the search words
    # carry over to follow-ups: "et pour Talend ?" still asks about it)
    named = dict.fromkeys([*reading.unknown, *(w for w in reading.search.split() if NAME_LIKE.match(w))])
    for word in named:
        if not any(fold(word) in fold(h.text) for h in hits):
            found.notices.append(t(render.lang, "not_within", word=word, what=render.within(found.query)))
    detail = executor.message_detail(found.query, hits[0].signature_id)
    if detail is not None:
        found.result = replace(found.result, explained=replace(detail, refs=hits[0].refs, text=hits[0].text))


def confidence(parts: AskParts, executor: Executor, reading: Reading, hits) -> tuple[str, list[str]]:
    """How sure the best message of a why-answer is: "nothing" (its words are not words, and no
    message carries them), "closest" (no word in any message, or none close in meaning),
    "candidates" (the next one about as close), or "" (sure); and the words no message carries."""
    best = hits[0].similarity
    if best is None:  # messages chosen by time, not by words: nothing to doubt
        return "", []
    found, missing = found_words(reading.search.split(), parts.store, executor.topic_signatures)
    if about_nothing(found, missing):
        return "nothing", missing
    # a word of the question the best message carries as written ("xgboost" in "No module named
    # 'xgboost'") is a match whatever the vectors say
    carried = any(fold(w) in whole_tokens(hits[0].text) for w in found)
    if not found or (not carried and (best < STRONG or mostly_unknown(found, missing))):
        return "closest", missing
    if len(hits) > 1 and hits[1].similarity is not None and hits[1].similarity >= best - CANDIDATE_GAP:
        return "candidates", missing
    return "", missing


def related(hits) -> set[str]:
    """The best message, and those almost as close to the question: not just anything in the filters."""
    top = hits[0].similarity
    return {h.signature_id for i, h in enumerate(hits)
            if i == 0 or top is None or h.similarity is None or h.similarity >= top - RELATED_MARGIN}


def elapsed_ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)
