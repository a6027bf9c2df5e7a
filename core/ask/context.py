"""Follow-ups: a turn's context as plain JSON (the bot keeps it in Slack message metadata), and
a new question read against it. A follow-up changes only what it says."""
from __future__ import annotations

from dataclasses import replace

from .query import Query, Window
from ..timeparse import shift_range
from .reading import Reading

NAME_FIELDS = ("techs", "exclude_techs", "pipelines", "exclude_pipelines")
MEASURE_FIELDS = ("measure", "rate_of", "group_by", "limit", "streak_min", "silent_kind")


def to_context(reading: Reading) -> dict:
    q = reading.query
    return {
        "question": "",  # filled by the engine (the text, cut)
        "language": reading.language,
        "explain": reading.explain,
        "search": reading.search[:300],
        "query": q.as_json(),
        # flat copies, kept for readers of the first release's context
        "time": q.window.as_json() if q.window else None,
        "techs": list(q.techs), "pipelines": list(q.pipelines), "statuses": list(q.statuses),
    }


def previous_query(context: dict | None) -> Query | None:
    if not isinstance(context, dict):
        return None
    data = context.get("query")
    try:
        if isinstance(data, dict):
            return Query.from_json(data)
        # the first release's context: flat filters only
        t = context.get("time")
        window = Window.from_json(t) if isinstance(t, dict) and t.get("start") and t.get("end") else None
        strs = lambda k: tuple(str(x) for x in context.get(k) or () if isinstance(x, str))  # noqa: E731
        return Query(window=window, techs=strs("techs"), pipelines=strs("pipelines"), statuses=strs("statuses"))
    except (TypeError, ValueError, KeyError):
        return None  # a context we cannot read is a context we ignore, not a crash


def apply_context(reading: Reading, context: dict | None, tz) -> Reading:
    prev = previous_query(context)
    if prev is None:
        return reading
    q, said = reading.query, reading.said
    changes = {}
    if "window" not in said and _new_subject(reading, prev, context):
        # a question of its own in the thread ("why did X stop running?" after a question about
        # the day before yesterday) is not narrowed by the earlier window; only elliptical
        # follow-ups ("et hier ?", "and for Kafka?", "since when?") carry the thread's window
        said = said | {"window", "compare"}
    if "window" not in said:
        window = prev.window
        if reading.shift_days and window is not None:
            window = shift_range(window, reading.shift_days, tz)
        changes["window"] = window
    if "compare" not in said and "measure" not in said and "window" not in said:
        changes.update(compare=prev.compare, same_span=prev.same_span)
    if "names" not in said:
        changes.update({f: getattr(prev, f) for f in NAME_FIELDS})
    if "statuses" not in said:
        changes["statuses"] = prev.statuses if q.measure not in ("rate", "silent", "streaks") else ()
    if "measure" not in said:
        changes.update({f: getattr(prev, f) for f in MEASURE_FIELDS})
        if prev.measure in ("rate", "silent", "streaks"):
            changes["statuses"] = ()
    if "topic" not in said:
        changes["topic"] = prev.topic
        if "names" not in said:  # still about the message a why-answer led with
            changes.update(message=prev.message, message_text=prev.message_text)
    led = context.get("message") if context.get("explain") else None
    about_led = isinstance(led, str) and bool(led) and "measure" in said and not ({"topic", "names"} & said)
    pipelines = changes.get("pipelines", q.pipelines)
    if about_led and q.measure == "streaks" and len(pipelines) == 1:
        # "since when?" after "why is X failing?": since when X is failing, the episode (which
        # says whether it is the same error), in either language
        changes.update(measure="streaks", streak_min=1, statuses=())
    elif about_led:
        # "how many?", « depuis quand ? » after a why-answer: about the message it led with
        changes.update(message=led, message_text=str(context.get("message_text") or "")[:100])
        if q.measure == "streaks":  # "since when?" of a message is when it was first seen
            changes["measure"] = "first_time"
            if "statuses" not in said:
                changes["statuses"] = prev.statuses
    explain = not about_led and (reading.explain or ("measure" not in said and bool(context.get("explain"))))
    search = "" if about_led else reading.search or str(context.get("search") or "")
    language = reading.language
    if not reading.language_sure:
        language = context.get("language") or language
    return replace(reading, query=replace(q, **changes), explain=explain, search=search, language=language)


def _new_subject(reading: Reading, prev: Query, context: dict) -> bool:
    """Asks something itself (a measure or a why) about something the thread was not about."""
    q, said = reading.query, reading.said
    if "measure" not in said and not (reading.explain and reading.search):
        return False
    names = lambda x: {n.lower() for f in NAME_FIELDS for n in getattr(x, f)}  # noqa: E731
    new_names = "names" in said and names(q) != names(prev)
    new_topic = "topic" in said and bool(reading.search) and reading.search.lower() != str(context.get("search") or "").lower()
    return new_names or new_topic
