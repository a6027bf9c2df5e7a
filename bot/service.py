"""What the bot does once a request is parsed: answer a question in its thread, run an ingest
with a progress message. Listeners call these after they have acknowledged Slack."""
from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict

from slack_sdk.errors import SlackApiError

from core.engine import Engine
from core.errors import FlowragError, IngestRunning

from . import blocks
from .requests import Command, Question
from .threads import answer_metadata, read_thread

log = logging.getLogger("flowrag.bot")

CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action", "missing_scope"}
UPDATE_EVERY_S = 1.0  # Slack allows about one chat.update per second per message


class _Seen:
    """Questions this process has taken, so that a retry arriving while we still work on the
    first delivery is dropped. Across processes and restarts the thread metadata does the same."""

    def __init__(self, size: int = 2000):
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def take(self, key: str) -> bool:
        with self._lock:
            if key in self._keys:
                return False
            self._keys[key] = None
            if len(self._keys) > self._size:
                self._keys.popitem(last=False)
            return True


class BotService:
    def __init__(self, engine: Engine, admins: frozenset[str] = frozenset()):
        self.engine = engine
        self.admins = admins
        self._seen = _Seen()
        self._ingest_lock = threading.Lock()

    # --- questions -------------------------------------------------------------
    def answer(self, client, q: Question) -> None:
        if not self._seen.take(f"{q.channel}:{q.ts}"):
            return
        thread = read_thread(client, q.channel, q.thread_ts)
        if q.follow_up and not thread.is_bot_thread:
            return  # people talking among themselves in a thread the bot never answered
        if q.ts in thread.answered:
            return  # another process (or our previous life) already took this one
        lang = self.engine.language_of(q.text, (thread.context or {}).get("language", "en"))
        _react(client, "add", q.channel, q.ts)
        placeholder_ts = None
        try:
            placeholder = blocks.placeholder_message(lang)
            resp = client.chat_postMessage(channel=q.channel, thread_ts=q.thread_ts,
                                           metadata=answer_metadata(q.ts), **placeholder)
            placeholder_ts = resp["ts"]
            self._answer_into(client, q, placeholder_ts, thread.context)
        except Exception as e:  # noqa: BLE001 — any failure must reach the user as an apology
            self._apologize(client, q.channel, q.thread_ts, placeholder_ts, e, lang, q.ts)
        finally:
            _react(client, "remove", q.channel, q.ts)

    def _answer_into(self, client, q: Question, message_ts: str, context: dict | None) -> None:
        @throttled
        def on_delta(partial: str) -> None:
            try:
                client.chat_update(channel=q.channel, ts=message_ts, **blocks.streaming_message(partial))
            except SlackApiError as e:  # a lost progress update is not worth failing the answer
                log.warning("stream update failed: %s", e.response.get("error"))

        answer = self.engine.ask(q.text, context=context, on_delta=on_delta if self.engine.chat else None)
        messages = blocks.answer_messages(answer, tz=self.engine.tz, question=q.text)
        client.chat_update(channel=q.channel, ts=message_ts,
                           metadata=answer_metadata(q.ts, answer.context, answer.id), **messages[0])
        for extra in messages[1:]:
            client.chat_postMessage(channel=q.channel, thread_ts=q.thread_ts, **extra)
        log.info("answered q_ts=%s answer=%s mode=%s facts_total=%s ms=%s", q.ts, answer.id, answer.mode,
                 answer.facts.get("total"), answer.timings_ms.get("total"))

    def _apologize(self, client, channel, thread_ts, placeholder_ts, err: Exception, lang: str, q_ts: str) -> None:
        error_id, msg = failure_message(err, lang, f"answering {q_ts}")
        try:
            if placeholder_ts:
                client.chat_update(channel=channel, ts=placeholder_ts, metadata=answer_metadata(q_ts), **msg)
            else:
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, metadata=answer_metadata(q_ts), **msg)
        except SlackApiError:
            log.exception("error %s: could not even apologize", error_id)

    # --- /flowrag <question> -----------------------------------------------------
    def ask_command(self, client, respond, cmd: Command) -> None:
        """The question goes in the channel as a message, the answer in its thread, so the
        conversation can go on there. Where the bot may not post, the answer comes ephemerally."""
        lang = self.engine.language_of(cmd.text)
        try:
            parent = client.chat_postMessage(channel=cmd.channel, **blocks.question_echo_message(cmd.user, cmd.text))
        except SlackApiError as e:
            if e.response.get("error") not in CANNOT_POST:
                raise
            self._answer_ephemeral(respond, cmd, lang)
            return
        self.answer(client, Question(channel=cmd.channel, user=cmd.user, text=cmd.text, ts=parent["ts"],
                                     thread_ts=parent["ts"]))

    def _answer_ephemeral(self, respond, cmd: Command, lang: str) -> None:
        try:
            answer = self.engine.ask(cmd.text)
            for msg in blocks.answer_messages(answer, tz=self.engine.tz, question=cmd.text):
                respond(response_type="ephemeral", **msg)
        except Exception as e:  # noqa: BLE001 — any failure must reach the user as an apology
            respond(response_type="ephemeral", **failure_message(e, lang, "an ephemeral answer")[1])

    # --- /flowrag ingest ---------------------------------------------------------
    def may_ingest(self, user: str) -> bool:
        return not self.admins or user in self.admins

    def start_ingest(self, client, respond, cmd: Command) -> bool:
        """False when one is already running in this process; the caller says so politely."""
        if not self._ingest_lock.acquire(blocking=False):
            return False
        threading.Thread(target=self._ingest, args=(client, respond, cmd), name="flowrag-ingest", daemon=True).start()
        return True

    def _ingest(self, client, respond, cmd: Command) -> None:
        try:
            post = _ProgressMessage(client, respond, cmd.channel)
            post.show(blocks.ingest_started_message(cmd.full))
            progress = throttled(lambda p: post.show(blocks.ingest_progress_message(p)))

            try:
                summary = self.engine.ingest(full=cmd.full, progress=progress)
                post.show(blocks.ingest_done_message(summary), final=True)
            except IngestRunning:
                post.show(blocks.ingest_busy_message(), final=True)
            except Exception as e:  # noqa: BLE001
                post.show(failure_message(e, "en", "an ingest")[1], final=True)
        finally:
            self._ingest_lock.release()


