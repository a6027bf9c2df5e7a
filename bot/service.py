"""What the bot does once a request is parsed: answer a question in its thread, run an ingest
with a progress message. Listeners call these after they have acknowledged Slack.

Every path ends in a message: an answer, or an apology with an error id that is in the log."""
from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import contextmanager

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from core.engine import Engine
from core.errors import FlowragError, IngestRunning

from . import blocks
from .requests import Command, Question
from .streaming import LiveAnswer, OwnStreams, Thinking, Withdrawn, send_answer, withdraw
from .strings import words
from .threads import EMPTY, answer_metadata, first_claim, read_thread

log = logging.getLogger("flowrag.bot")

CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action", "missing_scope"}
UPDATE_EVERY_S = 1.0  # Slack allows about one chat.update per second per message
# Slack takes up to 5 posts to a response_url, within 30 minutes of the command; we stop a minute early
RESPONSE_URL_USES = 5
RESPONSE_URL_TTL_S = 29 * 60.0
EPHEMERAL_EVERY_S = 120.0  # progress through a response_url spends one of its 5 posts each time


class Stopping(FlowragError):
    """The process is stopping and this answer did not finish within the drain."""


class _Seen:
    """Questions this process has taken, so that a retry arriving while we still work on the
    first delivery is dropped. Across processes and restarts the claims in the thread do the same."""

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


class ResponseUrl:
    """A command's response_url with Slack's limits kept: at most RESPONSE_URL_USES posts, none
    after RESPONSE_URL_TTL_S. `reserve` keeps posts back for a final word."""

    def __init__(self, respond, issued_at: float | None = None):
        self._respond = respond
        self.issued_at = time.monotonic() if issued_at is None else issued_at
        self.used = 0
        self._lock = threading.Lock()

    def left(self) -> int:
        if time.monotonic() - self.issued_at > RESPONSE_URL_TTL_S:
            return 0
        return max(RESPONSE_URL_USES - self.used, 0)

    def send(self, msg: dict, *, reserve: int = 0, **kwargs) -> bool:
        with self._lock:
            if self._respond is None or self.left() <= reserve:
                return False
            self.used += 1
        try:
            resp = self._respond(**kwargs, **msg)
        except Exception as e:  # noqa: BLE001 — a network failure is one more undelivered post
            log.warning("response_url post failed: %s", e)
            return False
        status = getattr(resp, "status_code", 200)
        if status != 200:
            body = str(getattr(resp, "body", ""))
            log.warning("response_url refused (HTTP %s): %s", status, body[:200])
            if "used_url" in body or "expired_url" in body:
                self.used = RESPONSE_URL_USES  # dead: do not spend time on it again
            return False
        return True


