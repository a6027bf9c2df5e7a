"""An answer that appears while it is written, and the "thinking" status that comes before it.

Slack shows `assistant.threads.setStatus` under the thread ("flowrag is reading the runs…", with
loading messages it rotates) until the app replies, or for two minutes. The answer then streams in
(chat.startStream / appendStream / stopStream, through the SDK's `chat_stream`), and the stop adds
the citations, the feedback buttons and the metadata. Where Slack refuses a stream (a workspace or
a channel type without them, a missing scope, an older Slack) the answer goes into one message
edited about once a second instead.

Model text is untrusted and a stream is append-only: every chunk is escaped, and only text that
more deltas can no longer change is sent. So an invented citation the engine drops a moment later,
or a `<!chan` that the next delta completes, never reaches Slack as such."""
from __future__ import annotations

import logging
import re
import threading
import time
from typing import Callable

from slack_sdk.errors import SlackApiError

from . import blocks
from .formatting import escape, safe_cut
from .requests import Question
from .strings import words
from .threads import answer_metadata

log = logging.getLogger("flowrag.bot")

APPEND_EVERY_S = 1.0  # chat.appendStream is Tier 4 (100+ a minute): once a second leaves room for others
EDIT_EVERY_S = 1.0  # Slack allows about one chat.update per second per message
MARKDOWN_LIMIT = 12_000  # markdown_text per call
STATUS_REFRESH_S = 100.0  # Slack drops the status after 2 minutes without a reply

# What clean_citations may still change at the end of a partial answer: a run of citation groups,
# the last one possibly unfinished ("[1][", "[2, 1"), with the spaces before it. Trailing newlines
# too: the final answer is stripped.
_UNSETTLED = re.compile(r"\s*(?:\[\s*\d+(?:\s*,\s*\d+)*\s*\])*(?:\[[\d\s,]*)?\Z")
_UNSETTLED_WINDOW = 400  # a longer unsettled end is held back whole from here, which is safe
# The stream is markdown: "[label](url)" and "[1]: url" would make links of model text
_LINK = re.compile(r"\]([(:])")
_NO_LINK = "\u200b"  # zero-width space: visible text unchanged, no link syntax


class Withdrawn(Exception):
    """Another process answers this question: this one stops, whatever it was doing."""


def settled(text: str) -> str:
    """The start of a partial answer that later deltas cannot change."""
    m = _UNSETTLED.search(text, max(len(text) - _UNSETTLED_WINDOW, 0))
    return text[:m.start()]


def markdown_safe(raw: str, after: str = "") -> str:
    """`raw` as it may go into a stream that already shows `after`: &, < and > escaped as in
    mrkdwn (no mention, no <url|label>), and no markdown link, across chunk boundaries too."""
    out = _LINK.sub("]" + _NO_LINK + r"\1", escape(raw))
    if out and after.endswith("]") and out[0] in "(:":
        out = _NO_LINK + out
    return out


def pieces(chunk: str, limit: int = MARKDOWN_LIMIT) -> list[str]:
    """`chunk` in parts Slack takes in one call, never cut inside an entity such as &lt;."""
    out = []
    while len(chunk) > limit:
        cut = safe_cut(chunk, limit)
        out.append(chunk[:cut])
        chunk = chunk[cut:]
    return out + [chunk] if chunk else out


class SafeChunks:
    """The engine's partial answers (each the whole text so far, citations already checked) turned
    into the chunks to append, each one settled and made safe."""

    def __init__(self):
        self.sent = ""  # raw text handed out so far

    def next(self, partial: str) -> str:
        text = settled(partial.lstrip())
        if len(text) <= len(self.sent) or not text.startswith(self.sent):
            return ""  # nothing new that is settled (a disagreeing partial waits for the final text)
        return self._take(text[len(self.sent):])

    def rest(self, final: str) -> str | None:
        """What the final answer adds to what was sent; None when it does not continue it (the
        model failed half way and the engine answered without it)."""
        if not final.startswith(self.sent):
            return None
        return self._take(final[len(self.sent):])

    def _take(self, raw: str) -> str:
        chunk = markdown_safe(raw, self.sent)
        self.sent += raw
        return chunk


