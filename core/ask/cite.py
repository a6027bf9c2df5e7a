"""Retrieve step: which messages to show and which runs to cite for an executed query. Counting
stays the executor's (through its rollups); this only chooses and orders."""
from __future__ import annotations

from ..store import key_of, queries
from . import durations
from .executor import Executor
from .parts import AskParts
from .query import Query, Result
from .retrieve import cite_records, retrieve

SPECIAL = ("silent", "streaks", "running", "slowest")  # answers that cite runs, not messages


def counters(executor: Executor, q: Query):
    """Matching runs per message, and the most frequent messages, inside the query's filters:
    through the rollups (a message seen in 900,000 runs must not cost a scan of them)."""
    cw, cp = executor.where(q, sigs=executor.filter_signatures(q))

    def count(sigs: list[str]) -> dict[str, int]:
        if not sigs:
            return {}
        rows = executor.aggregate(f"{cw} AND sig IN ({','.join('?' * len(sigs))})", [*cp, *sigs], q.window,
                                  ("sig",))
        return {r[0]: r[1] for r in rows}

    def frequent(k: int) -> list[tuple[str, int]]:
        rows = executor.aggregate(cw, cp, q.window, ("sig",))
        return [(r[0], r[1]) for r in sorted(rows, key=lambda r: (-r[1], r[0]))[:k]]

    return count, frequent


def cite(parts: AskParts, executor: Executor, reading, q: Query, result: Result, whole: str = ""):
    """(messages, citations) for an answer. `whole`: the question, a second query for why-answers."""
    if q.measure == "rate":
        q = q.with_(statuses=(q.rate_of,))
    elif q.measure in SPECIAL:
        return [], cite_special(parts, q, result)
    # conditions shared by counting (rollups) and choosing what to cite (records, time too)
    cw, cp = executor.where(q, sigs=executor.filter_signatures(q))
    where, params = executor.within(cw, cp, q.window)
    ranked = None
    if q.measure == "new_messages":
        ranked = [m.signature_id for m in result.messages if m.new]
        if not ranked:
            return [], []
    if q.measure in ("first_time", "last_time") and result.value is not None:
        # the run that answers first, then the other messages a described topic was read as
        edge = queries.edge_signature(parts.store, where, params, first=q.measure == "first_time")
        ranked = list(dict.fromkeys([*edge, *q.topic_messages]))
    topic = (reading.search or q.topic) if (reading.explain or q.measure == "messages" or q.topic) else ""
    if reading.explain and not topic and ranked is None:
        # "why did Spark fail?" names no symptom: it asks about the failures that just happened,
        # so the latest run's message leads (not the most frequent one of all time), then the
        # messages of the runs before it
        ranked = queries.recent_signatures(parts.store, where, params) or None
    if durations.in_messages(q, result):  # no duration recorded: the topic's messages answer
        ranked = list(q.topic_messages)
    if not (result.total or ranked):
        return [], []
    count, frequent = counters(executor, q)
    return retrieve(parts.store, parts.index, parts.relevance, where, params, topic, count=count, frequent=frequent,
                    n_citations=parts.settings.citations, ranked=ranked, by_relevance=reading.explain,
                    question=whole if reading.explain else "")


def cite_ranked(parts: AskParts, executor: Executor, q: Query, ranked: list[str]):
    """Citations of messages chosen beforehand (the closest ones to a topic), inside the filters."""
    if not ranked:
        return [], []
    q = q.with_(topic="", topic_messages=())
    cw, cp = executor.where(q, sigs=None)
    where, params = executor.within(cw, cp, q.window)
    count, frequent = counters(executor, q)
    return retrieve(parts.store, parts.index, parts.relevance, where, params, "", count=count, frequent=frequent,
                    n_citations=parts.settings.citations, ranked=ranked, by_relevance=True)


def cite_special(parts: AskParts, q: Query, result: Result) -> list:
    """Silent sources cite their last run; streaks their latest failed runs; running and slowest
    the runs listed, in their order."""
    store, n = parts.store, parts.settings.citations
    rows = []
    if q.measure == "silent":
        column = "tech_key" if q.silent_kind == "tech" else "pipeline_key"
        for s in result.silent[:n]:
            rows += queries.last_run_of(store, column, key_of(s.name))
    elif q.measure in ("running", "slowest"):
        for run in [*result.running, *result.stuck, *result.slowest][:n]:
            rows += queries.run(store, run.id)
    else:
        for s in result.streaks[:n]:
            rows += queries.last_failure_since(store, key_of(s.pipeline), s.since)
    return cite_records(rows)
