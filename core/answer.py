"""The deterministic answer, in the question's language: facts first, then the main messages
with their occurrence counts and numbered citations. Also the facts as text for an LLM."""
from __future__ import annotations

import re

from .models import MessageHit

NOUNS = {  # status -> (singular, plural) per language
    "en": {"failed": ("failure", "failures"), "warning": ("warning", "warnings"),
           "success": ("successful run", "successful runs"), "running": ("running run", "running runs"),
           None: ("run", "runs")},
    "fr": {"failed": ("échec", "échecs"), "warning": ("avertissement", "avertissements"),
           "success": ("succès", "succès"), "running": ("exécution en cours", "exécutions en cours"),
           None: ("exécution", "exécutions")},
}
T = {
    "en": {"none": "No {scope}{what}{when}.", "count": "{n} {scope}{what}{when}.",
           "which_tech": "Technologies with {what}{when}: {items}.", "which_pipeline": "Pipelines with the most {what}{when}: {items}.",
           "messages": "Main messages:", "occ": ("occurrence", "occurrences"), "breakdown": "By status: {items}.",
           "first_last": "First seen {first}, last seen {last}.", "on": " on ", "and": " and ",
           "nothing_cited": "No log record matches these filters.", "new": "Messages that first appeared{when}:"},
    "fr": {"none": "Aucun {what_singular}{scope}{when}.", "count": "{n} {what}{scope}{when}.",
           "which_tech": "Technologies en {what}{when} : {items}.", "which_pipeline": "Pipelines avec le plus de {what}{when} : {items}.",
           "messages": "Messages principaux :", "occ": ("occurrence", "occurrences"), "breakdown": "Par statut : {items}.",
           "first_last": "Premier le {first}, dernier le {last}.", "on": " le ", "and": " et ",
           "nothing_cited": "Aucun enregistrement ne correspond à ces filtres.", "new": "Messages apparus{when} :"},
}
STATUS_LABEL = {"en": {"failed": "failed", "warning": "warning", "success": "success", "running": "running",
                       "unknown": "unknown"},
                "fr": {"failed": "échec", "warning": "avertissement", "success": "succès", "running": "en cours",
                       "unknown": "inconnu"}}


def _plural(n: int, forms: tuple[str, str]) -> str:
    return forms[0] if n == 1 else forms[1]


def when_phrase(facts: dict, lang: str) -> str:
    t = (facts.get("filters") or {}).get("time")
    if not t:
        return ""
    label = t["label"]
    # a bare date reads "on 2026-04-29" / "le 2026-04-29"; relative words read as they are
    return (T[lang]["on"] + label) if label[:1].isdigit() else " " + label


def scope_phrase(facts: dict, lang: str) -> str:
    f = facts.get("filters") or {}
    names = f.get("pipelines") or f.get("techs") or []
    if not names:
        return ""
    # "5 Hadoop failures" but « 5 échecs Hadoop »: the name goes before the noun in English only
    joined = T[lang]["and"].join(names)
    return f"{joined} " if lang == "en" else f" {joined}"


def headline(intent: str, facts: dict, lang: str) -> str:
    t = T[lang]
    statuses = (facts.get("filters") or {}).get("statuses") or []
    status = statuses[0] if len(statuses) == 1 else None
    nouns = NOUNS[lang][status]
    when, scope = when_phrase(facts, lang), scope_phrase(facts, lang)
    total = facts["total"]
    if total == 0:
        return t["none"].format(what=nouns[1], what_singular=nouns[0], scope=scope, when=when)
    if intent == "which_tech":
        src = facts["failed_by_tech"] if status == "failed" else facts["by_tech"]
        items = ", ".join(f"{k} ({v})" for k, v in list(src.items())[:10])
        return t["which_tech"].format(what=nouns[1] if lang == "en" else nouns[0], when=when, items=items)
    if intent in ("which_pipeline", "top"):
        src = facts["top_failed_pipelines"] if status == "failed" else facts["top_pipelines"]
        items = ", ".join(f"{p} ({n}, {tech})" for p, n, tech in src[:5])
        return t["which_pipeline"].format(what=nouns[1], when=when, items=items)
    return t["count"].format(n=total, what=_plural(total, nouns), scope=scope, when=when)


def deterministic_answer(intent: str, facts: dict, hits: list[MessageHit], lang: str) -> str:
    t = T[lang]
    lines = [headline(intent, facts, lang)]
    if facts["total"] and len(facts["by_status"]) > 1:
        labels = STATUS_LABEL[lang]
        lines.append(t["breakdown"].format(items=", ".join(f"{labels.get(s, s)} {n}" for s, n in facts["by_status"].items())))
    if facts["total"] and intent in ("count", "summary") and len(facts["by_tech"]) > 1:
        lines.append(", ".join(f"{k} {v}" for k, v in list(facts["by_tech"].items())[:8]) + ".")
    if hits:
        lines.append("")
        lines.append(t["new"].format(when=when_phrase(facts, lang)) if intent == "new" else t["messages"])
        for i, h in enumerate(hits, start=1):
            refs = "".join(f"[{r}]" for r in h.refs)
            one_line = headline_of(h.text)
            lines.append(f"{i}. {one_line} — {h.count} {_plural(h.count, t['occ'])} {refs}".rstrip())
    return "\n".join(lines)


EXCEPTION = re.compile(r"\b(?:[a-z_]\w*\.)+\w*(?:Exception|Error)\b")


def headline_of(message: str, limit: int = 220) -> str:
    """One line that shows what went wrong: where a long wrapper ("Job aborted due to stage
    failure: … most recent failure: …") hides the exception, start at the exception."""
    line = " ".join(message.split())
    if len(line) <= limit:
        return line
    found = list(EXCEPTION.finditer(line[:2000]))
    if found and found[-1].start() > limit // 2:
        line = "… " + line[found[-1].start():]
    return line[:limit] + ("…" if len(line) > limit else "")


def facts_text(facts: dict, lang: str) -> str:
    """The facts as short lines for the model: it may rephrase them, never recompute them."""
    f = facts.get("filters") or {}
    lines = [
        f"filters: time={f.get('time', {}) and f['time']['label']!r} techs={f.get('techs')} "
        f"pipelines={f.get('pipelines')} statuses={f.get('statuses')}",
        f"matching runs (exact count): {facts['total']}",
        f"by status: {facts['by_status']}",
        f"by technology: {dict(list(facts['by_tech'].items())[:10])}",
        f"failures by technology: {dict(list(facts['failed_by_tech'].items())[:10])}",
        f"top pipelines (name, runs, tech): {facts['top_pipelines'][:5]}",
        f"top failing pipelines: {facts['top_failed_pipelines'][:5]}",
        f"runs by day: {facts['by_day']}",
        f"first seen: {facts['first_seen']}, last seen: {facts['last_seen']}",
        f"suggested headline: {headline('summary', facts, lang)}",
    ]
    return "\n".join(lines)