class BotService:
    def __init__(self, engine: Engine, admins: frozenset[str] = frozenset()):
        self.engine = engine
        self.admins = admins
        self._seen = _Seen()
        self._ingest_lock = threading.Lock()
        self._busy = 0
        self._idle = threading.Condition()
        self._own_streams = OwnStreams()
        self._me: dict | None = None  # auth.test: the bot's user id and workspace
        self._inflight: dict[str, Question] = {}  # questions being answered, for the shutdown's apologies

    # --- in-flight work, for a clean stop ------------------------------------------
    @contextmanager
    def working(self):
        with self._idle:
            self._busy += 1
        try:
            yield
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def stop_llm(self) -> None:
        """Make the LLM calls in flight give up: their answers fall back to the deterministic text."""
        cancel = getattr(self.engine.chat, "cancel", None)
        if cancel is not None:
            cancel()

    def apologize_in_flight(self, client, seconds: float) -> int:
        """At the end of the drain: an apology with an error id under each question still being
        answered, all at once and for `seconds` at most (the process exits right after)."""
        with self._idle:
            pending = list(self._inflight.values())
        threads = []
        for q in pending:
            lang = self.engine.language_of(q.text, "en")
            err = Stopping(words(lang)["stopping"])
            t = threading.Thread(target=self._apologize, args=(client, q, None, err, lang), daemon=True,
                                 name="flowrag-apology")
            t.start()
            threads.append(t)
        deadline = time.monotonic() + seconds
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        return len(pending)

    def drain(self, timeout: float) -> bool:
        """Wait until no answer is being worked on (an ingest is not waited for: it resumes)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    # --- questions -------------------------------------------------------------
    def answer(self, client, q: Question) -> None:
        key = f"{q.channel}:{q.ts}"
        if not self._seen.take(key):
            return
        with self.working():
            with self._idle:
                self._inflight[key] = q
            try:
                self._answer(client, q)
            finally:
                with self._idle:
                    self._inflight.pop(key, None)

    def _answer(self, client, q: Question) -> None:
        """Think, claim, answer. The first message in the thread is the claim: it carries the
        question's ts in its metadata (a stream, until it stops, is known by being the bot's), so
        that two processes given the same event both see both claims, and only the one whose claim
        came first answers; the other deletes its own and steps back.

        With the thinking status on, nothing is posted before there is text to show; where Slack
        refuses the status, a placeholder is posted (and is the claim) at once, as before."""
        lang = "en"
        try:
            lang = self.engine.language_of(q.text, "en")
            thread = EMPTY
            if q.thread_ts != q.ts:  # a reply in a thread: its newest answer is the context
                me = self._identity(client).get("user_id", "")
                thread = read_thread(client, q.channel, q.thread_ts, bot_user_id=me)
                if q.follow_up and not thread.is_bot_thread:
                    return  # people talking among themselves in a thread the bot never answered
                if q.ts in thread.answered:
                    return  # another process (or our previous life) already took this one
                lang = self.engine.language_of(q.text, (thread.context or {}).get("language", "en"))
        except Exception as e:  # noqa: BLE001 — any failure must reach the user as an apology
            self._apologize(client, q, None, e, lang)
            return
        thinking = Thinking(_once(client), q.channel, q.thread_ts, lang)
        try:
            if thinking.start():
                self._answer_live(client, q, thinking, thread.context, lang)
            else:
                self._answer_placeholder(client, q, thread.context, lang)
        finally:
            thinking.close()

    def _answer_live(self, client, q: Question, thinking: Thinking, context: dict | None, lang: str) -> None:
        live = LiveAnswer(client, q, team=q.team or self._identity(client).get("team_id", ""), language=lang,
                          won=lambda ts: self._won(client, q, ts), thinking=thinking, own=self._own_streams)
        reacted = _react(client, "add", q.channel, q.ts)
        try:
            answer = self.engine.ask(q.text, context=context, on_delta=live.delta if self.engine.chat else None,
                                     explain=q.explain, channel=q.viewing or q.channel)
            extras = live.finish(answer, tz=answer.tz or self.engine.tz, question=self.engine.redact(q.text))
            self._post_rest(client, q, answer, extras, lang)
        except Withdrawn:
            pass
        except Exception as e:  # noqa: BLE001
            ts = live.release()
            self._apologize(client, q, ts, e, lang, claim=ts is None)
        finally:
            live.close()
            if reacted:
                _react(client, "remove", q.channel, q.ts)

    def _answer_placeholder(self, client, q: Question, context: dict | None, lang: str) -> None:
        placeholder_ts, reacted = None, False
        try:
            resp = client.chat_postMessage(channel=q.channel, thread_ts=q.thread_ts,
                                           metadata=answer_metadata(q.ts), **blocks.placeholder_message(lang))
            placeholder_ts = resp["ts"]
            if not self._won(client, q, placeholder_ts):
                withdraw(client, q, placeholder_ts, lang)
                return
            reacted = _react(client, "add", q.channel, q.ts)
            self._answer_into(client, q, placeholder_ts, context, lang)
        except Exception as e:  # noqa: BLE001
            self._apologize(client, q, placeholder_ts, e, lang)
        finally:
            if reacted:
                _react(client, "remove", q.channel, q.ts)

    def _won(self, client, q: Question, ts: str) -> bool:
        winner = first_claim(client, q.channel, q.thread_ts, q.ts, bot_user_id=self._identity(client).get("user_id"),
                             not_claims=self._own_streams.answering_others(q.ts))
        if winner in (None, ts):
            return True
        log.info("q_ts=%s was claimed first by %s: withdrawing %s", q.ts, winner, ts)
        return False

    def _identity(self, client) -> dict:
        """auth.test, once: who the bot is, to know its own streams in a thread, and its workspace."""
        if self._me is None:
            try:
                resp = client.auth_test()
                self._me = {"user_id": resp.get("user_id") or "", "team_id": resp.get("team_id") or ""}
            except SlackApiError as e:
                log.warning("auth.test failed (%s): streams cannot be told apart in threads", _slack_error(e))
                return {}
        return self._me

    def _answer_into(self, client, q: Question, message_ts: str, context: dict | None, lang: str) -> None:
        @throttled
        def on_delta(partial: str) -> None:
            try:
                client.chat_update(channel=q.channel, ts=message_ts, **blocks.streaming_message(partial))
            except SlackApiError as e:  # a lost progress update is not worth failing the answer
                log.warning("stream update failed: %s", e.response.get("error"))

        # the channel's settings give the defaults; in the assistant panel, those of the channel viewed
        answer = self.engine.ask(q.text, context=context, on_delta=on_delta if self.engine.chat else None,
                                 explain=q.explain, channel=q.viewing or q.channel)
        messages = blocks.answer_messages(answer, tz=answer.tz or self.engine.tz, question=self.engine.redact(q.text))
        meta = answer_metadata(q.ts, answer.context, answer.id)
        send_answer(lambda m: client.chat_update(channel=q.channel, ts=message_ts, metadata=meta, **m), messages[0])
        self._post_rest(client, q, answer, messages[1:], lang)

    def _post_rest(self, client, q: Question, answer, extras: list[dict], lang: str) -> None:
        """The messages of an answer too long for one. Each carries the question's ts, so that no
        bot message in a thread is left without metadata (see threads.first_claim)."""
        for extra in extras:
            try:
                client.chat_postMessage(channel=q.channel, thread_ts=q.thread_ts,
                                        metadata=answer_metadata(q.ts, None, answer.id), **extra)
            except Exception as e:  # noqa: BLE001 — the answer is there; say that its end is missing
                error_id, msg = failure_message(e, answer.language or lang, f"continuing answer {answer.id}")
                try:
                    client.chat_postMessage(channel=q.channel, thread_ts=q.thread_ts,
                                            metadata=answer_metadata(q.ts), **msg)
                except SlackApiError:
                    log.error("error %s: could not even apologize", error_id)
                break
        log.info("answered q_ts=%s answer=%s mode=%s facts_total=%s ms=%s", q.ts, answer.id, answer.mode,
                 answer.facts.get("total"), answer.timings_ms.get("total"))

    def _apologize(self, client, q: Question, placeholder_ts: str | None, err: Exception, lang: str,
                   claim: bool = False) -> None:
        """Into the placeholder if there is one; else (or if that fails) as a new reply in the thread;
        else as an ephemeral message to the asker. The apology keeps the claim's metadata; with
        `claim`, nothing was posted yet and it is the claim: another process's earlier one wins."""
        error_id, msg = failure_message(err, lang, f"answering {q.ts}")
        meta = answer_metadata(q.ts)

        def post():
            ts = client.chat_postMessage(channel=q.channel, thread_ts=q.thread_ts, metadata=meta, **msg)["ts"]
            try:
                lost = claim and not self._won(client, q, ts)
            except Exception as e:  # noqa: BLE001 — unsure who came first: an apology too many beats none
                log.warning("error %s: claim of the apology not checked: %s", error_id, _slack_error(e))
                lost = False
            if lost:
                withdraw(client, q, ts, lang)

        attempts = []
        if placeholder_ts:
            attempts.append(("chat.update", lambda: client.chat_update(channel=q.channel, ts=placeholder_ts,
                                                                       metadata=meta, **msg)))
        attempts.append(("chat.postMessage", post))
        attempts.append(("chat.postEphemeral", lambda: client.chat_postEphemeral(
            channel=q.channel, user=q.user, thread_ts=None if q.thread_ts == q.ts else q.thread_ts, **msg)))
        for method, attempt in attempts:
            try:
                attempt()
                return
            except Exception as e:  # noqa: BLE001
                log.warning("error %s: apology by %s failed: %s", error_id, method, _slack_error(e))
        log.error("error %s: could not even apologize", error_id)

    # --- /flowrag <question> -----------------------------------------------------
    def ask_command(self, client, reply: ResponseUrl, cmd: Command) -> None:
        """The question goes in the channel as a message, the answer in its thread, so the
        conversation can go on there. Where the bot may not post, the answer comes ephemerally."""
        with self.working():
            lang = "en"
            try:
                lang = self.engine.language_of(cmd.text)
                parent = client.chat_postMessage(channel=cmd.channel,
                                                 **blocks.question_echo_message(cmd.user, self.engine.redact(cmd.text)))
            except SlackApiError as e:
                if e.response.get("error") in CANNOT_POST:
                    self._answer_ephemeral(reply, cmd, lang)
                else:
                    self.respond_failure(reply, e, lang, "posting a /flowrag question")
                return
            except Exception as e:  # noqa: BLE001
                self.respond_failure(reply, e, lang, "posting a /flowrag question")
                return
            self.answer(client, Question(channel=cmd.channel, user=cmd.user, text=cmd.text, ts=parent["ts"],
                                         thread_ts=parent["ts"]))

    def _answer_ephemeral(self, reply: ResponseUrl, cmd: Command, lang: str) -> None:
        try:
            answer = self.engine.ask(cmd.text, channel=cmd.channel)
            messages = blocks.answer_messages(answer, tz=answer.tz or self.engine.tz,
                                              question=self.engine.redact(cmd.text))
        except Exception as e:  # noqa: BLE001 — any failure must reach the user as an apology
            self.respond_failure(reply, e, lang, "an ephemeral answer")
            return
        for msg in messages[:RESPONSE_URL_USES]:
            if reply.send(msg, response_type="ephemeral"):
                continue
            plain = blocks.without_tables(msg)  # a refused table or chart: the same answer as text
            if plain is msg or not reply.send(plain, response_type="ephemeral"):
                log.error("ephemeral answer %s not delivered whole", answer.id)
                return

    def respond_failure(self, reply: ResponseUrl, err: Exception, lang: str, during: str) -> str:
        error_id, msg = failure_message(err, lang, during)
        if not reply.send(msg, response_type="ephemeral"):
            log.error("error %s: could not even apologize", error_id)
        return error_id

    # --- /flowrag ingest ---------------------------------------------------------
    def may_ingest(self, user: str) -> bool:
        return not self.admins or user in self.admins

    def start_ingest(self, client, reply: ResponseUrl, cmd: Command) -> bool:
        """False when one is already running in this process; the caller says so politely."""
        if not self._ingest_lock.acquire(blocking=False):
            return False
        threading.Thread(target=self._ingest, args=(client, reply, cmd), name="flowrag-ingest", daemon=True).start()
        return True

    def _ingest(self, client, reply: ResponseUrl, cmd: Command) -> None:
        try:
            post = _ProgressMessage(client, reply, cmd)
            post.show(blocks.ingest_started_message(cmd.full))
            progress = throttled(lambda p: post.show(blocks.ingest_progress_message(p)))
            try:
                summary = self.engine.ingest(full=cmd.full, progress=progress)
                final = blocks.ingest_done_message(summary)
            except IngestRunning:
                final = blocks.ingest_busy_message()
            except Exception as e:  # noqa: BLE001
                final = failure_message(e, cmd.language, "an ingest")[1]
            if not post.show(final, final=True):
                log.error("the ingest's final message could not be delivered anywhere: %s", final["text"][:200])
        except Exception:  # noqa: BLE001 — a thread's exception would only reach stderr
            log.exception("ingest thread failed")
        finally:
            self._ingest_lock.release()


