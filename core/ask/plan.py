"""Plan step: from a reading of the words to the query that runs. The thread's context fills
what a follow-up leaves out, the optional LLM planner may replace the reading, the channel's
filter applies when the question names nothing, and the topic is settled against the index:
literal words filter, described ones select the messages closest in meaning."""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from ..channels import ChannelSettings
from ..strings import t
from ..text import fold
from .cite import counters
from .context import apply_context
from .executor import Executor
from .parts import AskParts
from .planner import PlanRejected, plan as llm_plan
from .query import Query
from .reading import Reading, read_question
from .topic import TopicMatch, describe, literal_words

log = logging.getLogger("flowrag.ask")


@dataclass(frozen=True)
class Planned:
    reading: Reading
    by_llm: bool = False  # the LLM planner's query, validated, replaced the reading's
    defaulted: tuple[str, ...] = ()  # names the channel's settings supplied
    notices: tuple[str, ...] = ()


def read(parts: AskParts, question: str, context: dict | None, *, explain: bool, now, tz,
         default_language: str) -> Reading:
    """The words, then what the thread's earlier turns lend them. `explain`: the text describes a
    problem (an alert pasted or pointed at): its names filter, its other words rank messages."""
    reading = read_question(question, now=now, tz=tz, names=parts.names(), default_language=default_language)
    reading = apply_context(reading, context, tz)
    if explain and reading.search:
        reading = replace(reading, explain=True, query=reading.query.with_(measure="messages", topic=""))
    return reading


def plan(parts: AskParts, reading: Reading, question: str, context: dict | None, *, use_llm: bool,
         channel: ChannelSettings | None, now, tz) -> Planned:
    notices, by_llm = [], False
    if parts.chat is not None and use_llm and parts.settings.llm_planner and not context:
        try:
            reading = replace(reading, query=llm_plan(parts.chat, question, vocabulary=parts.vocabulary(), now=now,
                                                      tz=tz), unknown=(), explain=False)
            by_llm = True
        except PlanRejected as e:
            log.warning("LLM plan rejected: %s", e)
            notices.append(t(reading.language, "plan_rejected", why=str(e)[:120]))
    reading, defaulted = channel_defaults(reading, channel, context, by_llm)
    return Planned(reading, by_llm, defaulted, tuple(notices))


def channel_defaults(reading: Reading, cs: ChannelSettings | None, context: dict | None, planned: bool):
    """The channel's filter, for a question that names no technology or pipeline of its own (nor
    inherits one the user named earlier in the thread): a name in the question wins. Returns the
    reading and the names the channel supplied, which the interpretation line shows. What a
    channel supplied to an earlier turn is not carried over as if the user had said it: the
    channel's current settings decide again (they may have changed, or the panel moved on)."""
    q = reading.query
    if (q.techs or q.pipelines or q.exclude_techs or q.exclude_pipelines) if planned else "names" in reading.said:
        return reading, ()
    inherited = {str(x) for x in (context or {}).get("channel_default") or () if isinstance(x, str)}
    if inherited:
        q = q.with_(techs=tuple(x for x in q.techs if x not in inherited),
                    pipelines=tuple(x for x in q.pipelines if x not in inherited))
    if q.techs or q.pipelines or q.exclude_techs or q.exclude_pipelines or cs is None or not cs.names:
        return replace(reading, query=q), ()
    return replace(reading, query=q.with_(techs=cs.techs, pipelines=cs.pipelines)), cs.names


def settle_topic(parts: AskParts, reading: Reading, executor: Executor,
                 question: str) -> tuple[Query, list[str], TopicMatch | None]:
    """(query, words left out, how the topic was read). Literal words (quoted, identifier-like)
    filter as typed, and a word no message contains is noise unless it looks like a name
    ("Oracle": then the honest count is zero, and the notice says why). Free words are read by
    meaning (core/ask/topic.py)."""
    q = reading.query
    if not q.topic:
        return q, [], None
    unknown = {fold(w) for w in reading.unknown}
    words = q.topic.split()
    # a name we do not know, alone ("How many Oracle failures?"), is literal too: an honest zero,
    # said in a notice; among other words ("workers Python", "Blue Gene") it describes
    alone = all(fold(w) in unknown for w in words)
    literal = [w for w in words if w in literal_words(q.topic, question) or (alone and fold(w) in unknown)]
    if not literal:
        count, frequent = counters(executor, q.with_(topic=""))
        match = describe(q.topic, question, store=parts.store, index=parts.index, relevance=parts.relevance,
                         count=count, frequent=frequent, literal_sigs=executor.topic_signatures,
                         constrained=bool({"statuses", "window"} & reading.said) or q.measure == "silent")
        ignored = list(match.ignored)
        if match.kind == "ignored":
            return q.with_(topic=""), ignored, None
        q = q.with_(topic=match.words)
        if match.kind == "described":
            return q.with_(topic_messages=match.messages), ignored, match
        return q, ignored, match
    # only the literal words filter; the others describe, and rank what is cited
    keep, ignored = [], []
    for word in literal:
        if fold(word) in unknown or executor.topic_signatures(word):
            keep.append(word)
        else:
            ignored.append(word)
    return q.with_(topic=" ".join(keep)), ignored, TopicMatch("literal", " ".join(keep))
