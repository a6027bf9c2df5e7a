"""From a question (French or English) to filters and an intent, and from a follow-up plus the
previous turn's context to the question it really asks."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from .models import Filters, TimeRange
from .timeparse import parse_time_range, shift_hint, shift_range

TOKEN = re.compile(r"[\w][\w\-.]*[\w]|[\w]", re.UNICODE)

FRENCH = {"quel", "quelle", "quels", "quelles", "combien", "hier", "echec", "echecs", "echoue", "echoues",
          "les", "des", "pour", "est", "sont", "pourquoi", "et", "du", "de", "la", "le", "aujourd", "semaine",
          "derniere", "dernier", "erreur", "erreurs", "depuis", "jours", "avant", "mois", "explique", "que",
          "qui", "ont", "il", "y", "a", "en", "sur", "avec", "dans", "au", "aux", "veille", "lendemain", "cette"}
ENGLISH = {"what", "which", "how", "many", "yesterday", "failed", "the", "for", "why", "is", "are", "and",
           "last", "week", "today", "did", "does", "was", "were", "errors", "error", "failures", "since", "days",
           "explain", "show", "me", "of", "in", "on", "with", "about", "any", "there", "day", "before", "month"}

STATUS_WORDS = {
    "failed": {"echec", "echecs", "echoue", "echouee", "echoues", "echouees", "erreur", "erreurs", "failed",
               "failure", "failures", "fail", "fails", "failing", "error", "errors", "ko", "crash", "crashed",
               "plante", "plantage", "plantages", "fatal"},
    "warning": {"avertissement", "avertissements", "warning", "warnings", "warn", "alerte", "alertes"},
    "success": {"succes", "reussi", "reussie", "reussis", "reussies", "success", "successful", "succeeded",
                "passed"},
}
STATUS_PHRASES = {"failed": ("en erreur", "en echec", "in error"), "success": ("sans erreur",)}

INTENTS = [  # first match wins; order matters ("how many pipelines" is a count)
    ("count", re.compile(r"\b(combien|how many|how much|nombre d|number of|count)\b")),
    ("new", re.compile(r"\b(nouvelles?|nouveaux?|new|apparu\w*|first time|premiere fois)\b")),
    ("which_tech", re.compile(r"\b(quel\w*|which|what)\s+(techno\w*|tech\w*|stacks?|outils?|tools?)\b")),
    ("which_pipeline", re.compile(r"\b(quel\w*|which|what)\s+(pipelines?|flux|flows?|jobs?|dags?|traitements?)\b")),
    ("top", re.compile(r"\b(le plus|la plus|les plus|most|top|worst|pire\w*)\b")),
    ("explain", re.compile(r"\b(pourquoi|why|expli\w+|explain\w*|cause\w*|signifie|mean\w*|root)\b")),
]

STOP = FRENCH | ENGLISH | {w for ws in STATUS_WORDS.values() for w in ws} | {
    "techno", "technos", "technologie", "technologies", "tech", "techs", "pipeline", "pipelines", "flux", "flow",
    "flows", "job", "jobs", "run", "runs", "execution", "executions", "ce", "ces", "cet", "un", "une", "mes",
    "nos", "notre", "a", "an", "to", "do", "has", "have", "had", "it", "this", "that", "these", "those", "ont",
    "plus", "most", "top", "le", "les", "hours", "heures", "week", "semaine", "yesterday", "hier", "today",
    "aujourd", "hui", "fois", "times", "then", "alors", "pour", "for", "what", "et", "and", "or", "ou", "pas",
    "not", "no", "si", "if", "can", "you", "vous", "tu", "me", "moi", "please", "stp", "svp", "bot", "flowrag",
    "depuis", "since", "between", "entre", "from", "au", "par", "by", "per", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "derniers", "dernieres", "past", "previous", "precedente", "passee", "mois", "month",
    "ago", "il", "y", "there", "veille", "lendemain", "day", "jour", "jours", "days", "last", "this", "cette",
}


def fold(text: str) -> str:
    """Lowercase without accents: users type 'echec' as often as 'échec'."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")


@dataclass(frozen=True)
class ParsedQuestion:
    text: str
    language: str
    intent: str  # count | which_tech | which_pipeline | top | explain | new | summary
    filters: Filters
    topic: str  # what is left once filters and question words are removed: the semantic query


def detect_language(text: str, default: str = "en") -> str:
    words = [w for w in TOKEN.findall(fold(text))]
    fr = sum(w in FRENCH for w in words) + 2 * bool(re.search(r"[éèêàùçô]", text.lower()))
    en = sum(w in ENGLISH for w in words)
    if fr == en:
        return default
    return "fr" if fr > en else "en"


def match_names(tokens: list[str], folded: str, vocabulary: dict[str, str], min_len_fuzzy: int = 4) -> list[str]:
    """Names from `vocabulary` (key -> display) the question mentions: whole names first (they may
    contain spaces or dashes), then single tokens exactly or with a small typo."""
    found: list[str] = []
    keys = {fold(k): v for k, v in vocabulary.items() if k and k != "unknown"}
    for k, v in sorted(keys.items(), key=lambda kv: -len(kv[0])):
        if len(k) >= 2 and re.search(rf"(?<![\w\-]){re.escape(k)}(?![\w\-])", folded) and v not in found:
            found.append(v)
    for tok in tokens:
        if tok in STOP or len(tok) < min_len_fuzzy or tok in keys:
            continue
        hit = process.extractOne(tok, list(keys), scorer=fuzz.ratio, score_cutoff=80 if len(tok) >= 5 else 85)
        if hit and keys[hit[0]] not in found and len(hit[0]) >= min_len_fuzzy:
            found.append(keys[hit[0]])
    return found


