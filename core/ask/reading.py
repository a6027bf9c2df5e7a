"""Reading a question, French or English, into a typed `Query` — deterministically.

Every word that looks like a constraint either becomes part of the query or is reported back
(`unknown`, `unparsed`, `ignored`) so that the answer can say what it did not understand
instead of silently answering another question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from ..text import fold
from ..timeparse import find_times, shift_hint, shift_range, unparsed_times
from .compare import WHOLE, wants_same_span
from .durations import duration_cue
from .names import NameFinder
from .negation import governed
from .query import MAX_LIMIT, Query, Window
from .vocab_words import (CUE_WORDS, ENGLISH, FRENCH, STATUS_PHRASES, STATUS_WORDS, STOP, inversion_base,
                          status_of_word)

WORD = re.compile(r"[\w][\w\-.]*[\w]|\w", re.UNICODE)


def _rx(p: str) -> re.Pattern:
    return re.compile(p)


NEW = _rx(r"\b(?:new|nouvel\w*|nouveaux?|nouvelles?|inedit\w*|unseen)\s+(?:\S+\s+){0,2}?(?:errors?|erreurs?|messages?"
          r"|warnings?|avertissements?|problems?|problemes?|issues?|failures?|echecs?|alertes?|alerts?|types?)\b"
          r"|\b(?:errors?|erreurs?|messages?|problemes?|problems?|issues?|echecs?|warnings?)\s+(?:inedit\w*|nouvel\w*"
          r"|nouveaux?|unseen|jamais vu\w*)"
          r"|\bjamais vu\w*|\bnever (?:been )?seen|\bfirst[- ]time|\bpremiere fois|\bapparu\w*|\bappeared|\bemerged"
          r"|\bbrand new")
SILENT = _rx(r"(?:n'?(?:ont|a) pas (?:tourne|ete execute\w*|reporte\w*)|pas tourne|pas de nouvelles|plus de nouvelles"
             r"|silencieu\w*|\bmuets?\b|stopp?ed (?:reporting|running|sending)|not reporting|n'envoie\w* plus"
             r"|(?:didn'?t|did not|haven'?t|have not|hasn'?t|has not|never) (?:run|ran|report\w*)|not run\b"
             r"|missing runs?|runs? manquant\w*|executions? manquante\w*|went (?:dark|quiet|silent)"
             r"|\bsilent\b|\bquiet\b|ne (?:tourne|tournent|remonte|remontent) plus|arrete\w* de (?:tourner|remonter)"
             r"|plus (?:tourne|remonte)|sans (?:run|execution|nouvelles)|no (?:runs|news|data) (?:from|since)"
             r"|gone silent|disparu\w*|ne repond\w* plus|not heard from|gone (?:quiet|dark))")
# weaker ways of saying it: a why-question with them describes a symptom (« des tâches ne donnent
# plus signe de vie, pourquoi ? » is about heartbeats), so they are read after EXPLAIN
SILENT_SOFT = _rx(r"n'?(?:ont|a) rien (?:envoye|remonte|reporte|transmis|produit|donne)"
                  r"|(?:plus|pas) (?:de )?signe de vie")
START_FAIL = _rx(r"(?:when did .{0,60}?(?:start|begin|began|started) (?:to )?fail\w*|since when|depuis quand"
                 r"|commence\w* a (?:echouer|planter|etre en (?:echec|erreur)|tomber|crasher)"
                 r"|(?:start|started|begin|began|beginning) (?:to )?fail\w*|first started failing)")
# Only an explicit reading of consecutive runs: "keep failing", « n'arrête pas de planter » describe
# a problem (its messages answer it), they do not ask for a streak.
STREAK = _rx(r"(?:d'?affilee|consecuti\w*|in a row|back[- ]to[- ]back|streak|series? d'?echecs?|toujours en (?:echec|erreur)"
             r"|still (?:failing|broken|down|red)|(?:all|every one of) (?:the|their|its) "
             r"last|tous (?:les )?\w* ?derni\w*|derniers? (?:runs?|passages?|executions?) (?:ont )?(?:tous )?echoue"
             r"|last \d+ runs|\d+ derni\w+ (?:runs?|executions?|passages?)|de suite|sans interruption"
             r"|(?:several|multiple|many|plusieurs) (?:runs?|times|fois|executions?) (?:in a row|de suite|d'?affilee))"
             r"|run after run|one after (?:the )?another|stuck (?:failing|in (?:a )?fail\w*|red|broken)"
             r"|l'une? apres l'autre|coup sur coup")
# "ended with a warning", « se sont terminés en erreur »: the verb only carries the status that follows
ENDED = _rx(r"\b(?:ended|ending|ends|finished|completed|terminated|termine\w*|fini\w*)\s+(?:with|in|on|en|par|avec|sur)\b"
            r"(?=\s+(?:(?:a|an|un|une|des|the)\s+)?(?:" + "|".join(sorted({w for ws in STATUS_WORDS.values() for w in ws}))
            + r")\b)")
# "keeps failing" and the like: a symptom, not a measure (its words are not a topic either)
KEEPS = _rx(r"\b(?:keeps?|kept|keeping)(?: on)?(?=\s+\w+ing\b)|\bn'arrete\w* pas (?:de |d')|\bcontinue\w* (?:de |d'|a )(?=\w)"
            r"|\b(?:repeatedly|constantly|persistently|again and again|over and over|sans arret|en boucle|en continu"
            r"|non[- ]stop|encore et encore|a repetition)\b")
RATE = _rx(r"(?:\btaux\b|pourcentage|percentage|\bpercent\b|\bper cent\b|\bpct\b|\bfraction\b|\bpourcent\b|\bratio\b|proportion|\brate\b|%|\bpart des\b|\bshare of\b"
           r"|fiabilite|reliability)")
RATE_SUCCESS = _rx(r"(?:reussite|succes|success\w*|fiabilite|reliability|\bok\b|passed|\breussi\w*)")
RATE_WARNING = _rx(r"\b(?:warnings?|avertissements?|warn)\b")
TIME_Q = _rx(r"(?:a quelle heure|\bquand\b|\bwhen\b|what time|at what time|\bheure (?:du|de la|of)\b"
             r"|(?<!par )(?<!chaque )(?<!une )(?<!heure par )\bheure\b(?! par heure)"
             r"|timestamp|date (?:du|de la|of)|\bdate\b)")
FIRST = _rx(r"\b(?:premier\w*|premiere\w*|first|earliest|debut|commence\w*|start\w*|began|oldest|plus ancien\w*"
            r"|demarr(?:e|ee|es|ees|er|ent)"
            r"|initial\w*)\b")
LAST_ONE = _rx(r"\b(?:dernier|derniere|last|latest|most recent|plus recent\w*)\s+(?:\w+\s+)?(?:echec|erreur|run"
               r"|execution|passage|failure|error|crash|plantage|succes|success|occurrence|fois|time)\b")
# "first" or "last" said outright wins over a verb of starting ("when did a datanode last start …")
FIRST_WORD = _rx(r"\b(?:premier\w*|premiere\w*|first|earliest|oldest|plus ancien\w*)\b")
LAST_WORD = _rx(r"\b(?:dernier\w*|derniere\w*|last|latest|most recent\w*|plus recent\w*)\b")
FIRST_ONE = _rx(r"\b(?:premier|premiere|first|earliest)\s+(?:\w+\s+)?(?:echec|erreur|run|execution|passage|failure"
                r"|error|crash|plantage|succes|success|occurrence|fois|time)\b")
PIPE_NOUN = r"(?:jobs?|pipelines?|flux|flows?|dags?|traitements?|workflows?|chaines?|taches?|tasks?|batch(?:es|s)?)"
TECH_NOUN = r"(?:technos?|technolog(?:y|ies|ie)|techs?|stacks?|outils?|tools?|systemes?|systems?|plateformes?|platforms?|sources?)"
HOW_MANY = r"(?:combien(?: de| d')?|how many|nombre (?:de|d')|number of|count of|count the|compte\w*|count\b)"
# "how many runs per technology" counts runs, grouped: a grouping word is not part of the noun phrase
# nor a status noun: « combien d'échecs du job payroll » counts runs, not pipelines
_NOT_PER = (r"(?:(?!(?:par|per|by|each|chaque|selon|echecs?|failures?|erreurs?|errors?|warnings?|avertissements?"
            r"|runs?|executions?|plantages?|crash\w*)\b)\w+\s+)")
DISTINCT_PIPE = _rx(rf"{HOW_MANY}\s*{_NOT_PER}{{0,2}}?{PIPE_NOUN}\b(?!\s+(?:runs?|executions?))")
DISTINCT_TECH = _rx(rf"{HOW_MANY}\s*{_NOT_PER}{{0,2}}?{TECH_NOUN}\b")
WHICH = r"(?:quel\w*|which|what|lesquel\w*|list\w*|liste\w*|donne\w*|show|montre\w*|name|nomme\w*)"
LIST_PIPE = _rx(rf"\b{WHICH}\s+(?:\w+\s+){{0,2}}?{PIPE_NOUN}\b")
LIST_TECH = _rx(rf"\b{WHICH}\s+(?:\w+\s+){{0,2}}?{TECH_NOUN}\b")
TOP = _rx(r"\b(?:le plus|la plus|les plus|most|top|worst|pire\w*|the least|le moins|biggest|plus gros\w*)\b")
GROUP = [(g, _rx(p)) for g, p in (
    ("tech", rf"\b(?:par|by|per|selon|pour chaque|for each)\s+(?:\w+\s+)?{TECH_NOUN}\b"),
    ("pipeline", rf"\b(?:par|by|per|selon|pour chaque|for each)\s+(?:\w+\s+)?{PIPE_NOUN}\b"),
    ("status", r"\b(?:par|by|per|selon)\s+(?:statut|status|etat|state|result\w*)\b"),
    ("day", r"\b(?:par|by|per|each|chaque)\s+(?:jour|day|date|journee)\b|\bdaily\b|\bquotidien\w*\b|\bjour par jour\b"
            r"|\bday by day\b|\bday-by-day\b"),
    ("hour", r"\b(?:par|by|per|each|chaque)\s+(?:heure|hour)\b|\bhourly\b|\bhoraire\b|\bheure par heure\b"),
    ("message", r"\b(?:par|by|per)\s+(?:type d'?)?(?:messages?|erreurs?|errors?|error types?)\b"),
)]
BREAKDOWN = _rx(r"\b(?:repartition|breakdown|ventil\w*|split)\b")
EXPLAIN = _rx(r"\b(?:pourquoi|why|expli\w*|cause\w*|raisons?|reasons?|root|que se passe|what happened|what'?s wrong"
              r"|what'?s going on|what is going on|what is happening|what'?s happening|qu'?est-ce qui se passe|se passe-t-il"
              r"|what is wrong|qu'?est-ce qui|what does|signifie\w*|veut dire|veulent dire|meaning|means|mean"
              r"|d'?ou vient|origine|diagnos\w*|how come|comment se fait)\b")
# weaker: only when nothing else was asked for ("what is the failure rate" is a rate)
EXPLAIN_WEAK = _rx(r"\b(?:qu'?est-ce que|c'?est quoi|what is|what are|what's|quelles? sont les lignes|which lines"
                   r"|que sont|what kind)\b")
# a question that asks what something is: a "when" inside it starts a clause, not a time question
ASKS_WHAT = re.compile(r"^\W*(?:qu'?est-ce|c'?est quoi|what|which|que |quel|quelle|que signifi|what'?s)")
MESSAGES = _rx(r"\b(?:quel\w* (?:sont les )?(?:erreurs?|messages?|problemes?)|(?:which|what) (?:are the )?(?:errors?|messages?"
               r"|problems?|issues?)|top (?:errors?|messages?)|messages?|erreurs? (?:principales?|frequentes?|les plus)"
               r"|main (?:errors?|issues?)|most common errors?|liste des erreurs"
               r"|top\s*\d{0,2}\s+(?:des |of the |of )?(?:errors?|erreurs?|messages?)"
               r"|(?:show|list|give)(?: me)?(?: all)? (?:the )?(?:errors?|messages?)"
               r"|(?:montre|affiche|donne|liste)\w*(?:-moi)? (?:les |des |toutes les )?(?:erreurs?|messages?))\b")
TREND = _rx(r"\b(?:tendance|trend\w*|evolution|evolue\w*|increas\w*|decreas\w*|augment\w*|baiss\w*|diminu\w*"
            r"|en hausse|en baisse|going up|going down|compar\w*|more than usual|plus que d'habitude)\b")
VS = _rx(r"\b(?:vs|versus|than|que|qu'|par rapport|compar\w*|contre|against|relative to)\b")
COMPARE_CUE = _rx(r"(?:par rapport (?:a|au|aux)|compar\w* (?:a|au|aux|avec|to|with|against)|\bvs\.?|\bversus"
                  r"|\bcontre|\bthan|\bque|\bqu'|relative to|against|\bvis-a-vis (?:de|du))\s*"
                  r"(?:(?:the|la|le|les|l'|du|de la|de|a|au)\s*)?$")
# Exclusion, before a name ("sauf Spark", "leaving out Talend", « sans compter dbt ») or after it
# ("Hadoop excluded", « Spark mis à part », "Spark aside"). Any of these words left unplaced next to
# nothing it could exclude is said in a notice: a name is never silently read the other way round.
_EXCL_BEFORE = (r"sauf|hormis|besides|hors|a part|excepte\w*|except(?:ing)?(?: for)?|excluding|exclu\w*|other than"
                r"|not|sans(?: compter| inclure| parler de)?|without(?: counting)?|autres? que|en dehors (?:de|du|des)|non"
                r"|but not|ni|apart from|aside from|minus|moins|pas|ignor\w*|leaving out|leave out|left out"
                r"|not counting|not including|excluding|exclude|en excluant|en ignorant|a l'exception (?:de|du|des|d')"
                r"|a l'exclusion (?:de|du|des|d')|everything but|all but|anything but|tout sauf|(?:rather|plutot) que"
                r"|outside(?: of)?|no|aucun\w*|excluant|exception faite (?:de|du|des|d')|mis\w* a part|pas de|pas les"
                r"|with the exception of|(?:the )?exception (?:of|made for)|save for|saving|disregard\w*|leaving|leave"
                r"|(?:en )?(?:mettant|laissant) de cote|(?:en )?laissant|(?:setting|putting|leaving|set|put|leave) aside|setting"
                r"|putting")
EXCLUDE_CUE = _rx(rf"(?:\b(?:{_EXCL_BEFORE}))\s*(?:(?:the|le|la|les|l'|du|des|de|d'|for|pour|les jobs|les flux"
                  r"|jobs|pipelines?|flux|runs?|de la techno|the tech|techno|any|any of|ceux|celles|those|the ones|ones|of|from"
                  r"|anything|all|tous|toutes|tout)\s*)*$")
EXCLUDE_AFTER = _rx(r"^\s*[,)]?\s*(?:(?:est|sont|is|are|being|etant|was|were|etant|to be|must be|should be)\s+)?"
                    r"(?:exclu\w*|excepte\w*|excepted|mis\w* a part|mis\w* de cote|a part(?!\s+\w)|aside|apart|left out"
                    r"|set aside|put aside|left aside|laisse\w* de cote|disregarded|not included|non compris\w*|non inclus\w*|not counted|ignored|ignore\w*"
                    r"|omitted|omis\w*|removed|retire\w*|enleve\w*|out of (?:it|this|the count))\b")
# every word that can exclude: one that ends up next to no name is reported, not ignored
# "exception" the noun ("an exception while sending blocks") is a topic word, not an excluding one
NEGATING = _rx(r"\b(?:sauf|hormis|except(?!ion)\w*|exception (?:of|faite|made)|exclu\w*|ignor\w*|leaving out"
               r"|leave out|left out|not counting|not including|sans compter|mis\w* a part|mis\w* de cote|a l'exception"
               r"|a l'exclusion|apart from|de cote|disregard\w*|save for|(?:setting|putting|leaving|set|put|left) aside"
               r"|aside from|other than|autres? que|besides|omitt?\w*|omis\w*|en dehors|everything but|all but"
               r"|anything but|tout sauf|hors)\b")
JOINER = _rx(r"^\s*(?:,|&|/|\+|et|and|ou|or|ni|nor|plus)?\s*(?:(?:the|le|la|les|l'|du|des|de|d')\s*)*$")
LIMIT = _rx(r"\btop\s*(\d{1,3})\b|\b(\d{1,3})\s+(?:premiers?|premieres?|pires|first|worst|top|plus|most|derniers?)\b"
            rf"|\b(?:les|the|des|ces|those|these)\s+(\d{{1,2}})\s+(?:\w+\s+)?(?:{PIPE_NOUN}|{TECH_NOUN})")
# "several in a row": more than one, said as 2+ in the answer
SEVERAL = _rx(r"\b(?:several|multiple|plusieurs|repeated|repetes?)\b")
STREAK_N = _rx(r"\b(\d{1,2})\s+(?:derni\w+\s+)?(?:runs?|executions?|passages?|fois|times|echecs?|failures?|tentatives?)"
               r"\b|\blast\s+(\d{1,2})\s+(?:runs?|executions?|times)\b")
# Measures the records cannot give: said, not silently swapped for a count.
UNSUPPORTED = _rx(r"\b(?:duree\w*|duration\w*|how long|combien de temps|temps (?:d'?execution|moyen)|moyenne?s?"
                  r"|average|(?:the|a) mean|mean (?:duration|time|run\w*|latenc\w*|delay)|median|mediane|latenc\w*"
                  r"|runtime|run time|elapsed|lignes? (?:traitees?|chargees?)"
                  r"|rows? (?:processed|loaded)|volume\w*|throughput|debit|cout\w*|costs?|sla)\b")
# "right now" questions: answered from the latest runs, not from all time
CURRENT = _rx(r"\b(?:currently|right now|at the moment|en ce moment|actuellement|still|toujours|encore)\b")
RUNNING = _rx(r"\b(?:running|en cours|tournent|tourne|in progress|qui tourne\w*)\b")
# Terms that one of their words alone would not say: "passe" and "jour" are time words, "ligne" a
# domain word; such a term stays whole in the topic (« mots de passe refusés » is about passwords).
TERMS = _rx(r"\b(?:mots? de passe|mis(?:es?)? a jour|bases? de donnees|hors ligne|time outs?|out of (?:memory|disk|space)"
            r"|no space left)\b")
# French inversions and compounds are words, not names: « a-t-elle », « lui-même », « est-ce »
FRENCH_JOIN = re.compile(r"(?i)-(?:t-)?(?:il|ils|elle|elles|on|ce|je|tu|nous|vous|meme|même|la|le|les|ci|moi|toi|lui|y)$"
                         r"|^(?:peut|est|sont|a|ont|va|vont|fait|font|dit|lui|elle|eux|celui|celle|ceux|celles|vis)-")
NAME_LIKE = _rx(r"^(?:[A-Z][\w\-.]*[A-Za-z0-9]|[A-Za-z]+[\-_.][\w\-.]+|[A-Za-z]+\d+\w*|[A-Z]{2,}\w*)$")


@dataclass(frozen=True)
class Reading:
    """A question as understood: the query, and what was said or not understood."""

    query: Query
    language: str
    search: str  # the words retrieval ranks messages by
    explain: bool = False  # the question describes a problem: its words rank, they do not filter
    said: frozenset[str] = frozenset()  # which parts the question itself set (for follow-ups)
    unknown: tuple[str, ...] = ()  # name-like words that are neither a tech nor a pipeline
    unplaced: tuple[str, ...] = ()  # excluding words next to no name they could exclude
    unparsed: tuple[str, ...] = ()  # time-like words that are not a valid time
    unsupported: tuple[str, ...] = ()  # measures asked for that the records cannot give
    shift_days: int | None = None  # "et la veille ?": moves the previous window
    names_how: tuple[tuple[str, str, str], ...] = ()  # (user's word, name, how) for aliases/parts/typos
    empty: bool = False  # nothing to go on at all
    language_sure: bool = True  # the words themselves told the language (not a default)


def detect_language(text: str, default: str = "en") -> str:
    words = WORD.findall(fold(text))
    fr = sum(w in FRENCH for w in words) + 2 * bool(re.search(r"[éèêàùçô]", text.lower()))
    en = sum(w in ENGLISH for w in words)
    if fr == en:
        return default
    return "fr" if fr > en else "en"


@dataclass
class _Pass:
    """A reading in progress: the text, what is left of it once each part took its words, and
    which parts the question said itself (for follow-ups)."""

    text: str
    folded: str
    said: set[str] = field(default_factory=set)
    rest: str = ""  # the folded text with its times blanked
    rest_names: str = ""  # ... and its names, negations and measure words


def read_question(text: str, *, now: datetime, tz: ZoneInfo, names: NameFinder, default_language: str = "en",
                  ) -> Reading:
    """The words, part by part: times, names (in or out), measure words, the measure, statuses,
    and what is left (a topic, names we do not know). Each part blanks the words it took."""
    p = _Pass(text, fold(text))
    window, compare, unparsed, shift = _read_times(p, now, tz)
    hits, include, exclude, unplaced = _read_names(p, names)
    duration, unsupported = _read_measure_words(p)
    q = Query(window=window, compare=compare, techs=tuple(include["tech"]), pipelines=tuple(include["pipeline"]),
              exclude_techs=tuple(exclude["tech"]), exclude_pipelines=tuple(exclude["pipeline"]))
    q, explain, cue_spans, current = _read_measure(p, q, now, duration, unsupported)
    q, statuses = _read_statuses(p, q)
    if duration:  # "what is the mean duration": a measure, not a description of a problem
        q, explain = q.with_(measure=duration[0], limit=duration[2] or q.limit), False
    if q.measure in ("rate", "silent", "streaks", "running"):
        statuses = []
    elif q.measure == "new_messages" and not statuses:
        statuses = ["failed"]
    q = q.with_(statuses=tuple(statuses))
    topic, search, unknown = _read_rest(p, _blank(p.rest_names, [*cue_spans, *current]))
    if topic:
        p.said.add("topic")
        if q.measure == "runs" and not cue_spans and not q.group_by and not q.compare and not unsupported and not (
                {"window", "statuses"} <= p.said):  # "replication failures in the last 7 days?" counts them
            # no measure asked for, words that describe something: the question describes a
            # problem ("disk errors on the datanodes?"), and its words rank messages
            explain = True
            q = q.with_(measure="messages")
    if not explain:  # "which errors about the lease renewal?" lists the messages of that topic
        q = q.with_(topic=topic)
    return Reading(query=q, language=detect_language(text, default_language), search=search, explain=explain,
                   said=frozenset(p.said), unknown=unknown, unplaced=unplaced, unparsed=unparsed,
                   unsupported=unsupported, shift_days=shift if window is None else None,
                   names_how=tuple((text[h.start:h.end], h.name, h.how) for h in hits if h.how != "name"),
                   empty=not (p.said or statuses or topic) and not re.search(r"\w", p.folded),
                   language_sure=detect_language(text, "") != "")


def _read_times(p: _Pass, now: datetime, tz: ZoneInfo):
    """The window, and a second one introduced by "par rapport à" / "vs" / "than"; a third time,
    or a second one with no "vs", is named in a notice, not guessed at."""
    text, folded = p.text, p.folded
    times = find_times(text, now, tz)
    unparsed = tuple(unparsed_times(text, times))
    window = compare = None
    extra = []
    for tm in times:
        cue = COMPARE_CUE.search(WHOLE.sub("", folded[max(0, tm.start - 40):tm.start]))
        if cue and compare is None:
            compare = tm.range
        elif window is None:
            window = tm.range
        else:
            extra.append(text[tm.start:tm.end])
    unparsed += tuple(extra)
    p.rest = rest = _blank(folded, [(t.start, t.end) for t in times])
    if window is not None:
        p.said.add("window")
    shift = shift_hint(text)
    if compare is None and shift is not None and window is not None and (TREND.search(rest) or VS.search(rest)):
        compare = shift_range(window, shift, tz)
    if compare is not None:
        p.said.add("compare")
        window, compare = _align(window, compare, tz)
    elif TREND.search(rest) and window is not None:
        p.said.add("compare")
        compare = Window(window.start - (window.end - window.start), window.start, "")
    return window, compare, unparsed, shift


def _read_names(p: _Pass, names: NameFinder):
    """Names, included or excluded. Excluding words are never topic words; one next to no name
    is said (unplaced), not guessed at."""
    hits = names.find(p.rest)
    include: dict[str, list[str]] = {"tech": [], "pipeline": []}
    exclude: dict[str, list[str]] = {"tech": [], "pipeline": []}
    excluded, placed = _exclusions(p.rest, hits)
    for h, out in zip(hits, excluded):
        target = exclude if out else include
        if h.name not in target[h.kind]:
            target[h.kind].append(h.name)
    if hits:
        p.said.add("names")
    rest_names = _blank(p.rest, [(h.start, h.end) for h in hits])
    negating = list(NEGATING.finditer(rest_names))
    loose = [governed(rest_names, m) for m in negating if not any(a <= m.start() < b for a, b in placed)]
    unplaced = tuple(dict.fromkeys(" ".join(p.text[a:b].split()) for a, b in loose))  # with what it governs
    p.rest_names = _blank(rest_names, [*(m.span() for m in negating), *placed, *loose])
    return hits, include, exclude, unplaced


def _read_measure_words(p: _Pass):
    """"durée moyenne", "slowest runs": a duration measure (core/ask/durations.py); "rows loaded",
    "cost": measures the records cannot give, one notice a phrase, never topic words."""
    duration = duration_cue(p.rest)
    if duration and EXPLAIN.search(_blank(p.rest, duration[1])):
        duration = None  # « que veut dire le message … combien de temps il a pris ? » asks what it means
    if duration:
        p.rest, p.rest_names = _blank(p.rest, duration[1]), _blank(p.rest_names, duration[1])
        p.said.add("measure")
    spans: list[list[int]] = []
    for m in UNSUPPORTED.finditer(p.rest):
        if spans and re.fullmatch(r"[\s']*(?:de|d|du|des|of|the|of the)?[\s']*", p.rest[spans[-1][1]:m.start()]):
            spans[-1][1] = m.end()
        else:
            spans.append([m.start(), m.end()])
    p.rest_names = _blank(p.rest_names, spans)
    return duration, tuple(dict.fromkeys(p.text[a:b] for a, b in spans))


def _read_measure(p: _Pass, q: Query, now: datetime, duration, unsupported):
    """What is measured, from the strongest cue present: (query, explain, cue spans, "currently"
    spans)."""
    p.rest_names = _blank(p.rest_names, [m.span() for rx in (KEEPS, ENDED) for m in rx.finditer(p.rest_names)])
    q = q.with_(same_span=wants_same_span(q.window, q.compare, now, p.rest))
    if q.compare:
        p.rest_names = _blank(p.rest_names, [m.span() for m in WHOLE.finditer(p.rest_names)])
    current = [m.span() for m in CURRENT.finditer(p.rest_names)]  # "currently", « encore »: never a topic
    q, explain, cue_spans = _measure(q, p.rest_names, weak_explain=not unsupported)
    if q.measure != "runs" or cue_spans:
        p.said.add("measure")
    if q.measure == "streaks" and len(q.pipelines) == 1 and not (STREAK_N.search(p.rest_names)
                                                                 or SEVERAL.search(p.rest_names)):
        # "is X still failing?": any current streak answers it, not only one of 3 runs or more
        q = q.with_(streak_min=1)
    return q, explain, cue_spans, current


def _read_statuses(p: _Pass, q: Query) -> tuple[Query, list[str]]:
    statuses = []
    for m in WORD.finditer(p.rest_names):
        st = status_of_word(m.group(0))
        if st and st not in statuses:
            statuses.append(st)
    for st, phrases in STATUS_PHRASES.items():
        if any(ph in p.rest_names for ph in phrases):
            statuses = [st]
    if statuses:
        p.said.add("statuses")
    if CURRENT.search(p.rest_names) and "window" not in p.said and q.measure in ("runs", "list_pipelines",
                                                                                 "distinct_pipelines"):
        if RUNNING.search(p.rest_names):
            # "is X still running?", "which jobs are still running?": running or stuck (core/ask/running.py)
            q, statuses = q.with_(measure="running"), []
            p.said.update({"measure", "statuses"})
        elif statuses == ["failed"]:
            # "which pipelines are currently failing?": those whose latest runs failed
            q = q.with_(measure="streaks", streak_min=1)
            p.said.add("measure")
    return q, statuses


def _read_rest(p: _Pass, covered: str) -> tuple[str, str, tuple[str, ...]]:
    """What is left: (the topic as typed, the words retrieval ranks by, name-like words that are
    neither a technology nor a pipeline)."""
    text = p.text
    topic_words, unknown, search_words = [], [], []
    terms = {m.start(): m for m in TERMS.finditer(covered)}
    for m in sorted([*terms.values(), *WORD.finditer(_blank(covered, [t.span() for t in terms.values()]))],
                    key=lambda m: m.start()):
        if m.start() in terms:
            search_words.append(text[m.start():m.end()])
            topic_words.append(text[m.start():m.end()])
            continue
        w = inversion_base(m.group(0).strip("-.'"))  # « ont-elles » is « ont »: the verb is the word
        if not w or w in STOP or w in CUE_WORDS or status_of_word(w) or len(w) < 3 or _numeric(w):
            continue
        if "'" in w and w.split("'", 1)[1] in STOP:
            continue
        original = text[m.start():m.end()].strip("-.'")[:len(w)]
        search_words.append(original)  # with its case: "OutOfMemoryError" splits into words, "outofmemoryerror" not
        if NAME_LIKE.match(original) and not FRENCH_JOIN.search(original) and not (
                m.start() == _first_word_start(text) and original.istitle() and original.lower() in STOP):
            unknown.append(original)
        topic_words.append(original)  # as typed: the reading line echoes it (the filter folds it)
    first: dict[str, str] = {}
    for w in topic_words:
        first.setdefault(fold(w), w)
    return " ".join(first.values()), " ".join(dict.fromkeys(search_words)), tuple(dict.fromkeys(unknown))


def _measure(q: Query, text: str, weak_explain: bool = True) -> tuple[Query, bool, list[tuple[int, int]]]:
    """The measure, from the strongest cue present; returns the spans of the cue words."""
    spans: list[tuple[int, int]] = []

    def hit(rx: re.Pattern) -> re.Match | None:
        m = rx.search(text)
        if m:
            spans.append(m.span())
        return m

    group = None
    for g, rx in GROUP:
        if hit(rx):
            group = group or g
    if (b := BREAKDOWN.search(text)):  # « ventilés par techno »: the word only asks for the grouping
        spans.append(b.span())
    if group is None and b:
        group = "tech" if re.search(TECH_NOUN, text) else "pipeline" if re.search(PIPE_NOUN, text) else "status"
    limit = q.limit
    if (m := LIMIT.search(text)):
        limit = max(1, min(MAX_LIMIT, int(next(g for g in m.groups() if g))))
    q = q.with_(group_by=group, limit=limit)
    tech_noun = re.search(rf"\b{TECH_NOUN}\b", text)
    if hit(SILENT):
        return q.with_(measure="silent", silent_kind="tech" if tech_noun else "pipeline"), False, spans
    if hit(NEW):
        return q.with_(measure="new_messages"), False, spans
    if hit(EXPLAIN):  # "why … keep failing": the why wins over the words describing the symptom
        return q.with_(measure="messages"), True, spans
    if hit(SILENT_SOFT):
        return q.with_(measure="silent", silent_kind="tech" if tech_noun else "pipeline"), False, spans
    if hit(START_FAIL):
        return q.with_(measure="streaks", streak_min=1), False, spans
    if hit(STREAK):
        n = STREAK_N.search(text)
        k = int(n.group(1) or n.group(2)) if n else 2 if hit(SEVERAL) else 3
        return q.with_(measure="streaks", streak_min=max(1, min(k, 100))), False, spans
    if hit(RATE):
        rate_of = "success" if RATE_SUCCESS.search(text) else "warning" if RATE_WARNING.search(text) else "failed"
        return q.with_(measure="rate", rate_of=rate_of), False, spans
    first_one, last_one = FIRST_ONE.search(text), LAST_ONE.search(text)
    if _asks_when(text) or first_one or last_one:
        if (m := TIME_Q.search(text)):
            spans.append(m.span())
        for m in (first_one, last_one):
            if m:
                spans.append(m.span())
        first = bool(first_one) if (first_one or last_one) else _first_said(text)
        if first_one and last_one:
            first = first_one.start() < last_one.start()
        return q.with_(measure="first_time" if first else "last_time"), False, spans
    if hit(DISTINCT_TECH):
        return q.with_(measure="distinct_techs"), False, spans
    if hit(DISTINCT_PIPE):
        return q.with_(measure="distinct_pipelines"), False, spans
    if group:
        return q, False, spans
    if hit(LIST_TECH):
        return q.with_(measure="list_techs"), False, spans
    if hit(LIST_PIPE):
        return q.with_(measure="list_pipelines"), False, spans
    if hit(TOP) and (tech_noun or re.search(rf"\b{PIPE_NOUN}\b", text)):
        return q.with_(measure="list_techs" if tech_noun else "list_pipelines"), False, spans
    if hit(MESSAGES):
        return q.with_(measure="messages"), False, spans
    if weak_explain and EXPLAIN_WEAK.search(text):
        spans.append(EXPLAIN_WEAK.search(text).span())
        return q.with_(measure="messages"), True, spans
    if (m := re.search(rf"\b{HOW_MANY}", text)):
        spans.append(m.span())
    return q, False, spans


def _exclusions(rest: str, hits) -> tuple[list[bool], list[tuple[int, int]]]:
    """Which names are excluded, and the spans of the words that excluded them. A cue before a
    name ("sauf", "leaving out") or after it ("excluded", « mis à part ») excludes it and the names
    joined to it ("sauf Spark et Talend", "Spark and Talend excluded")."""
    out = [False] * len(hits)
    placed: list[tuple[int, int]] = []
    prev_end = 0
    for i, h in enumerate(hits):
        gap = rest[prev_end:h.start]
        lo = max(0, len(gap) - 40)
        m = EXCLUDE_CUE.search(gap[lo:])
        if m:
            out[i] = True
            placed.append((prev_end + lo + m.start(), prev_end + lo + m.end()))
        elif i and out[i - 1] and JOINER.match(gap):
            out[i] = True
        prev_end = h.end
    for i, h in enumerate(hits):
        nxt = hits[i + 1].start if i + 1 < len(hits) else len(rest)
        m = EXCLUDE_AFTER.match(rest[h.end:min(nxt, h.end + 40)])
        if m:
            placed.append((h.end + m.start(), h.end + m.end()))
            j = i
            while j >= 0 and not out[j]:  # "Spark and Talend excluded": both
                out[j] = True
                if j == 0 or not JOINER.match(rest[hits[j - 1].end:hits[j].start]):
                    break
                j -= 1
    return out, placed


def _first_said(text: str) -> bool:
    """Whether a time question asks for the first time: "first"/"last" said outright, the one said
    first; otherwise a verb of starting ("when did X start failing?")."""
    first, last = FIRST_WORD.search(text), LAST_WORD.search(text)
    if first or last:
        return bool(first) and not (last and last.start() < first.start())
    return bool(FIRST.search(text))


def _asks_when(text: str) -> bool:
    """"When did X fail?", « X a planté quand ? » ask for a time; in "what is the event the
    committer handles when a job begins?" the "when" only qualifies what is asked about."""
    m = TIME_Q.search(text)
    if not m:
        return False
    word = m.group(0).strip()
    if word not in ("when", "quand") or not ASKS_WHAT.match(text):
        return True
    return not re.search(r"\w", text[m.end():])  # "what happened, and when?"


def _align(window: Window | None, compare: Window, tz: ZoneInfo) -> tuple[Window, Window]:
    """"hier par rapport à la semaine dernière" compares yesterday with the same day a week
    before; with no window of its own, a comparison is about the period that follows it."""
    if window is None:
        length = compare.end - compare.start
        return Window(compare.end, compare.end + length, ""), compare
    w_days, c_days = window.days, compare.days
    if w_days <= 1.01 and 6.9 <= c_days <= 7.1 and not (compare.start <= window.start < compare.end):
        return window, shift_range(window, -7, tz)
    return window, compare


def _blank(text: str, spans) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, min(b, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _numeric(w: str) -> bool:
    return bool(re.fullmatch(r"[\d/\-.:h%]+", w))


def _first_word_start(text: str) -> int:
    m = re.search(r"\w", text)
    return m.start() if m else 0
