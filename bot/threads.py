"""What the bot remembers of a thread lives in the thread: each answer carries Slack message
metadata with the engine's follow-up context. A restarted bot, or another of its processes,
reads it back with conversations.replies.

The same metadata is how processes agree on who answers: the placeholder a process posts before
answering already carries the question's ts (a *claim*), and the earliest claim wins."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass

log = logging.getLogger("flowrag.bot")

EVENT_TYPE = "flowrag_answer"
PAGE = 1000  # Slack's cap for conversations.replies: the fewest calls (each one counts against Tier 3)
MAX_PAGES = 20  # 20,000 replies: far past any real thread, and a bound on the calls


def answer_metadata(question_ts: str, context: dict | None = None, answer_id: str = "") -> dict:
    payload = {"q_ts": question_ts, "answer_id": answer_id}
    if context is not None:
        payload["context"] = json.dumps(context, ensure_ascii=False)  # a string: Slack keeps it as is
    return {"event_type": EVENT_TYPE, "event_payload": payload}


@dataclass(frozen=True)
class ThreadState:
    is_bot_thread: bool  # the bot has answered (or is answering) in this thread
    context: dict | None  # the newest answer's context
    answered: frozenset[str]  # question timestamps already taken by some bot process


EMPTY = ThreadState(is_bot_thread=False, context=None, answered=frozenset())


def ts_key(ts: str) -> tuple[int, int]:
    """Slack timestamps ordered exactly ("1700000000.000100"): floats lose the last digits."""
    sec, _, frac = (ts or "0").partition(".")
    return int(sec or 0), int((frac + "000000")[:6])


def _payload(message: dict) -> dict | None:
    meta = message.get("metadata") or {}
    if meta.get("event_type") != EVENT_TYPE:
        return None
    return meta.get("event_payload") or {}


def _pages(client, channel: str, thread_ts: str, max_pages: int, **window):
    """conversations.replies page by page, oldest first, as Slack serves it."""
    cursor = None
    for _ in range(max_pages):
        resp = client.conversations_replies(channel=channel, ts=thread_ts, include_all_metadata=True,
                                            limit=PAGE, cursor=cursor, **window)
        yield resp.get("messages") or []
        cursor = (resp.get("response_metadata") or {}).get("next_cursor")
        if not cursor or not resp.get("has_more", True):
            return
    log.warning("thread %s/%s has more than %d pages of replies; read the first ones only",
                channel, thread_ts, max_pages)


def read_thread(client, channel: str, thread_ts: str, max_pages: int = MAX_PAGES, *,
                bot_user_id: str = "") -> ThreadState:
    """The whole thread, page by page: Slack serves replies oldest first, so the newest answer (the
    context a follow-up continues) is on the last page. Only that newest context is kept. A message
    of `bot_user_id` makes it a bot thread too: a first answer still streaming has no metadata yet."""
    newest: tuple[tuple[int, int], str] | None = None
    answered, ours = set(), False
    for page in _pages(client, channel, thread_ts, max_pages):
        for m in page:
            ours = ours or bool(bot_user_id) and m.get("user") == bot_user_id
            payload = _payload(m)
            if payload is None:
                continue
            ours = True
            if payload.get("q_ts"):
                answered.add(payload["q_ts"])
            if payload.get("context"):
                key = ts_key(m.get("ts", ""))
                if newest is None or key > newest[0]:
                    newest = (key, payload["context"])
    context = None
    if newest is not None:
        try:
            context = json.loads(newest[1])
        except (TypeError, ValueError):
            pass  # a damaged context means a fresh question, not a failure
    return ThreadState(is_bot_thread=ours, context=context if isinstance(context, dict) else None,
                       answered=frozenset(answered))


def first_claim(client, channel: str, thread_ts: str, question_ts: str, max_pages: int = MAX_PAGES, *,
                bot_user_id: str = "", not_claims: frozenset[str] = frozenset()) -> str | None:
    """The ts of the earliest bot message that claims `question_ts`, or None. Claims come after the
    question, so only the replies after it are read (the parent comes along: Slack always sends it).

    With `bot_user_id`, a bot message without metadata counts as well: a streamed answer takes its
    metadata only when it stops, so until then it cannot say which question it answers. The bot's
    other messages in threads all carry metadata; `not_claims` are streams this process knows to be
    answering other questions."""
    claims = []
    for page in _pages(client, channel, thread_ts, max_pages, oldest=question_ts):
        for m in page:
            if _claims(m, question_ts, bot_user_id) and m["ts"] not in not_claims:
                claims.append(m["ts"])
    return min(claims, key=ts_key) if claims else None


def _claims(m: dict, question_ts: str, bot_user_id: str) -> bool:
    if not m.get("ts"):
        return False
    if m.get("metadata"):
        return (_payload(m) or {}).get("q_ts") == question_ts
    return bool(bot_user_id) and m.get("user") == bot_user_id and not m.get("subtype") and \
        ts_key(m["ts"]) > ts_key(question_ts)
