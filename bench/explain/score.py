"""Scoring: where the first relevant citation lands, and whether the headline names the message.

* rank — 1-based position of the first of the answer's first 8 citations whose record carries a
  target EventId (looked up by record id in Loghub's labels); None when none of the 8 does.
  hit@1, hit@5 and MRR (1/rank, 0 when None) follow from it.
* first-line — the answer's first line *names* the target message when, among every Loghub
  template, the one the line covers best is a target: a template's reference words are its first
  12 constant words (lower-cased, numbers and hex masked, variables dropped); a template is
  covered when >= 60 % of them appear in the line; the best is the one with the most reference
  words present, then the highest share. Checking the text (not the answer's structure) measures
  what the on-call engineer reads, in French or English (the quoted message keeps its words);
  taking the best template over all of them, not a bare threshold, keeps a sibling from passing
  ("Failed password for root" must not count for "Failed password for invalid user": the sibling
  is fully covered by it but has fewer words). 12 words because a headline quotes a message's
  beginning and may cut a long one.
* first-message — reported alongside: the first of `answer.messages` cites (through its refs) a
  record carrying a target EventId. Structural, so it says whether the ranking put the right
  message first even when the headline is worded differently.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

TOP = 8
REF_WORDS = 12
COVER = 0.6
_WORD = re.compile(r"[a-z0-9]+")
_NUMBERISH = re.compile(r"\d+|0x[0-9a-f]+|(?=[a-f]*\d)[0-9a-f]{6,}")


def norm_id(value) -> str:
    """A record id as the labels write it: the ObjectId's 24 hex digits, lower-case."""
    text = str(value).strip()
    m = re.fullmatch(r"ObjectId\(['\"]?([0-9a-fA-F]{24})['\"]?\)", text)
    return (m.group(1) if m else text).lower()


def tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if not _NUMBERISH.fullmatch(w) and len(w) > 1]


def reference_words(template: str) -> list[str]:
    seen: list[str] = []
    for w in tokens(template.replace("<*>", " ")):
        if w not in seen:
            seen.append(w)
    return seen[:REF_WORDS]


class Namer:
    """Which Loghub template a line of text names, if any (see the module's docstring)."""

    def __init__(self, templates: dict[tuple[str, str], str]):
        self.refs = {key: set(reference_words(t)) for key, t in templates.items()}
        self.refs = {k: v for k, v in self.refs.items() if v}

    def best(self, line: str) -> tuple[list[tuple[str, str]], float]:
        words = set(tokens(line))
        best_key, best = [], (0, 0.0)
        for key, ref in self.refs.items():
            hit = len(ref & words)
            share = hit / len(ref)
            if share < COVER:
                continue
            score = (hit, round(share, 6))
            if score > best:
                best_key, best = [key], score
            elif score == best:
                best_key.append(key)
        return best_key, best[1]

    def names(self, line: str, system: str, targets) -> bool:
        keys, _ = self.best(line)
        return any(k == (system, e) for k in keys for e in targets)


