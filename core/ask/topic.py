"""What the words of a question that are not names, time or measure select: a topic.

Two kinds, said apart in the answer:

* literal: what the user marks as literal — quoted text and identifier-like tokens
  (`NoRouteToHostException`, `ORA-01017`, `blk_123`, a path). A message matches when it contains
  each of them; "No runs mentioning X" is then a fact when none does.
* described: free words ("task attempts that died because there was no route to the host"). They
  select messages by relevance, the retrieval of why-answers (dense views + BM25): the messages
  that carry every word literally, or failing that those whose meaning is close enough (a
  threshold calibrated on the lookup benchmark's development part). When nothing is close, the
  answer says so and shows the closest messages instead of stating a count.

A question none of whose words occurs in any message and whose meaning is far from all of them
(« blorp zizzle », unknown jargon) is "nothing": a notice names the words, no message is offered.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from ..signature import NO_MESSAGE, signature_id
from ..logwords import match_query
from .retrieve import INSIDE
from .reading import FRENCH_JOIN

# Mean cosine (over the dense views) of the best message, calibrated on bench/lookup's development
# part (README): at or above STRONG a described topic selects messages, below it the answer shows
# the closest ones. Similarity alone cannot tell nonsense (« blorp zizzle » scores 0.80 to 0.87,
# like real questions), words can: a question none of whose words any message carries in any form
# (stems, the French-English glossary), with words that are no words at all, is about nothing the
# logs hold; so is one whose words but one are not words (« grumbleflaps »). Real words no message
# carries (a French question the glossary does not cover) get the closest messages, never a count.
STRONG = 0.83
REAL_ZIPF = 2.0  # wordfreq's scale: 2 is about once per 100 million words
# messages selected besides the best: as close as it within MARGIN, at most SELECT in all
MARGIN = 0.03
SELECT = 5
# a why-answer whose second message is this close to the first shows both as candidates
CANDIDATE_GAP = 0.01
CLOSEST = 3
CANDIDATES = 60
SILENT = signature_id(NO_MESSAGE)
# identifier-like: inner capitals, digits mixed with letters, separators inside a token, codes
IDENT = re.compile(r"^(?:[A-Za-z]*[a-z][A-Z]\w*|[A-Z]{2,}[\w]*[-_:.]?\d+\w*|\w*[A-Za-z]\w*\d\w*|\d+\w*[A-Za-z]\w*"
                   r"|[\w]+(?:[-_.:/\\][\w]+)+|/[\w/.-]+)$")
# quoted text; a single quote only around words, never the apostrophes of « d'instance, jusqu'au »
QUOTED = re.compile(r"[\"“«‘`]\s*([^\"”»’`]{2,80}?)\s*[\"”»’`]|(?:^|(?<=\s))'([^']{2,80}?)'(?=[\s?.!,;:]|$)")


@dataclass(frozen=True)
class TopicMatch:
    kind: str  # "literal" | "described" | "closest" | "nothing" | "ignored" (only noise words)
    words: str  # the topic as typed
    messages: tuple[str, ...] = ()  # described: the messages selected; closest: the nearest ones
    similarity: float | None = None  # of the best message (dense views)
    unmatched: tuple[str, ...] = ()  # words found in no message
    ignored: tuple[str, ...] = ()  # noise words left out (said in a notice)




def literal_words(topic: str, question: str) -> list[str]:
    """The topic's words the user marked as literal (quoted, or shaped like an identifier)."""
    quoted = {w.lower() for m in QUOTED.finditer(question) for w in (m.group(1) or m.group(2)).split()}
    return [w for w in topic.split() if (IDENT.match(w) and not FRENCH_JOIN.search(w)) or w.lower() in quoted]


def found_words(words: list[str], store, literal_sigs: Callable[[str], frozenset[str]]) -> tuple[list[str], list[str]]:
    """(words some message carries, as typed or in another form, and words none does)."""
    found, missing = [], []
    for w in words:
        hit = len(w) > 2 and (bool(literal_sigs(w)) or bool(store.ranked_words(match_query(w), 1)))
        (found if hit else missing).append(w)
    return found, missing


def zipf(word: str) -> float:
    """How common a word is in French or English (wordfreq's Zipf scale, 0 for « zizzle »)."""
    from wordfreq import zipf_frequency  # its tables load on first use, not at import

    w = word.lower()
    return max(zipf_frequency(w, "en"), zipf_frequency(w, "fr"))


