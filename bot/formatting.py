"""Pure text helpers for Slack mrkdwn: escaping, code spans, times, splitting.

Every string that did not come from us (log snippets, pipeline/tech names, model output, echoes of
the question) goes through ``escape`` before it reaches a payload. Slack only interprets control
sequences written inside ``<…>`` (``<!channel>``, ``<!here>``, ``<!subteam^…>``, ``<@U123>``,
``<https://…|label>``), so escaping ``&``, ``<`` and ``>`` is what keeps a log line or a model
answer from pinging a channel or smuggling a link.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

ELLIPSIS = "…"
NO_MESSAGE = "(no message)"

# Entities that escape() produces, plus numeric ones someone may have written: a split or a cut
# must never land inside one, or Slack shows a broken "&am" and the next piece starts with "p;".
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_ENTITY_MAX = 10  # longest possible match of _ENTITY, in chars
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def escape(text: str) -> str:
    """Slack mrkdwn escaping. ``&`` first, or the other two entities would be escaped twice."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def one_line(text: str) -> str:
    """Collapse every run of whitespace (newlines included) into one space."""
    return " ".join(text.split())


def truncate(text: str, limit: int) -> str:
    """Cut raw (not yet escaped) text to ``limit`` chars, the last one being "…" when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def code_span(text: str, limit: int = 300, empty: str = NO_MESSAGE) -> str:
    """One-line inline code of untrusted text. ``limit`` counts visible chars (before escaping).

    Backticks become "ʼ" so the snippet cannot close the span early and turn the rest of the
    line into live mrkdwn."""
    flat = one_line(text or "")
    if not flat:
        return empty
    return "`" + escape(truncate(flat, limit)).replace("`", "ʼ") + "`"


def _as_datetime(dt: datetime | str) -> datetime:
    if isinstance(dt, str):  # the store keeps "last_ingest" as an ISO string
        dt = datetime.fromisoformat(dt)
    # the engine is UTC throughout; a naive value can only be UTC that lost its tzinfo
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def fmt_time(dt: datetime | str | None, tz: ZoneInfo) -> str:
    """``2026-11-23 14:05 CET`` in ``tz``; "—" for a missing time."""
    if dt is None or dt == "":
        return "—"
    try:
        local = _as_datetime(dt).astimezone(tz)
    except ValueError:  # an unparsable stored string: show nothing rather than fail the message
        return "—"
    zone = local.strftime("%Z")  # "CET", "UTC"; zones without a name give "+03", still short
    return local.strftime("%Y-%m-%d %H:%M") + (f" {zone}" if zone else "")


def safe_cut(text: str, cut: int) -> int:
    """Move ``cut`` left so that it does not fall inside an entity such as ``&amp;``."""
    start = max(cut - _ENTITY_MAX + 1, 0)
    amp = text.rfind("&", start, cut)
    if amp != -1:
        m = _ENTITY.match(text, amp)
        if m and m.end() > cut:
            return amp
    return cut


def clip(mrkdwn: str, limit: int) -> str:
    """Cut already-escaped mrkdwn to ``limit`` chars (with "…"), never inside an entity."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    cut = safe_cut(mrkdwn, max(limit - 1, 0))
    return mrkdwn[:cut] + ELLIPSIS


def split_text(text: str, limit: int = 3000) -> list[str]:
    """Split mrkdwn into pieces of at most ``limit`` chars.

    Prefers a paragraph break, then a line break, then a space, and only cuts a word when there
    is none in the second half of the window (a tiny first piece would waste a block)."""
    if limit < _ENTITY_MAX + 1:
        raise ValueError("limit too small to keep entities whole")
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]  # a separator right at `limit` still lets the piece fill up
        cut = -1
        for sep in ("\n\n", "\n", " "):
            at = window.rfind(sep)
            if at >= limit // 2:
                cut = at
                break
        if cut == -1:
            cut = safe_cut(rest, limit)
        piece = rest[:cut].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[cut:].lstrip()
    if rest.strip():
        pieces.append(rest.rstrip())
    return pieces


def answer_mrkdwn(answer) -> str:
    """An answer's text (an ``Answer`` or a plain string) as Slack mrkdwn.

    Escaped like any model output; citation refs such as ``[1]`` contain nothing to escape and
    stay as they are. Markdown ``**bold**`` and ``# headings`` become Slack's ``*bold*``."""
    text = answer if isinstance(answer, str) else answer.text
    out = escape(text or "")
    out = _HEADING.sub(r"**\1**", out)
    return _BOLD.sub(r"*\1*", out)
