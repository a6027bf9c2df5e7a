"""The optional LLM planner: the model translates a question into the typed query, and the
result is validated like any untrusted input before the same executor runs it. Any failure
(no answer, not JSON, an unknown name, an absurd window) falls back to the deterministic
reading; the caller says which reading was used."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ..errors import FlowragError, LLMUnavailable
from ..store import key_of
from .query import GROUPS, MAX_LIMIT, MAX_WINDOW_DAYS, MEASURES, STATUSES, Query, Window

MAX_NAMES_IN_PROMPT = 200
TOPIC = re.compile(r"^[\w\s\-.']{0,120}$", re.UNICODE)


class PlanRejected(FlowragError):
    """The model's plan is not a query we can run; str() says why, for the notice and the log."""


def plan_messages(question: str, *, vocabulary: dict[str, dict[str, str]], now: datetime, tz: ZoneInfo,
                  ) -> list[dict]:
    techs = sorted(vocabulary.get("tech", {}).values())[:MAX_NAMES_IN_PROMPT]
    pipes = sorted(vocabulary.get("pipeline", {}).values())[:MAX_NAMES_IN_PROMPT]
    local = now.astimezone(tz)
    schema = {
        "measure": list(MEASURES), "rate_of": ["failed", "success"],
        "window": {"start": "ISO 8601 with offset", "end": "ISO 8601 with offset (exclusive)"},
        "techs": "list of known technologies", "exclude_techs": "list", "pipelines": "list of known pipelines",
        "exclude_pipelines": "list", "statuses": list(STATUSES), "topic": "words a message must contain, or ''",
        "group_by": [*GROUPS, None], "compare": "a second window or null", "limit": f"1..{MAX_LIMIT}",
        "streak_min": "int", "silent_kind": ["pipeline", "tech"],
    }
    system = (
        "You translate questions about data-pipeline runs into a JSON query. Reply with one JSON object and "
        "nothing else. Use only the names listed; omit what the question does not say; windows are half-open "
        f"and in the user's timezone {tz.key}. Now is {local.isoformat(timespec='minutes')} "
        f"({local:%A}).\nSchema: {json.dumps(schema)}\nKnown technologies: {json.dumps(techs)}\n"
        f"Known pipelines: {json.dumps(pipes)}")
    return [{"role": "system", "content": system}, {"role": "user", "content": question[:2000]}]


def plan(chat, question: str, *, vocabulary: dict[str, dict[str, str]], now: datetime, tz: ZoneInfo) -> Query:
    try:
        reply = chat.complete(plan_messages(question, vocabulary=vocabulary, now=now, tz=tz))
    except LLMUnavailable as e:
        raise PlanRejected(f"no answer: {e}") from None
    return validate(parse_plan(reply), vocabulary=vocabulary, now=now)


def parse_plan(reply: str) -> dict:
    text = (reply or "").strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise PlanRejected("not a JSON object")
    try:
        data = json.loads(text[start:end + 1])
    except json.JSONDecodeError:
        raise PlanRejected("not valid JSON") from None
    if not isinstance(data, dict):
        raise PlanRejected("not a JSON object")
    return data


def validate(data: dict, *, vocabulary: dict[str, dict[str, str]], now: datetime) -> Query:
    """Everything a plan says is checked against what we know; the first problem rejects it."""
    # `message` comes from the thread, `topic_messages` from reading the topic, (the message a why-answer led with), never from a plan
    unknown_keys = set(data) - (set(Query.__dataclass_fields__) - {"message", "message_text", "topic_messages"})
    if unknown_keys:
        raise PlanRejected(f"unknown fields {sorted(unknown_keys)}")
    try:
        q = Query.from_json({k: v for k, v in data.items() if v is not None})
    except (TypeError, ValueError, KeyError) as e:
        raise PlanRejected(f"malformed: {e}") from None
    if q.measure not in MEASURES:
        raise PlanRejected(f"unknown measure {q.measure!r}")
    if q.rate_of not in ("failed", "success"):
        raise PlanRejected(f"unknown rate {q.rate_of!r}")
    if q.group_by is not None and q.group_by not in GROUPS:
        raise PlanRejected(f"unknown grouping {q.group_by!r}")
    if q.silent_kind not in ("pipeline", "tech"):
        raise PlanRejected("silent_kind must be pipeline or tech")
    for st in (*q.statuses, *q.exclude_statuses):
        if st not in STATUSES:
            raise PlanRejected(f"unknown status {st!r}")
    if not isinstance(q.limit, int) or not 1 <= q.limit <= MAX_LIMIT:
        raise PlanRejected(f"limit must be 1..{MAX_LIMIT}")
    if not isinstance(q.streak_min, int) or not 1 <= q.streak_min <= 100:
        raise PlanRejected("streak_min must be 1..100")
    if not isinstance(q.topic, str) or not TOPIC.match(q.topic):
        raise PlanRejected("topic must be plain words")
    names = {}
    for kind, fields in (("tech", ("techs", "exclude_techs")), ("pipeline", ("pipelines", "exclude_pipelines"))):
        known = {key_of(k): v for k, v in vocabulary.get(kind, {}).items()}
        for f in fields:
            out = []
            for n in getattr(q, f):
                if key_of(n) not in known:
                    raise PlanRejected(f"unknown {kind} {n[:60]!r}")
                out.append(known[key_of(n)])
            names[f] = tuple(out)
    for w in (q.window, q.compare):
        _check_window(w, now)
    return q.with_(**names, topic=q.topic.strip())


def _check_window(w: Window | None, now: datetime) -> None:
    if w is None:
        return
    if w.start >= w.end:
        raise PlanRejected("a window must start before it ends")
    if w.end - w.start > timedelta(days=MAX_WINDOW_DAYS):
        raise PlanRejected(f"a window of more than {MAX_WINDOW_DAYS} days")
    if w.start > now + timedelta(days=1) or w.end < now - timedelta(days=3 * 365):
        raise PlanRejected("a window outside the data's time")