class Thinking:
    """The status under the thread while an answer is worked on, in the asker's language, set again
    before Slack's two minutes run out. Slack clears it when the app replies in the thread."""

    def __init__(self, client, channel: str, thread_ts: str, language: str):
        self.client, self.channel, self.thread_ts = client, channel, thread_ts
        self.t = words(language)
        self._done = threading.Event()
        self._lock = threading.Lock()  # a refresh must not land after the clear
        self._replied = False

    def start(self) -> bool:
        """False when Slack refuses it: then the caller shows a placeholder instead."""
        try:
            self._set(self.t["assistant_status"], list(self.t["loading_messages"]))
        except Exception as e:  # noqa: BLE001 — no status is no reason to fail the answer
            log.info("no thinking status in %s/%s: %s", self.channel, self.thread_ts, _error(e))
            return False
        threading.Thread(target=self._refresh, name="flowrag-status", daemon=True).start()
        return True

    def quiet(self) -> None:
        """Before the first reply: no refresh may be on its way, or it would land after the
        reply and show the status again under an answer already being written."""
        with self._lock:
            self._done.set()

    def replied(self) -> None:
        self._replied = True
        self._done.set()

    def close(self) -> None:
        """Clears the status if no reply did (a withdrawn claim still was a reply)."""
        with self._lock:
            self._done.set()
            if self._replied:
                return
            try:
                self._set("", None)
            except Exception as e:  # noqa: BLE001 — it goes away by itself within two minutes
                log.info("status not cleared: %s", _error(e))

    def _refresh(self) -> None:
        while not self._done.wait(STATUS_REFRESH_S):
            with self._lock:
                if self._done.is_set():
                    return
                try:
                    self._set(self.t["assistant_status"], list(self.t["loading_messages"]))
                except Exception as e:  # noqa: BLE001 — the next try may do
                    log.warning("thinking status not refreshed: %s", _error(e))

    def _set(self, status: str, loading_messages: list[str] | None) -> None:
        self.client.assistant_threads_setStatus(channel_id=self.channel, thread_ts=self.thread_ts, status=status,
                                               loading_messages=loading_messages)


class OwnStreams:
    """Streams this process is writing, by ts, with the question each answers: a stream has no
    metadata yet, so only its writer knows which question it belongs to."""

    def __init__(self):
        self._q: dict[str, str] = {}
        self._lock = threading.Lock()

    def add(self, ts: str, question_ts: str) -> None:
        with self._lock:
            self._q[ts] = question_ts

    def discard(self, ts: str | None) -> None:
        with self._lock:
            self._q.pop(ts, None)

    def answering_others(self, question_ts: str) -> frozenset[str]:
        with self._lock:
            return frozenset(ts for ts, q in self._q.items() if q != question_ts)


def send_answer(send: Callable[[dict], object], msg: dict):
    """send(msg); where Slack refuses a block (the table), the same message with it as text."""
    try:
        return send(msg)
    except SlackApiError as e:
        if e.response.get("error") != "invalid_blocks":
            raise
        log.warning("invalid_blocks: re-sent without tables")
        return send(blocks.without_tables(msg))


def withdraw(client, q: Question, ts: str, language: str, stream=None) -> None:
    """Take back a claim that lost. Never raises: the question has its answer from the other process."""
    try:
        client.chat_delete(channel=q.channel, ts=ts)
        return
    except Exception as e:  # noqa: BLE001 — cannot delete: at least do not look like work in progress
        log.warning("could not withdraw %s: %s", ts, _error(e))
    withdrawn = blocks.withdrawn_message(language)
    try:
        if stream is not None:
            stream.stop(blocks=withdrawn["blocks"], metadata=answer_metadata(q.ts))
        else:
            client.chat_update(channel=q.channel, ts=ts, metadata=answer_metadata(q.ts), **withdrawn)
    except Exception as e:  # noqa: BLE001
        log.warning("could not mark %s as withdrawn: %s", ts, _error(e))