@dataclass
class Outcome:
    question: object  # questions.Question
    rank: int | None
    first_line: bool
    first_message: bool
    ms: float
    headline: str = ""
    cited: list[dict] = field(default_factory=list)  # the first citations, with their labels
    named: list[str] = field(default_factory=list)  # templates the headline names best
    error: str = ""

    @property
    def rr(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0


def rank_of(citation_ids, labels: dict[str, tuple[str, str]], system: str, targets) -> int | None:
    wanted = {(system, e) for e in targets}
    for i, cid in enumerate(list(citation_ids)[:TOP], 1):
        if labels.get(norm_id(cid)) in wanted:
            return i
    return None


def first_message_hit(answer, labels, system: str, targets) -> bool:
    messages = getattr(answer, "messages", ()) or ()
    if not messages:
        return False
    by_ref = {c.ref: c.id for c in answer.citations}
    wanted = {(system, e) for e in targets}
    return any(labels.get(norm_id(by_ref.get(r, ""))) in wanted for r in messages[0].refs)


def score_answer(question, answer, ms: float, labels, namer: Namer) -> Outcome:
    headline = answer.text.partition("\n")[0]
    keys, _ = namer.best(headline)
    cited = []
    for c in list(answer.citations)[:3]:
        label = labels.get(norm_id(c.id))
        cited.append({"ref": c.ref, "id": c.id, "tech": c.tech, "status": c.status,
                      "event": "/".join(label) if label else None, "snippet": c.snippet[:160]})
    return Outcome(question, rank_of([c.id for c in answer.citations], labels, question.system, question.targets),
                   namer.names(headline, question.system, question.targets),
                   first_message_hit(answer, labels, question.system, question.targets), ms, headline, cited,
                   ["/".join(k) for k in keys[:3]])


def percentile(values, p: float) -> float | None:
    if not values:
        return None
    ranked = sorted(values)
    return round(ranked[max(0, math.ceil(p * len(ranked)) - 1)], 1)


def summary(outcomes) -> dict:
    n = len(outcomes)
    if not n:
        return {"n": 0}
    return {"n": n,
            "hit@1": round(sum(o.rank == 1 for o in outcomes) / n, 3),
            "hit@5": round(sum(o.rank is not None and o.rank <= 5 for o in outcomes) / n, 3),
            "hit@8": round(sum(o.rank is not None for o in outcomes) / n, 3),
            "mrr": round(sum(o.rr for o in outcomes) / n, 3),
            "first_line": round(sum(o.first_line for o in outcomes) / n, 3),
            "first_message": round(sum(o.first_message for o in outcomes) / n, 3)}


def breakdown(outcomes) -> dict:
    by_lang, by_system = defaultdict(list), defaultdict(list)
    for o in outcomes:
        by_lang[o.question.lang].append(o)
        by_system[o.question.system].append(o)
    return {"all": summary(outcomes),
            "per_language": {k: summary(v) for k, v in sorted(by_lang.items())},
            "per_system": {k: summary(v) for k, v in sorted(by_system.items())}}


def worst(outcomes, k: int = 10) -> list:
    """The k worst: lowest reciprocal rank, then headline and first message wrong; among equals
    (there are many misses) take the systems in turn, so the list shows different failures."""
    ranked = sorted(outcomes, key=lambda o: (o.rr, o.first_line, o.first_message, o.question.id))
    out: list = []
    while ranked and len(out) < k:
        floor = (ranked[0].rr, ranked[0].first_line, ranked[0].first_message)
        tier = [o for o in ranked if (o.rr, o.first_line, o.first_message) == floor]
        ranked = ranked[len(tier):]
        by_system: dict[str, list] = defaultdict(list)
        for o in tier:
            by_system[o.question.system].append(o)
        while tier and len(out) < k:
            for system in sorted(by_system, key=lambda s: (-len(by_system[s]), s)):
                if by_system[system] and len(out) < k:
                    out.append(by_system[system].pop(0))
            tier = [o for v in by_system.values() for o in v]
    return out


def table(result: dict) -> str:
    cols = ("n", "hit@1", "hit@5", "mrr", "first_line", "first_message")
    lines = [f"{'':12}" + "".join(f"{c:>14}" for c in cols)]

    def row(name, s):
        cells = [f"{s['n']:>14}"] + [f"{s[c]:>14.3f}" if c in s else f"{'-':>14}" for c in cols[1:]]
        lines.append(f"{name:12}" + "".join(cells))

    row("all", result["all"])
    for name, s in result["per_language"].items():
        row(name, s)
    lines.append("")
    for name, s in result["per_system"].items():
        row(name, s)
    return "\n".join(lines)


def outcome_json(o: Outcome) -> dict:
    q = o.question
    return {"id": q.id, "lang": q.lang, "system": q.system, "question": q.text, "targets": list(q.targets),
            "template": q.template, "when": list(q.when) if q.when else None, "rank": o.rank,
            "first_line": o.first_line, "first_message": o.first_message, "ms": round(o.ms, 1),
            "headline": o.headline, "headline_names": o.named, "first_citations": o.cited,
            **({"error": o.error} if o.error else {})}