class _ProgressMessage:
    """One message in the channel, posted once then updated. Where the bot cannot post there, the
    command's response_url instead, within Slack's limits: progress only every EPHEMERAL_EVERY_S and
    never the last post, which is kept for the final summary. The final summary always goes out:
    failing the channel, by the response_url; failing that, in a DM to whoever ran the command."""

    def __init__(self, client, reply: ResponseUrl, cmd: Command):
        self.client, self.reply, self.cmd = client, reply, cmd
        self.ts: str | None = None
        self.ephemeral = False
        self._last_ephemeral = float("-inf")

    def show(self, msg: dict, final: bool = False) -> bool:
        if not self.ephemeral and self._in_channel(msg):
            return True
        if not final:
            if self.ephemeral and time.monotonic() - self._last_ephemeral >= EPHEMERAL_EVERY_S:
                if self.reply.send(msg, reserve=1, response_type="ephemeral",
                                   replace_original=self.reply.used > 0):
                    self._last_ephemeral = time.monotonic()
                    return True
            return False
        # the final word: a fresh message in the channel, the response_url, then a DM
        if not self.ephemeral and self.ts is not None and self._post(msg):
            return True
        if self.reply.send(msg, response_type="ephemeral", replace_original=self.reply.used > 0):
            return True
        try:
            self.client.chat_postMessage(channel=self.cmd.user, **msg)
            return True
        except SlackApiError as e:
            log.warning("ingest summary not delivered by DM either: %s", e.response.get("error"))
            return False

    def _post(self, msg: dict) -> bool:
        try:
            self.ts = self.client.chat_postMessage(channel=self.cmd.channel, **msg)["ts"]
            return True
        except SlackApiError as e:
            log.warning("ingest message not posted: %s", e.response.get("error"))
            return False

    def _in_channel(self, msg: dict) -> bool:
        try:
            if self.ts is None:
                self.ts = self.client.chat_postMessage(channel=self.cmd.channel, **msg)["ts"]
                return True
            try:
                self.client.chat_update(channel=self.cmd.channel, ts=self.ts, **msg)
            except SlackApiError as e:
                if e.response.get("error") != "message_not_found":
                    raise
                # someone deleted the progress message: carry on in a new one
                self.ts = self.client.chat_postMessage(channel=self.cmd.channel, **msg)["ts"]
            return True
        except SlackApiError as e:
            if e.response.get("error") in CANNOT_POST:
                self.ephemeral = True
            else:
                log.warning("ingest progress not shown in the channel: %s", e.response.get("error"))
            return False


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
    last = [float("-inf")]

    def call(*args) -> None:
        now = time.monotonic()
        if now - last[0] >= UPDATE_EVERY_S:
            last[0] = now
            fn(*args)

    return call


def _slack_error(e: Exception) -> str:
    if isinstance(e, SlackApiError):
        return str(e.response.get("error"))
    return type(e).__name__


_once_clients: dict[tuple, WebClient] = {}
_once_lock = threading.Lock()


def _once(client):
    """The same client without retries, for what is only cosmetic: a 429 on a reaction must not
    hold an answer for Retry-After seconds."""
    if not isinstance(client, WebClient):
        return client
    key = (client.token, client.base_url)
    with _once_lock:
        if key not in _once_clients:
            _once_clients[key] = WebClient(token=client.token, base_url=client.base_url, timeout=client.timeout,
                                           ssl=client.ssl, proxy=client.proxy, headers=client.headers,
                                           retry_handlers=[])
        return _once_clients[key]


def _react(client, op: str, channel: str, ts: str) -> bool:
    """👀 while we work. Best effort, one try: a missing scope or a 429 must not cost the answer."""
    try:
        if op == "add":
            _once(client).reactions_add(channel=channel, timestamp=ts, name="eyes")
        else:
            _once(client).reactions_remove(channel=channel, timestamp=ts, name="eyes")
        return True
    except SlackApiError as e:
        log.debug("reactions.%s: %s", op, e.response.get("error"))
        return False