class LiveAnswer:
    """The message an answer is written into when no placeholder came first: nothing until there is
    text, then a stream (a message edited about once a second where Slack refuses streams), or the
    whole answer at once when nothing streamed. That first message is the claim: `won(ts)` says
    whether it is the earliest in the thread; when it is not, it is withdrawn and Withdrawn raised."""

    def __init__(self, client, q: Question, *, team: str, language: str, won: Callable[[str], bool],
                 thinking: Thinking, own: OwnStreams):
        self.client, self.q, self.team, self.language = client, q, team, language
        self._won, self.thinking, self.own = won, thinking, own
        self.ts: str | None = None
        self.stream = None  # the SDK's ChatStream while the answer streams
        self.appending = True  # False once an append failed: the stop sends what is left
        self.chunks = SafeChunks()
        self._last = float("-inf")

    # --- while the engine writes -------------------------------------------------
    def delta(self, partial: str) -> None:
        if self.ts is not None and time.monotonic() - self._last < (APPEND_EVERY_S if self.stream else EDIT_EVERY_S):
            return  # the next delta carries this one's text too
        if self.ts is None:
            self._open(partial)
        elif self.stream is not None:
            self._append(partial)
        else:
            self._edit(partial)

    def _open(self, partial: str) -> None:
        chunk = self.chunks.next(partial)
        if not chunk:
            return
        self._last = time.monotonic()
        self.thinking.quiet()
        stream = self.client.chat_stream(channel=self.q.channel, thread_ts=self.q.thread_ts, buffer_size=1,
                                         recipient_user_id=self.q.user, recipient_team_id=self.team)
        try:
            stream.append(markdown_text=pieces(chunk)[0])  # the first append starts the stream
        except SlackApiError as e:
            log.info("no stream for q_ts=%s (%s): one message edited instead", self.q.ts, _error(e))
            self.chunks = SafeChunks()
            resp = self.client.chat_postMessage(channel=self.q.channel, thread_ts=self.q.thread_ts,
                                                metadata=answer_metadata(self.q.ts),
                                                **blocks.streaming_message(partial))
            self._claimed(resp["ts"])
            return
        self.stream = stream
        self.own.add(stream.ts, self.q.ts)
        self._claimed(stream.ts)
        self._send(pieces(chunk)[1:])

    def _append(self, partial: str) -> None:
        if self.appending and (chunk := self.chunks.next(partial)):
            self._last = time.monotonic()
            self._send(pieces(chunk))

    def _send(self, parts: list[str]) -> None:
        try:
            for part in parts:
                self.stream.append(markdown_text=part)
        except SlackApiError as e:
            # what failed stays in the SDK's buffer and goes with the stop, if the stream still takes it
            log.warning("stream append failed for q_ts=%s: %s", self.q.ts, _error(e))
            self.appending = False

    def _edit(self, partial: str) -> None:
        self._last = time.monotonic()
        try:
            self.client.chat_update(channel=self.q.channel, ts=self.ts, **blocks.streaming_message(partial))
        except SlackApiError as e:  # a lost progress update is not worth failing the answer
            log.warning("stream update failed: %s", _error(e))

    def _claimed(self, ts: str) -> None:
        self.ts = ts
        self.thinking.replied()
        try:
            won = self._won(ts)
        except Exception as e:  # noqa: BLE001 — unsure who came first: an answer too many beats an apology
            log.warning("claim %s of q_ts=%s not checked: %s", ts, self.q.ts, _error(e))
            won = True
        if not won:
            withdraw(self.client, self.q, ts, self.language, self.stream)
            self.stream = None
            raise Withdrawn(ts)

    # --- the answer is there ----------------------------------------------------------
    def finish(self, answer, *, tz, question: str) -> list[dict]:
        """Shows the whole answer; returns the messages that did not fit in this one."""
        meta = answer_metadata(self.q.ts, answer.context, answer.id)
        if self.ts is None:
            messages = blocks.answer_messages(answer, tz=tz, question=question)
            self.thinking.quiet()
            resp = send_answer(lambda m: self.client.chat_postMessage(
                channel=self.q.channel, thread_ts=self.q.thread_ts, metadata=meta, **m), messages[0])
            self._claimed(resp["ts"])
            return messages[1:]
        if self.stream is not None:
            rest = self.chunks.rest(answer.text)
            if rest is not None:
                try:
                    return self._stop(rest, answer, meta, tz, question)
                except SlackApiError as e:
                    log.warning("stream of q_ts=%s not stopped (%s): the answer replaces it", self.q.ts, _error(e))
            else:
                self._stop_quietly(answer_metadata(self.q.ts))  # the claim still; the update completes it
        return self._replace(blocks.answer_messages(answer, tz=tz, question=question), meta)

    def _stop(self, rest: str, answer, meta: dict, tz, question: str) -> list[dict]:
        self._send(pieces(rest))
        tail = blocks.answer_messages(answer, tz=tz, question=question, with_text=False)
        send_answer(lambda m: self.stream.stop(blocks=m["blocks"], metadata=meta), tail[0])
        self._closed()
        return tail[1:]

    def _stop_quietly(self, meta: dict) -> None:
        try:
            self.stream.stop(metadata=meta)
        except Exception as e:  # noqa: BLE001 — the update that follows is what counts
            log.info("stream of q_ts=%s not stopped: %s", self.q.ts, _error(e))
        self._closed()

    def _replace(self, messages: list[dict], meta: dict) -> list[dict]:
        def update(m):
            return self.client.chat_update(channel=self.q.channel, ts=self.ts, metadata=meta, **m)

        try:
            send_answer(update, messages[0])
        except SlackApiError as e:
            if e.response.get("error") != "message_not_found":
                raise
            # someone deleted the message being written: the answer comes as a new one
            send_answer(lambda m: self.client.chat_postMessage(
                channel=self.q.channel, thread_ts=self.q.thread_ts, metadata=meta, **m), messages[0])
        return messages[1:]

    def release(self) -> str | None:
        """After a failure: the message this answer owns, no longer streaming, for the apology."""
        if self.stream is not None:
            self._stop_quietly(answer_metadata(self.q.ts))
        return self.ts

    def _closed(self) -> None:
        self.own.discard(self.ts)
        self.stream = None

    def close(self) -> None:
        self.own.discard(self.ts)


def _error(e: Exception) -> str:
    if isinstance(e, SlackApiError):
        return str(e.response.get("error"))
    return f"{type(e).__name__}: {e}"
