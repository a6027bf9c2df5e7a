"""Which records to cite: hybrid retrieval over distinct messages, inside the query's filters.
Retrieval ranks and picks; it never counts (the executor does)."""
from __future__ import annotations

from collections import defaultdict
from typing import Callable

from ..index import ChromaIndex
from ..models import Citation, MessageHit
from ..signature import NO_MESSAGE, has_placeholders, signature_id
from ..store import SqliteRecordStore, from_ms, queries
from ..logwords import log_words, match_query, whole_tokens
from .relevance import Relevance

CANDIDATES = 60
INSIDE = 400  # messages inside the filters ranked when no index-wide candidate is
# A word of the question that few messages carry, and only in a part their signature masks (the
# module in "No module named 'xgboost'", a table, a host), names what the user points at: those
# messages come first, since neither the vectors nor the signature's words ever saw it. Few: at
# most 1 % of the distinct messages, 3 at least.
RARE_SHARE, RARE_MIN = 0.01, 3
SILENT = signature_id(NO_MESSAGE)
SNIPPET_CHARS = 600
PER_MESSAGE = 3


def retrieve(store: SqliteRecordStore, index: ChromaIndex, relevance: Relevance, where: str, params: list,
             topic: str, *, count: Callable[[list[str]], dict[str, int]],
             frequent: Callable[[int], list[tuple[str, int]]], k_messages: int = 5, n_citations: int = 6,
             ranked: list[str] | None = None, by_relevance: bool = False, question: str = "",
             ) -> tuple[list[MessageHit], list[Citation]]:
    """`where`/`params`: conditions on records (time included), to pick the cited runs.
    `count(sigs)`: matching runs per message, and `frequent(k)`: the k most frequent messages,
    both exact from the executor's rollups. `ranked`: messages chosen by the caller (new errors,
    the run a time question found), cited in that order instead of being ranked here.
    `question`: the whole question, a second query beside the topic for why-questions."""
    counts: dict[str, int] = {}
    similarity: dict[str, float] = {}
    if ranked is None:
        if topic:
            found = index.query(relevance.query_vector(topic), CANDIDATES)
            lexical = {sid: -bm25 for sid, bm25 in store.ranked_words(match_query(topic), CANDIDATES)}
            pinned = rare_matches(store, topic)
            # runs without a message have no words to match a topic: never its answer
            pool = [s for s in dict.fromkeys([*(sid for sid, _ in found), *lexical, *pinned]) if s != SILENT]
            counts.update(count(pool))
            reference, pool = pool, [s for s in pool if counts.get(s)]  # only messages inside the filters are cited
            if not pool:
                # none of the index-wide nearest is inside the filters (a system with few messages):
                # rank the filters' own messages, most frequent first, by the same relevance
                inside = [(s, n) for s, n in frequent(INSIDE) if n and s != SILENT]
                counts.update(inside)
                pool = [s for s, _ in inside]
            if pool:
                score, similarity = relevance.fused(topic, pool, lexical, question, reference)
                # relevance first; among equally relevant messages, the more frequent one
                ranked = sorted(pool, key=lambda s: (-pinned.get(s, 0), -round(score[s], 9), -counts[s]))
        if not ranked:
            # no topic, or nothing about it inside the filters: the most frequent messages there
            top = frequent(CANDIDATES)
            counts.update(top)
            ranked = [s for s, n in top if n]
        ranked = ranked[:k_messages]
    else:
        ranked = ranked[:k_messages]
        counts.update(count(ranked))
        ranked = [s for s in ranked if counts.get(s)]
    if not ranked:
        return [], []

    candidates: dict[str, list[tuple]] = {}
    for sid in ranked:
        rows = queries.recent_runs_of(store, where, params, sid)
        by_pipeline: dict[str, tuple] = {}
        for row in rows:  # diversify: the most recent run of each pipeline that shows this message…
            by_pipeline.setdefault(row[1], row)
        firsts = list(by_pipeline.values())
        # …then its other recent runs, but never more than a few copies of one message
        candidates[sid] = (firsts + [r for r in rows if r not in firsts])[:PER_MESSAGE]
    # round-robin over messages, so that every message listed keeps at least one citation
    limit = max(n_citations, len(ranked))
    picked: list[tuple[str, tuple]] = []
    for turn in range(limit):
        for sid in ranked:
            if turn < len(candidates[sid]) and len(picked) < limit:
                picked.append((sid, candidates[sid][turn]))
    if by_relevance:  # why-questions: the best message's runs first, then the next message's
        rank = {sid: i for i, sid in enumerate(ranked)}
        picked.sort(key=lambda p: (rank[p[0]], -p[1][4]))
    else:
        picked.sort(key=lambda p: -p[1][4])  # most recent first
    refs: dict[str, list[int]] = defaultdict(list)
    citations = []
    for i, (sid, (rid, pipe, tech, status, ts, msg)) in enumerate(picked, start=1):
        refs[sid].append(i)
        citations.append(Citation(ref=i, id=rid, pipeline_name=pipe, tech=tech, status=status,
                                  timestamp=from_ms(ts), snippet=excerpt(msg)))
    texts = store.signature_texts(ranked)
    example = {sid: next(p[1][5] for p in picked if p[0] == sid) for sid in ranked}
    hits = [MessageHit(signature_id=sid, text=excerpt(example[sid] or texts.get(sid, ("", ""))[0]),
                       count=int(counts[sid]), refs=tuple(refs[sid]), similarity=similarity.get(sid),
                       varies=has_placeholders(texts.get(sid, ("", ""))[0]))
            for sid in ranked]
    return hits, citations


def rare_matches(store: SqliteRecordStore, topic: str) -> dict[str, int]:
    """How many of the topic's rare, masked words each message carries (only those with one or more)."""
    rare = max(RARE_MIN, int(store.distinct_messages() * RARE_SHARE))
    out: dict[str, int] = defaultdict(int)
    for word in log_words(topic):
        if len(word) < 4 or word.isdigit():
            continue
        sigs = store.messages_with_word(word, rare + 1)
        if len(sigs) > rare:
            continue
        for sid, (text, example) in store.signature_texts(sigs).items():
            if word in whole_tokens(example) - whole_tokens(text):  # a whole value the signature masked
                out[sid] += 1
    return out


def keep_messages(hits: list[MessageHit], citations: list[Citation], keep: set[str]
                  ) -> tuple[list[MessageHit], list[Citation]]:
    """Only the messages kept, and only the citations they refer to, renumbered 1..n: a citation
    that no line of the answer refers to would look like evidence it is not."""
    from dataclasses import replace

    kept_hits = [h for h in hits if h.signature_id in keep]
    old_refs = sorted(r for h in kept_hits for r in h.refs)
    new_ref = {old: i for i, old in enumerate(old_refs, start=1)}
    cites = [replace(c, ref=new_ref[c.ref]) for c in citations if c.ref in new_ref]
    return [replace(h, refs=tuple(new_ref[r] for r in h.refs)) for h in kept_hits], cites


def cite_records(rows: list[tuple]) -> list[Citation]:
    """Citations for records chosen by the caller: (id, pipeline, tech, status, ts, message)."""
    return [Citation(ref=i, id=rid, pipeline_name=pipe, tech=tech, status=status, timestamp=from_ms(ts),
                     snippet=excerpt(msg)) for i, (rid, pipe, tech, status, ts, msg) in enumerate(rows, start=1)]


def excerpt(message: str, limit: int = SNIPPET_CHARS) -> str:
    """The head of a message: for stack traces that is the exception and its text."""
    message = message.strip()
    if len(message) <= limit:
        return message
    return message[:limit].rstrip() + "…"