class _ProgressMessage:
    """One message that is posted once, then updated; ephemeral through response_url where the
    bot cannot post in the channel."""

    def __init__(self, client, respond, channel: str):
        self.client, self.respond, self.channel = client, respond, channel
        self.ts = None
        self.ephemeral = False

    def show(self, msg: dict, final: bool = False) -> None:
        try:
            if self.ephemeral:
                self.respond(response_type="ephemeral", replace_original=True, **msg)
            elif self.ts is None:
                self.ts = self.client.chat_postMessage(channel=self.channel, **msg)["ts"]
            else:
                self.client.chat_update(channel=self.channel, ts=self.ts, **msg)
        except SlackApiError as e:
            if e.response.get("error") in CANNOT_POST and not self.ephemeral:
                self.ephemeral = True
                self.respond(response_type="ephemeral", **msg)
            elif final:
                raise
            else:
                log.warning("progress update failed: %s", e.response.get("error"))


def failure_message(err: Exception, lang: str, during: str) -> tuple[str, dict]:
    """An error id, logged with the cause, and the apology that shows it. Our own errors carry a
    message for the user (a setting to fix, an empty index); anything else is a bug: a traceback."""
    error_id = uuid.uuid4().hex[:8]
    if isinstance(err, FlowragError):
        log.warning("error %s during %s: %s", error_id, during, err)
        return error_id, blocks.error_message(error_id, lang, str(err))
    log.error("error %s during %s", error_id, during, exc_info=err)
    return error_id, blocks.error_message(error_id, lang, None)


def throttled(fn):
    """Call fn at most once per UPDATE_EVERY_S; calls in between are dropped (the next one carries
    newer state anyway)."""
    last = [0.0]

    def call(*args) -> None:
        now = time.monotonic()
        if now - last[0] >= UPDATE_EVERY_S:
            last[0] = now
            fn(*args)

    return call


def _react(client, op: str, channel: str, ts: str) -> None:
    """👀 while we work. Best effort: a missing reaction scope must not cost the answer."""
    try:
        if op == "add":
            client.reactions_add(channel=channel, timestamp=ts, name="eyes")
        else:
            client.reactions_remove(channel=channel, timestamp=ts, name="eyes")
    except SlackApiError as e:
        log.debug("reactions.%s: %s", op, e.response.get("error"))