def real_word(word: str) -> bool:
    """A word of French or English as people write them (not « zizzle », not an identifier)."""
    return zipf(word) >= REAL_ZIPF


def about_nothing(found: list[str], missing: list[str]) -> bool:
    """Whether words of a question name nothing the logs hold (see STRONG's comment)."""
    if not found:
        return not all(real_word(w) for w in missing)
    return len(found) == 1 and len(missing) >= 2 and not any(real_word(w) for w in missing)


def mostly_unknown(found: list[str], missing: list[str]) -> bool:
    """More of the question's words carried by no message, in any form, than carried by one
    (« bidule truc machin chouette »: only « machin » reaches « machine » by its stem): whatever the
    vectors say, the best message is only the closest one."""
    return len(missing) > len(found)


def describe(topic: str, question: str, *, store, index, relevance, count: Callable[[list[str]], dict[str, int]],
             literal_sigs: Callable[[str], frozenset[str]], constrained: bool = False, frequent=None) -> TopicMatch:
    """Read free topic words by meaning, inside the query's other filters (`count` gives the
    matching runs per message there; a message with none is outside them). `constrained`: the
    question sets a status or a time itself ("How many Hadoop failures yesterday? xxxx")."""
    found, missing = found_words(topic.split(), store, literal_sigs)
    # a question that sets a status or a time itself says what it counts: a word no message carries
    # in any form is how people talk ("ventilés", "pourriez-vous"), left out with a notice as before;
    # otherwise the words are all the question is about, and all of them describe it
    ignored = list(missing) if constrained else []
    missing = [w for w in missing if w not in ignored]
    if not found and not missing:
        return TopicMatch("ignored", topic, ignored=tuple(ignored))
    match = _describe(" ".join(w for w in topic.split() if w not in ignored), question, found, missing, store=store,
                      index=index, relevance=relevance, count=count, literal_sigs=literal_sigs, frequent=frequent)
    return replace(match, ignored=tuple(ignored))


def _describe(topic: str, question: str, found: list[str], missing: list[str], *, store, index, relevance, count,
              literal_sigs, frequent) -> TopicMatch:
    words = topic.split()
    if found and not missing:
        sigs = literal_sigs(" ".join(words))
        inside = count(sorted(sigs)) if sigs else {}
        inside = {s: n for s, n in inside.items() if n and s != SILENT}
        if inside:  # every word, literally, in these messages: they are the topic
            return TopicMatch("described", topic, tuple(sorted(inside, key=lambda s: -inside[s])))
    ranked, similarity = rank(topic, question, store=store, index=index, relevance=relevance, count=count,
                              frequent=frequent)
    best = similarity[ranked[0]] if ranked else None
    if about_nothing(found, missing):
        return TopicMatch("nothing", topic, (), best, tuple(missing))
    if not ranked:
        return TopicMatch("closest", topic, (), None, tuple(missing))
    if found and best >= STRONG and not mostly_unknown(found, missing):
        picked = [s for s in ranked[:SELECT] if similarity[s] >= max(STRONG, best - MARGIN)]
        return TopicMatch("described", topic, tuple(picked), best, tuple(missing))
    return TopicMatch("closest", topic, tuple(ranked[:CLOSEST]), best, tuple(missing))


def rank(topic: str, question: str, *, store, index, relevance, count, frequent=None
         ) -> tuple[list[str], dict[str, float]]:
    """Candidate messages inside the filters, best first, and their mean dense similarity."""
    found = index.query(relevance.query_vector(topic), CANDIDATES)
    lexical = {sid: -bm25 for sid, bm25 in store.ranked_words(match_query(topic), CANDIDATES)}
    reference = [s for s in dict.fromkeys([*(sid for sid, _ in found), *lexical]) if s != SILENT]
    counts = count(reference)
    pool = [s for s in reference if counts.get(s)]
    if not pool and frequent is not None:  # see retrieve.INSIDE
        counts = {s: n for s, n in frequent(INSIDE) if n and s != SILENT}
        pool = list(counts)
    if not pool:
        return [], {}
    score, similarity = relevance.fused(topic, pool, lexical, question, reference)
    return sorted(pool, key=lambda s: (-round(score[s], 9), -counts[s])), similarity
