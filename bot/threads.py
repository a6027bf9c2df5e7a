"""What the bot remembers of a thread lives in the thread: each answer carries Slack message
metadata with the engine's follow-up context. A restarted bot, or another of its processes,
reads it back with conversations.replies."""
from __future__ import annotations

import json
from dataclasses import dataclass

EVENT_TYPE = "flowrag_answer"


def answer_metadata(question_ts: str, context: dict | None = None, answer_id: str = "") -> dict:
    payload = {"q_ts": question_ts, "answer_id": answer_id}
    if context is not None:
        payload["context"] = json.dumps(context, ensure_ascii=False)  # a string: Slack keeps it as is
    return {"event_type": EVENT_TYPE, "event_payload": payload}


@dataclass(frozen=True)
class ThreadState:
    is_bot_thread: bool  # the bot has answered in this thread
    context: dict | None  # the latest answer's context
    answered: frozenset[str]  # question timestamps already taken by some bot process


def read_thread(client, channel: str, thread_ts: str, max_pages: int = 5) -> ThreadState:
    messages, cursor = [], None
    for _ in range(max_pages):  # bounded: a thread of thousands of replies is not our context anyway
        resp = client.conversations_replies(channel=channel, ts=thread_ts, include_all_metadata=True,
                                            limit=200, cursor=cursor)
        messages += resp.get("messages") or []
        cursor = (resp.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    context, answered, ours = None, set(), False
    for m in messages:
        meta = m.get("metadata") or {}
        if meta.get("event_type") != EVENT_TYPE:
            continue
        ours = True
        payload = meta.get("event_payload") or {}
        if payload.get("q_ts"):
            answered.add(payload["q_ts"])
        if payload.get("context"):
            try:
                context = json.loads(payload["context"])
            except (TypeError, ValueError):
                pass  # a damaged context means a fresh question, not a failure
    return ThreadState(is_bot_thread=ours, context=context, answered=frozenset(answered))