def parse_question(text: str, *, now: datetime, tz: ZoneInfo, vocabulary: dict[str, dict[str, str]],
                   default_language: str = "en") -> ParsedQuestion:
    folded = fold(text)
    tokens = TOKEN.findall(folded)
    pipelines = match_names(tokens, folded, vocabulary.get("pipeline", {}), min_len_fuzzy=8)
    # a pipeline named "spark-sales-agg" must not also read as the tech "spark"
    rest = folded
    for p in pipelines:
        rest = rest.replace(fold(p), " ")
    techs = match_names(TOKEN.findall(rest), rest, vocabulary.get("tech", {}))
    statuses = [s for s, words in STATUS_WORDS.items()
                if any(t in words for t in tokens) or any(p in folded for p in STATUS_PHRASES.get(s, ()))]
    intent = next((name for name, rx in INTENTS if rx.search(folded)), "summary")
    time = parse_time_range(text, now, tz)
    named = {fold(n) for n in techs + pipelines}
    topic = " ".join(t for t in TOKEN.findall(rest) if t not in STOP and t not in named and not t.isdigit()
                     and len(t) > 1 and not re.fullmatch(r"[\d/\-.:]+", t))
    return ParsedQuestion(text=text, language=detect_language(text, default_language), intent=intent,
                          filters=Filters(time=time, techs=tuple(techs), pipelines=tuple(pipelines),
                                          statuses=tuple(statuses)),
                          topic=topic)


def apply_context(q: ParsedQuestion, context: dict | None, tz: ZoneInfo, now: datetime) -> ParsedQuestion:
    """A follow-up changes only what it names; the rest comes from the previous turn."""
    if not context:
        return q
    prev = context_filters(context)
    f = q.filters
    time = f.time
    if time is None:
        days = shift_hint(q.text)
        time = shift_range(prev.time, days, tz) if (days and prev.time) else prev.time
        if time is not None and time is prev.time and q.language != context.get("language"):
            time = relabel(time, q.language, tz, now)  # "yesterday" must not leak into a French answer
    if f.pipelines:
        techs, pipelines = f.techs, f.pipelines
    elif f.techs:
        techs, pipelines = f.techs, ()
    else:
        techs, pipelines = prev.techs, prev.pipelines
    statuses = f.statuses or prev.statuses
    intent = q.intent if q.intent != "summary" else context.get("intent", "summary")
    topic = q.topic or context.get("topic", "")
    language = q.language if detect_language(q.text, "") else context.get("language", q.language)
    return replace(q, filters=Filters(time, tuple(techs), tuple(pipelines), tuple(statuses)),
                   intent=intent, topic=topic, language=language)


RELATIVE = {"en": ("today", "yesterday", "the day before yesterday"),
            "fr": ("aujourd'hui", "hier", "avant-hier")}


def relabel(rng: TimeRange, lang: str, tz: ZoneInfo, now: datetime) -> TimeRange:
    """The range's label in another language: relative words when they fit, else local dates."""
    start, end = rng.start.astimezone(tz), rng.end.astimezone(tz)
    today = now.astimezone(tz).date()
    one_day = start.time() == end.time() == datetime.min.time() and (end.date() - start.date()).days == 1
    if one_day and 0 <= (today - start.date()).days <= 2:
        return replace(rng, label=RELATIVE.get(lang, RELATIVE["en"])[(today - start.date()).days])
    if one_day:
        return replace(rng, label=start.date().isoformat())
    return replace(rng, label=f"{start:%Y-%m-%d %H:%M} → {end:%Y-%m-%d %H:%M}")


def to_context(q: ParsedQuestion) -> dict:
    """The turn as plain JSON-able data, for the next follow-up (the bot keeps it in Slack)."""
    t = q.filters.time
    return {
        "question": q.text[:500],
        "language": q.language,
        "intent": q.intent,
        "topic": q.topic[:300],
        "time": {"start": t.start.isoformat(), "end": t.end.isoformat(), "label": t.label} if t else None,
        "techs": list(q.filters.techs),
        "pipelines": list(q.filters.pipelines),
        "statuses": list(q.filters.statuses),
    }


def context_filters(context: dict) -> Filters:
    t = context.get("time")
    time = None
    if isinstance(t, dict) and t.get("start") and t.get("end"):
        try:
            time = TimeRange(datetime.fromisoformat(t["start"]), datetime.fromisoformat(t["end"]),
                             str(t.get("label", "")))
        except (TypeError, ValueError):
            time = None  # a context we cannot read is a context we ignore, not a crash
    as_tuple = lambda k: tuple(str(x) for x in context.get(k) or () if isinstance(x, str))  # noqa: E731
    return Filters(time=time, techs=as_tuple("techs"), pipelines=as_tuple("pipelines"),
                   statuses=as_tuple("statuses"))
