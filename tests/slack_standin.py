"""An in-process stand-in for Slack: Web API over HTTP + Socket Mode over WebSocket.

Slack is unreachable from the test machine, so tests run the *real* ``slack_bolt.App`` and
``SocketModeHandler`` (built-in ``slack_sdk.socket_mode.builtin`` client) against this server.
One aiohttp server on 127.0.0.1:<ephemeral> serves ``/api/<method>``, ``/response_url/<id>`` and
the Socket Mode WebSocket ``/link``; it runs on an asyncio loop in a daemon thread. All shared state
is guarded by one ``threading.Condition``; every ``wait_*`` has a timeout and raises AssertionError.

    with SlackStandin() as slack:
        app = App(token=slack.bot_token, client=WebClient(token=slack.bot_token, base_url=slack.api_url))
        handler = SocketModeHandler(app, slack.app_token); handler.connect(); slack.wait_connected()
        msg = slack.post_user_message("C1", "<@UBOT> hi")
        env = slack.send_event(slack.event_from(msg, "app_mention")); slack.wait_for_ack(env)

At least as strict as Slack where the bot depends on it: a response_url takes 5 posts within 30
minutes (then 404 ``used_url`` / ``expired_url``); conversations.replies and .history page oldest
first with ``limit`` capped at 1,000, ``has_more`` and ``response_metadata.next_cursor`` (the parent
always first on a thread's first page, also within an ``oldest``/``latest`` window); message metadata
only with ``include_all_metadata``; 429 + Retry-After on demand (``rate_limit``) or at random
(``rate_limit_randomly``). ``send_event_to_each`` gives two connected processes the same event, and
``disconnects`` records how each client hung up (close frame or not).
"""
from __future__ import annotations

import asyncio
import base64
import copy
import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from aiohttp import WSMsgType, web


@dataclass
class Call:
    method: str
    params: dict
    token: str | None
    at: float  # time.monotonic()
    status: int = 200  # HTTP status we answered (429 when rate limited)
    response: dict = field(default_factory=dict)


class _SlackError(Exception):
    """Raised by a method handler -> {"ok": false, "error": <str>} with HTTP 200, like Slack."""


_APP_TOKEN_METHODS = {"apps.connections.open"}
_JSON_STRING_PARAMS = ("blocks", "attachments", "metadata")  # form bodies carry these as JSON strings


def _json_param(value: Any, error: str) -> Any:
    """Form bodies carry lists and objects as JSON strings; Slack answers bad JSON with the
    method's own error, not a server error."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _SlackError(error) from None
    return value


def _truthy(v: Any) -> bool:
    return v in (True, 1, "1", "true", "True")


def _valid_table(block: dict) -> bool:
    """Slack's table block: 1 to 100 rows of 1 to 20 cells, every row as wide, no empty cell."""
    rows = block.get("rows")
    if not isinstance(rows, list) or not 1 <= len(rows) <= 100:
        return False
    widths = {len(r) if isinstance(r, list) else -1 for r in rows}
    if len(widths) != 1 or not 1 <= next(iter(widths)) <= 20:
        return False
    return all(isinstance(c, dict) and c.get("type") in ("raw_text", "rich_text") and
               (c.get("type") == "rich_text" or (isinstance(c.get("text"), str) and c["text"].strip()))
               for r in rows for c in r)


# --- data_visualization: Slack's native charts -----------------------------------------------
# https://docs.slack.dev/reference/block-kit/blocks/data-visualization-block: title 1-50 chars; pie:
# 1-6 segments, label <= 20 chars, value > 0; line/bar/area: 1-6 series with unique names <= 20
# chars, each with one point per axis category (1-20 categories, labels <= 20 chars, in order);
# axis titles <= 50 chars; at most 2 charts in a message.

def _chart_label(x: Any) -> bool:
    return isinstance(x, str) and 1 <= len(x) <= 20


def _chart_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _valid_pie(chart: dict) -> bool:
    segments = chart.get("segments")
    return isinstance(segments, list) and 1 <= len(segments) <= 6 and all(
        isinstance(s, dict) and _chart_label(s.get("label")) and _chart_number(s.get("value")) and s["value"] > 0
        for s in segments)


def _valid_series_chart(chart: dict) -> bool:
    axis, series = chart.get("axis_config"), chart.get("series")
    if not isinstance(axis, dict) or not isinstance(series, list) or not 1 <= len(series) <= 6:
        return False
    cats = axis.get("categories")
    if not isinstance(cats, list) or not 1 <= len(cats) <= 20 or not all(map(_chart_label, cats)):
        return False
    if any(axis.get(k) is not None and (not isinstance(axis[k], str) or len(axis[k]) > 50)
           for k in ("x_label", "y_label")):
        return False
    names = [s.get("name") if isinstance(s, dict) else None for s in series]
    if not all(map(_chart_label, names)) or len(set(names)) != len(names):
        return False
    for s in series:
        data = s.get("data")
        if not isinstance(data, list) or [p.get("label") if isinstance(p, dict) else None for p in data] != cats:
            return False
        if not all(_chart_number(p.get("value")) for p in data):
            return False
    return True


def _valid_chart(block: dict) -> bool:
    title, chart = block.get("title"), block.get("chart")
    if not isinstance(title, str) or not 1 <= len(title) <= 50 or not isinstance(chart, dict):
        return False
    if chart.get("type") == "pie":
        return _valid_pie(chart)
    return chart.get("type") in ("line", "bar", "area") and _valid_series_chart(chart)


class SlackStandin:
    connect_timeout = 10.0  # how long send_* waits for a Socket Mode client before failing
    keepalive_interval = 0.25  # server -> client ping period (see _keepalive)

    def __init__(self, *, bot_token="xoxb-test-token", app_token="xapp-1-test", bot_user_id="UBOT",
                 bot_id="BBOT", team_id="T0001", app_id="A0001", echo_bot_messages=True):
        self.bot_token, self.app_token = bot_token, app_token
        self.bot_user_id, self.bot_id, self.team_id, self.app_id = bot_user_id, bot_id, team_id, app_id
        self.echo_bot_messages = echo_bot_messages
        self.calls: list[Call] = []
        self.acks: dict[str, tuple[dict, float]] = {}  # envelope_id -> (ack payload, seconds send->ack)
        self.envelopes: dict[str, dict] = {}  # every envelope pushed over the socket
        self.echo_envelope_ids: list[str] = []  # envelopes that carried an echo of the bot's own message
        self.response_url_posts: list[dict] = []
        self.ephemerals: list[dict] = []  # chat.postEphemeral + ephemeral response_url messages
        self.connections_total = 0  # WebSocket connections that received `hello`
        self.disconnects: list[dict] = []  # {"code": close code, "clean": client sent a close frame, "at": ...}
        self.response_url_refusals: list[dict] = []  # response_url posts Slack would refuse (used up, expired)
        # Slack: a response_url takes up to 5 posts within 30 minutes of the interaction
        self.response_url_uses = 5
        self.response_url_ttl_s = 30 * 60.0
        self._cond = threading.Condition()
        self._channels: dict[str, list[dict]] = {}
        self._ack_frames: dict[str, dict] = {}
        self._sent_at: dict[str, float] = {}
        self._faults: list[dict] = []
        self._slow: list[dict] = []  # see slow()
        self.slow_arrivals: list[tuple[str, dict]] = []
        self._slow_tasks: set = set()  # requests waiting in slow(): cancelled when the stand-in stops
        self._chaos: dict | None = None  # random 429s, see rate_limit_randomly
        self._tickets: set[str] = set()
        self._response_ctx: dict[str, dict] = {}
        self._sockets: list[web.WebSocketResponse] = []  # live, hello'd, newest last
        self._server_closed: set[int] = set()  # id() of sockets this side closed
        self._last_ts_us = 0
        self._outbox: list[dict] = []  # echo envelopes queued by the method being served
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._methods: dict[str, Callable[[dict], dict]] = {
            "auth.test": self._auth_test, "apps.connections.open": self._connections_open,
            "chat.postMessage": self._post_message, "chat.update": self._update,
            "chat.delete": self._delete, "chat.postEphemeral": self._post_ephemeral,
            "chat.getPermalink": self._permalink, "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove, "conversations.replies": self._replies,
            "conversations.history": self._history, "users.info": self._users_info,
            "views.publish": self._views_publish,
            "assistant.threads.setStatus": self._assistant_call, "assistant.threads.setTitle": self._assistant_call,
            "assistant.threads.setSuggestedPrompts": self._assistant_call,
            "files.getUploadURLExternal": self._upload_url, "files.completeUploadExternal": self._complete_upload,
            "chat.scheduleMessage": self._schedule_message, "chat.scheduledMessages.list": self._scheduled_list,
            "chat.deleteScheduledMessage": self._delete_scheduled,
        }
        # chat.scheduleMessage: id -> {"channel", "post_at", "date_created", "params"}; delivered as an
        # ordinary bot message (a notification to every member) once post_at has passed
        self.scheduled: dict[str, dict] = {}
        self.scheduled_sent: list[dict] = []  # what was delivered: a claim marker here is a visible leak
        self._init_streams()
        self.home_views: dict[str, dict] = {}  # user id -> the App Home view last published
        self.accepts_tables = True  # False: a workspace that refuses the table block
        self.accepts_charts = True  # False: a workspace the data_visualization block has not reached yet
        self.files: dict[str, dict] = {}  # file id -> {filename, length, data, title, channel, thread_ts}
        self._methods.update(self._view_methods())  # modals, App Home clicks, channel membership

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "SlackStandin":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.base_url}/api/"
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._http_api)
        app.router.add_post("/response_url/{rid}", self._http_response_url)
        app.router.add_post("/upload/{fid}", self._http_upload)
        app.router.add_get("/link", self._ws_link)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        self._loop = loop = asyncio.new_event_loop()
        started = threading.Event()

        def run():
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self._runner.setup())
            loop.run_until_complete(web.SockSite(self._runner, sock).start())
            started.set()
            try:
                loop.run_forever()
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="slack-standin", daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("slack stand-in did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return

        async def shutdown():
            with self._cond:
                sockets = list(self._sockets)
            for ws in sockets:
                self._server_closed.add(id(ws))
                await asyncio.wait_for(ws.close(), 2)
            for task in list(self._slow_tasks):
                task.cancel()
            await self._runner.cleanup()  # bounded by shutdown_timeout

        loop, self._loop = self._loop, None
        try:
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout=5)
        except Exception:  # a stuck client must not hang the test run
            pass
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(timeout=5)

    def __enter__(self) -> "SlackStandin":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------------ waiting helpers
    def _wait(self, what: str, probe: Callable[[], Any], timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while (result := probe()) is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"slack stand-in: timed out after {timeout}s waiting for {what}")
                self._cond.wait(left)
            return result

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for_call(self, method: str, predicate: Callable[[Call], bool] = lambda c: True,
                      timeout: float = 10.0, *, count: int = 1) -> Call:
        """The `count`-th recorded call (any outcome, incl. 429/errors) to `method` matching predicate."""
        def probe():
            hits = [c for c in self.calls if c.method == method and predicate(c)]
            return hits[count - 1] if len(hits) >= count else None
        return self._wait(f"call #{count} to {method}", probe, timeout)

    def wait_connected(self, timeout: float = 10.0, *, total: int | None = None) -> None:
        """Until a client holds a live, hello'd socket. After a restart (old handler closed, new one
        connected) pass total=<connections_total expected> so a stale socket cannot satisfy it."""
        self._wait("a Socket Mode connection", lambda: True if self._sockets and (
            total is None or self.connections_total >= total) else None, timeout)

    def wait_disconnected(self, timeout: float = 10.0) -> dict:
        """Until a client closed its connection (not one this side dropped); the first such record."""
        return self._wait("a client disconnect", lambda: next(
            (dict(d) for d in self.disconnects if d["by_client"]), None), timeout)

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict:
        return self._wait(f"ack of {envelope_id}", lambda: self._ack_frames.get(envelope_id), timeout)

    def wait_for_response_url_post(self, predicate: Callable[[dict], bool] = lambda b: True,
                                   timeout: float = 10.0) -> dict:
        return self._wait("a response_url post",
                          lambda: next((b for b in self.response_url_posts if predicate(b)), None), timeout)

    def wait_for_envelope(self, predicate: Callable[[dict], bool], timeout: float = 10.0) -> dict:
        """First envelope pushed to the app (incl. echoes) matching predicate, e.g.
        ``lambda e: e["payload"].get("event", {}).get("bot_id")`` for the echo of the bot's post."""
        return self._wait("an envelope", lambda: next((copy.deepcopy(e) for e in self.envelopes.values()
                                                        if predicate(e)), None), timeout)

    # ------------------------------------------------------------------ faults
    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        with self._cond:
            self._faults.append({"method": method, "times": times, "retry_after": retry_after, "channel": None})

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` are answered only after `seconds` (Slack on a bad
        day); `slow_arrivals` lists them as they arrive, before the wait."""
        with self._cond:
            self._slow.extend({"method": method, "seconds": seconds} for _ in range(times))

    def fail(self, method: str, error: str, times: int = 1, channel: str | None = None) -> None:
        with self._cond:
            self._faults.append({"method": method, "times": times, "error": error, "channel": channel})

    def rate_limit_randomly(self, methods: set[str] | frozenset[str], share: float, retry_after: int = 1,
                            seed: int = 0) -> None:
        """Answer about `share` of the calls to `methods` with 429 + Retry-After, as Slack does under
        load (its limits are per method and workspace, and bursts are refused). Seeded: a run is
        reproducible. share=0 turns it off."""
        import random

        with self._cond:
            self._chaos = {"methods": frozenset(methods), "share": share, "retry_after": retry_after,
                           "rng": random.Random(seed)} if share > 0 else None

    def _take_fault(self, method: str, params: dict) -> dict | None:
        chaos = self._chaos
        if chaos and method in chaos["methods"] and chaos["rng"].random() < chaos["share"]:
            return {"retry_after": chaos["retry_after"]}
        for f in self._faults:
            if f["method"] == method and f["channel"] in (None, params.get("channel")):
                f["times"] -= 1
                if f["times"] <= 0:
                    self._faults.remove(f)
                return f
        return None

    def disconnect_clients(self, graceful: bool = True) -> None:
        """Drop every open WebSocket. graceful=True does what Slack does on a refresh: send
        {"type": "disconnect"} (the builtin client then reconnects at once via apps.connections.open)
        and close a moment later. graceful=False just sends a close frame: the builtin client only
        notices through its monitor, i.e. it reconnects after up to `ping_interval` seconds."""
        async def drop():
            with self._cond:
                sockets, self._sockets[:] = list(self._sockets), []
                self._cond.notify_all()
            for ws in sockets:
                self._server_closed.add(id(ws))
                if graceful:
                    await ws.send_str(json.dumps({"type": "disconnect", "reason": "refresh_requested",
                                                  "debug_info": {"host": "slack-standin"}}))
                    asyncio.get_running_loop().call_later(2.0, lambda w=ws: asyncio.ensure_future(w.close()))
                else:
                    await ws.close()
        asyncio.run_coroutine_threadsafe(drop(), self._loop).result(timeout=5)

    # ------------------------------------------------------------------ Slack state
    def _next_ts(self) -> str:
        us = max(int(time.time() * 1_000_000), self._last_ts_us + 1)  # strictly increasing
        self._last_ts_us = us
        return f"{us // 1_000_000}.{us % 1_000_000:06d}"

    def _find(self, channel: str, ts: str) -> dict | None:
        return next((m for m in self._channels.get(channel, []) if m["ts"] == ts), None)

    def _store(self, channel: str, msg: dict) -> dict:
        self._channels.setdefault(channel, []).append(msg)
        parent_ts = msg.get("thread_ts")
        if parent_ts and parent_ts != msg["ts"] and (parent := self._find(channel, parent_ts)):
            # Slack marks the parent once a thread exists: thread_ts == ts, reply counters.
            parent["thread_ts"] = parent_ts
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            users = parent.setdefault("reply_users", [])
            if msg.get("user") not in users:
                users.append(msg.get("user"))
            parent["reply_users_count"] = len(users)
            parent["latest_reply"] = msg["ts"]
            msg.setdefault("parent_user_id", parent.get("user"))
        return msg

    def post_user_message(self, channel: str, text: str, *, user: str = "U123",
                          thread_ts: str | None = None, subtype: str | None = None,
                          files: list[dict] | None = None) -> dict:
        """A person's message. subtype="thread_broadcast" is a reply also sent to the channel (Slack
        adds `root`, the parent); subtype="file_share" carries `files` beside the text."""
        with self._cond:
            msg = {"type": "message", "user": user, "text": text, "ts": self._next_ts(),
                   "team": self.team_id, "client_msg_id": str(uuid.uuid4())}
            if thread_ts:
                msg["thread_ts"] = thread_ts
            if subtype:
                msg["subtype"] = subtype
            if subtype == "thread_broadcast" and thread_ts and (parent := self._find(channel, thread_ts)):
                msg["root"] = {k: v for k, v in copy.deepcopy(parent).items() if k != "metadata"}
            if files is not None or subtype == "file_share":
                msg["files"] = files if files is not None else [
                    {"id": "F" + uuid.uuid4().hex[:10].upper(), "name": "report.csv", "mimetype": "text/csv",
                     "filetype": "csv", "size": 1234, "user": user}]
                msg["upload"] = False
            self._store(channel, msg)
            return dict(copy.deepcopy(msg), channel=channel)

    def delete_message(self, channel: str, ts: str) -> None:
        """Someone (a person, an admin) deletes a message, e.g. the bot's progress message."""
        with self._cond:
            self._delete({"channel": channel, "ts": ts}, check_owner=False)
            outbox, self._outbox = self._outbox, []
            self._cond.notify_all()
        asyncio.run_coroutine_threadsafe(self._deliver(outbox), self._loop).result(timeout=5)

    async def _deliver(self, envelopes: list[dict]) -> None:
        for env in envelopes:
            await self._push(env, echo=True)

    def messages(self, channel: str) -> list[dict]:
        with self._cond:
            self._deliver_scheduled()
            return copy.deepcopy(self._channels.get(channel, []))

    def thread(self, channel: str, thread_ts: str) -> list[dict]:
        with self._cond:
            msgs = [m for m in self._channels.get(channel, [])
                    if m["ts"] == thread_ts or m.get("thread_ts") == thread_ts]
            return copy.deepcopy(sorted(msgs, key=lambda m: float(m["ts"])))

    # ------------------------------------------------------------------ Socket Mode: sending
    def event_from(self, message: dict, event_type: str = "app_mention", channel: str | None = None) -> dict:
        """Slack-shaped event for a stored message (as returned by post_user_message)."""
        channel = channel or message["channel"]
        ev = {k: v for k, v in message.items() if k not in ("reactions", "reply_users", "reply_count",
                                                              "reply_users_count", "latest_reply", "metadata")}
        ev.update(type=event_type, channel=channel, event_ts=message["ts"])
        if event_type == "message":  # app_mention events carry no channel_type
            ev["channel_type"] = "im" if channel.startswith("D") else "channel"
        return ev

    def _envelope(self, kind: str, payload: dict, accepts_response_payload: bool, **extra) -> dict:
        return {"envelope_id": str(uuid.uuid4()), "type": kind, "payload": payload,
                "accepts_response_payload": accepts_response_payload, **extra}

    def _events_api_envelope(self, event: dict, retry_attempt=0, retry_reason="", event_id=None) -> dict:
        payload = {
            "token": "verification-token", "team_id": self.team_id, "api_app_id": self.app_id,
            "event": event, "type": "event_callback",
            "event_id": event_id or "Ev" + uuid.uuid4().hex[:10].upper(),
            "event_time": int(time.time()), "is_ext_shared_channel": False,
            "authorizations": [{"enterprise_id": None, "team_id": self.team_id, "user_id": self.bot_user_id,
                                "is_bot": True, "is_enterprise_install": False}],
            "event_context": "4-" + uuid.uuid4().hex,
        }
        return self._envelope("events_api", payload, False, retry_attempt=retry_attempt, retry_reason=retry_reason)

    async def _push(self, envelope: dict, echo: bool = False, ws: web.WebSocketResponse | None = None) -> bool:
        with self._cond:
            if not self._sockets or (ws is not None and ws not in self._sockets):
                return False
            ws = ws or self._sockets[-1]  # newest: during a refresh the old socket is about to go away
            self.envelopes[envelope["envelope_id"]] = envelope
            if echo:
                self.echo_envelope_ids.append(envelope["envelope_id"])
            self._sent_at[envelope["envelope_id"]] = time.monotonic()  # before sending: ack can't race
            self._cond.notify_all()
        await ws.send_str(json.dumps(envelope))
        return True

    def _send(self, envelope: dict) -> str:
        self.wait_connected(self.connect_timeout)
        if not asyncio.run_coroutine_threadsafe(self._push(envelope), self._loop).result(timeout=5):
            raise AssertionError("slack stand-in: no Socket Mode client to deliver to")
        return envelope["envelope_id"]

    def send_event(self, event: dict, *, retry_attempt: int = 0, retry_reason: str = "",
                   event_id: str | None = None) -> str:
        return self._send(self._events_api_envelope(event, retry_attempt, retry_reason, event_id))

    def send_event_to_each(self, event: dict, *, connections: int = 2) -> list[str]:
        """The same event (one event_id), one envelope on each live connection at once: what two bot
        processes see when Slack redelivers an event to a second connection while the first still
        works on it. Waits for `connections` live sockets; returns the envelope ids."""
        self._wait(f"{connections} Socket Mode connections",
                   lambda: True if len(self._sockets) >= connections else None, self.connect_timeout)
        event_id = "Ev" + uuid.uuid4().hex[:10].upper()
        with self._cond:
            sockets = list(self._sockets)
        envelopes = [(self._events_api_envelope(copy.deepcopy(event), event_id=event_id), ws) for ws in sockets]

        async def push_all():
            return await asyncio.gather(*(self._push(env, ws=ws) for env, ws in envelopes))

        if not all(asyncio.run_coroutine_threadsafe(push_all(), self._loop).result(timeout=5)):
            raise AssertionError("slack stand-in: a connection went away while sending")
        return [env["envelope_id"] for env, _ in envelopes]

    def _new_response_url(self, **ctx) -> str:
        rid = uuid.uuid4().hex
        with self._cond:
            self._response_ctx[rid] = dict(ctx, issued=time.monotonic(), uses=0)
        return f"{self.base_url}/response_url/{rid}"

    def send_slash_command(self, text: str, *, command: str = "/flowrag", user_id: str = "U123",
                           channel_id: str = "C123", user_name: str = "tester") -> str:
        payload = {
            "token": "verification-token", "team_id": self.team_id, "team_domain": "standin",
            "channel_id": channel_id, "channel_name": channel_id.lower(), "user_id": user_id,
            "user_name": user_name, "command": command, "text": text, "api_app_id": self.app_id,
            "is_enterprise_install": "false",  # Slack sends strings in slash command payloads
            "response_url": self._new_response_url(channel=channel_id, user=user_id),
            "trigger_id": f"{int(time.time())}.{uuid.uuid4().hex[:12]}",
        }
        return self._send(self._envelope("slash_commands", payload, True))

    def send_block_action(self, action_id: str, value: str, *, user_id: str = "U123", channel_id: str = "C123",
                          message_ts: str, block_id: str = "actions", thread_ts: str | None = None) -> str:
        with self._cond:
            msg = copy.deepcopy(self._find(channel_id, message_ts)) or {"type": "message", "ts": message_ts}
        action = {"action_id": action_id, "block_id": block_id, "value": value, "type": "button",
                  "text": {"type": "plain_text", "text": value}, "action_ts": f"{time.time():.6f}"}
        payload = {
            "type": "block_actions", "api_app_id": self.app_id, "token": "verification-token",
            "user": {"id": user_id, "username": "tester", "name": "tester", "team_id": self.team_id},
            "team": {"id": self.team_id, "domain": "standin"}, "channel": {"id": channel_id, "name": "c"},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel_id,
                          "is_ephemeral": False, **({"thread_ts": thread_ts} if thread_ts else {})},
            "trigger_id": f"{int(time.time())}.{uuid.uuid4().hex[:12]}", "message": msg,
            "state": {"values": {}}, "actions": [action], "is_enterprise_install": False,
            "response_url": self._new_response_url(channel=channel_id, user=user_id, message_ts=message_ts),
        }
        return self._send(self._envelope("interactive", payload, False))

    def send_message_shortcut(self, callback_id: str, *, channel_id: str, message_ts: str,
                              user_id: str = "U123") -> str:
        """A person picks the app's message shortcut on a message: Slack sends `message_action`."""
        with self._cond:
            msg = copy.deepcopy(self._find(channel_id, message_ts))
        if msg is None:
            raise KeyError(f"no message {message_ts} in {channel_id}")
        msg.pop("metadata", None)  # payloads carry the message as people see it
        payload = {
            "type": "message_action", "callback_id": callback_id, "api_app_id": self.app_id,
            "token": "verification-token", "action_ts": f"{time.time():.6f}", "message_ts": message_ts,
            "user": {"id": user_id, "name": "tester", "team_id": self.team_id},
            "team": {"id": self.team_id, "domain": "standin"}, "channel": {"id": channel_id, "name": "c"},
            "message": msg, "trigger_id": f"{int(time.time())}.{uuid.uuid4().hex[:12]}",
            "response_url": self._new_response_url(channel=channel_id, user=user_id, message_ts=message_ts),
        }
        return self._send(self._envelope("interactive", payload, False))

    def _echo(self, channel: str, event: dict) -> None:
        """Queue the message event Slack would deliver for the bot's own post/edit/delete."""
        if self.echo_bot_messages:
            self._outbox.append(self._events_api_envelope(dict(event, channel=channel)))

    # ------------------------------------------------------------------ Socket Mode: server side
    async def _ws_link(self, request: web.Request):
        with self._cond:
            if request.query.get("ticket") not in self._tickets:
                return web.Response(status=401, text="invalid_ticket")
        ws = web.WebSocketResponse(autoping=True, heartbeat=None, timeout=1.0)
        await ws.prepare(request)
        with self._cond:
            n = len(self._sockets) + 1
        await ws.send_str(json.dumps({
            "type": "hello", "num_connections": n,
            "debug_info": {"host": "slack-standin", "build_number": 1, "approximate_connection_time": 3600},
            "connection_info": {"app_id": self.app_id}}))
        with self._cond:
            self._sockets.append(ws)
            self.connections_total += 1
            self._cond.notify_all()
        keepalive = asyncio.ensure_future(self._keepalive(ws))
        clean = False
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._on_client_text(msg.data)
            # aiohttp ends the loop on the client's close frame (close_code as sent) or on a dropped
            # connection (1006, abnormal closure: no close frame)
            clean = ws.close_code not in (None, 1006)
        finally:
            keepalive.cancel()
            with self._cond:
                if ws in self._sockets:
                    self._sockets.remove(ws)
                self.disconnects.append({"code": ws.close_code, "clean": clean, "at": time.monotonic(),
                                         "by_client": id(ws) not in self._server_closed})
                self._cond.notify_all()
        return ws

    async def _keepalive(self, ws: web.WebSocketResponse) -> None:
        # Slack pings its clients. It matters here: the builtin client holds its receive lock
        # inside a blocking recv() (3 s timeout) and disconnect() needs that lock, so without
        # traffic handler.close() takes ~3 s. A non-empty payload keeps the frame > 2 bytes
        # (the builtin parser blocks for more data on frames of <= 2 bytes).
        while not ws.closed:
            await asyncio.sleep(self.keepalive_interval)
            try:
                await ws.ping(b"standin")
            except Exception:
                return

    def _on_client_text(self, data: str) -> None:
        try:
            frame = json.loads(data)
        except ValueError:
            return
        eid = frame.get("envelope_id")
        if not eid:
            return
        with self._cond:
            sent = self._sent_at.get(eid, time.monotonic())
            self.acks[eid] = (frame.get("payload") or {}, time.monotonic() - sent)
            self._ack_frames[eid] = frame
            self._cond.notify_all()

    # ------------------------------------------------------------------ HTTP
    async def _read_params(self, request: web.Request) -> dict:
        params = dict(request.query)
        if request.content_type == "application/json":
            raw = await request.read()
            params.update(json.loads(raw) if raw else {})
        elif request.method == "POST" and request.content_type in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
        for key in _JSON_STRING_PARAMS:
            v = params.get(key)
            if isinstance(v, str) and v.strip()[:1] in ("[", "{"):
                try:
                    params[key] = json.loads(v)
                except ValueError:
                    pass  # leave it as sent; the method will reject it like Slack would
        return params

    async def _http_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._read_params(request)
        token = params.pop("token", None)
        auth = request.headers.get("Authorization", "")
        if token is None and auth.startswith("Bearer "):
            token = auth[len("Bearer "):]
        status, headers = 200, {}
        with self._cond:
            delay = next((d for d in self._slow if d["method"] == method), None)
            if delay is not None:
                self._slow.remove(delay)
                self.slow_arrivals.append((method, dict(params)))
                self._cond.notify_all()
        if delay is not None:
            task = asyncio.current_task()
            self._slow_tasks.add(task)
            try:
                await asyncio.sleep(delay["seconds"])
            finally:
                self._slow_tasks.discard(task)
        with self._cond:
            self._outbox = []
            fault = self._take_fault(method, params)
            if fault and "retry_after" in fault:
                status, headers = 429, {"Retry-After": str(fault["retry_after"])}
                body = {"ok": False, "error": "ratelimited"}
            elif fault:
                body = {"ok": False, "error": fault["error"]}
            else:
                body = self._dispatch(method, params, token)
            outbox, self._outbox = self._outbox, []
            self.calls.append(Call(method, params, token, time.monotonic(), status, body))
            self._cond.notify_all()
        self._deliver_later(outbox)
        return web.json_response(body, status=status, headers=headers)

    def _dispatch(self, method: str, params: dict, token: str | None) -> dict:
        self._deliver_scheduled()
        handler = self._methods.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        wanted = self.app_token if method in _APP_TOKEN_METHODS else self.bot_token
        if not token:
            return {"ok": False, "error": "not_authed"}
        if token != wanted:
            # Slack: an app-level token on a bot method (or vice versa) is the wrong *type*.
            error = "not_allowed_token_type" if token in (self.app_token, self.bot_token) else "invalid_auth"
            return {"ok": False, "error": error}
        try:
            return {"ok": True, **handler(params)}
        except _SlackError as e:
            return {"ok": False, "error": str(e)}

    def _deliver_later(self, envelopes: list[dict]) -> None:
        # Slack answers the HTTP call and pushes the event independently; the app must cope with
        # the echo arriving before or after it has seen the chat.postMessage response.
        for env in envelopes:
            asyncio.ensure_future(self._push(env, echo=True))

    async def _http_upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal hands out: the bytes, exactly `length` of them."""
        data = await request.read()
        with self._cond:
            f = self.files.get(request.match_info["fid"])
            if f is None or f.get("data") is not None:
                return web.Response(status=404, text="unknown or used upload url")
            if len(data) != f["length"]:
                return web.Response(status=400, text=f"expected {f['length']} bytes, got {len(data)}")
            f["data"] = data
        return web.Response(status=200, text=f"OK - {len(data)}")

    async def _http_response_url(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw) if raw else {}
        with self._cond:
            ctx = self._response_ctx.get(request.match_info["rid"])
            if ctx is None:
                return web.Response(status=404, text="no_service")
            refused = ("expired_url" if time.monotonic() - ctx["issued"] > self.response_url_ttl_s
                       else "used_url" if ctx["uses"] >= self.response_url_uses else None)
            if refused:  # Slack: 5 posts within 30 minutes, then the URL is dead
                self.response_url_refusals.append(dict(body, error=refused))
                self._cond.notify_all()
                return web.json_response({"ok": False, "error": refused}, status=404)
            ctx["uses"] += 1
            self._outbox = []
            self.response_url_posts.append(body)
            channel, ts = ctx["channel"], ctx.get("message_ts")
            try:  # what Slack does with the posted body
                if body.get("delete_original") and ts:
                    self._delete({"channel": channel, "ts": ts}, check_owner=False)
                elif body.get("replace_original") and ts and self._find(channel, ts):
                    self._update(dict(body, channel=channel, ts=ts), check_owner=False)
                elif body.get("response_type") == "in_channel":
                    self._post_message(dict(body, channel=channel))
                else:  # ephemeral: Slack checks its blocks like any other message's
                    self._check_content(body)
                    self.ephemerals.append(dict(body, channel=channel, user=ctx["user"]))
            except _SlackError as e:
                return web.json_response({"ok": False, "error": str(e)}, status=400)
            outbox, self._outbox = self._outbox, []
            self._cond.notify_all()
        self._deliver_later(outbox)
        return web.json_response({"ok": True})

    # ------------------------------------------------------------------ Web API methods
    def _auth_test(self, p: dict) -> dict:
        # Bolt calls this when App() is built and uses user_id/bot_id to drop the bot's own events.
        return {"url": "https://standin.slack.com/", "team": "Standin", "user": "flowrag",
                "team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": self.bot_id,
                "is_enterprise_install": False}

    def _connections_open(self, p: dict) -> dict:
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        return {"url": f"ws://127.0.0.1:{self.port}/link?ticket={ticket}&app_id={self.app_id}"}

    def _message_or_error(self, p: dict, ts_key: str = "ts") -> tuple[str, dict]:
        channel = p.get("channel")
        if not channel:
            raise _SlackError("channel_not_found")
        msg = self._find(channel, str(p.get(ts_key) or ""))
        if msg is None:
            raise _SlackError("message_not_found")
        return channel, msg

    def _check_content(self, p: dict) -> None:
        blocks = p.get("blocks")
        if not (p.get("text") or blocks or p.get("attachments")):
            raise _SlackError("no_text")
        if len(p.get("text") or "") > 40000:
            raise _SlackError("msg_too_long")
        if blocks is not None:  # Slack limits: <= 50 blocks, section text <= 3000 chars
            if not isinstance(blocks, list) or len(blocks) > 50 or any(
                    len(((b.get("text") or {}).get("text") or "")) > 3000 for b in blocks if isinstance(b, dict)):
                raise _SlackError("invalid_blocks")
            tables = [b for b in blocks if isinstance(b, dict) and b.get("type") == "table"]
            if tables and (not self.accepts_tables or len(tables) > 1 or not all(map(_valid_table, tables))):
                raise _SlackError("invalid_blocks")
            self._check_charts(blocks)

    def _check_charts(self, blocks: list) -> None:
        charts = [b for b in blocks if isinstance(b, dict) and b.get("type") == "data_visualization"]
        if charts and (not self.accepts_charts or len(charts) > 2 or not all(map(_valid_chart, charts))):
            raise _SlackError("invalid_blocks")

    def _bot_message(self, p: dict, ts: str) -> dict:
        msg = {"type": "message", "user": self.bot_user_id, "bot_id": self.bot_id, "app_id": self.app_id,
               "text": p.get("text") or "", "ts": ts, "team": self.team_id,
               "bot_profile": {"id": self.bot_id, "app_id": self.app_id, "name": "flowrag", "deleted": False}}
        for key in ("blocks", "attachments"):
            if p.get(key):
                msg[key] = p[key]
        if isinstance(p.get("metadata"), dict):
            meta = p["metadata"]
            msg["metadata"] = {"event_type": meta.get("event_type"), "event_payload": meta.get("event_payload", {})}
        if p.get("thread_ts"):
            msg["thread_ts"] = str(p["thread_ts"])
        return msg

    def _post_message(self, p: dict) -> dict:
        channel = p.get("channel")
        if not channel:
            raise _SlackError("channel_not_found")
        if channel.startswith(("U", "W")):  # Slack: a user id posts in the app's DM with that user
            channel = "D" + channel
            p = dict(p, channel=channel)
        self._check_content(p)
        msg = self._store(channel, self._bot_message(p, self._next_ts()))
        self._bot_replied(channel, p.get("thread_ts"))
        self._echo(channel, self.event_from(dict(msg, channel=channel), "message"))
        return {"channel": channel, "ts": msg["ts"], "message": copy.deepcopy(msg)}

    def _update(self, p: dict, check_owner: bool = True) -> dict:
        channel, msg = self._message_or_error(p)
        if check_owner and msg.get("bot_id") != self.bot_id:
            raise _SlackError("cant_update_message")
        self._refuse_while_streaming(channel, msg)
        self._check_content(dict(msg, **{k: v for k, v in p.items() if k in ("text", "blocks")}))
        previous = copy.deepcopy(msg)
        for key in ("text", "blocks", "attachments"):
            if key in p:
                msg[key] = p[key]
        if isinstance(p.get("metadata"), dict):
            msg["metadata"] = {"event_type": p["metadata"].get("event_type"),
                               "event_payload": p["metadata"].get("event_payload", {})}
        msg["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        self._echo(channel, {"type": "message", "subtype": "message_changed", "hidden": True,
                             "message": copy.deepcopy(msg), "previous_message": previous,
                             "ts": msg["edited"]["ts"], "event_ts": msg["edited"]["ts"], "channel_type": "channel"})
        return {"channel": channel, "ts": msg["ts"], "text": msg["text"], "message": copy.deepcopy(msg)}

    def _delete(self, p: dict, check_owner: bool = True) -> dict:
        channel, msg = self._message_or_error(p)
        if check_owner and msg.get("bot_id") != self.bot_id:
            raise _SlackError("cant_delete_message")
        self._channels[channel].remove(msg)
        parent_ts = msg.get("thread_ts")
        if parent_ts and parent_ts != msg["ts"] and (parent := self._find(channel, parent_ts)):
            parent["reply_count"] = max(parent.get("reply_count", 1) - 1, 0)
            replies = [m["ts"] for m in self._channels[channel]
                       if m.get("thread_ts") == parent_ts and m["ts"] != parent_ts]
            if replies:
                parent["latest_reply"] = max(replies, key=float)
            else:
                for key in ("latest_reply", "reply_users", "reply_users_count", "reply_count"):
                    parent.pop(key, None)
        ts = self._next_ts()
        self._echo(channel, {"type": "message", "subtype": "message_deleted", "hidden": True,
                             "deleted_ts": msg["ts"], "previous_message": copy.deepcopy(msg),
                             "ts": ts, "event_ts": ts, "channel_type": "channel"})
        return {"channel": channel, "ts": msg["ts"]}

    def _post_ephemeral(self, p: dict) -> dict:
        if not p.get("channel"):
            raise _SlackError("channel_not_found")
        if not p.get("user"):
            raise _SlackError("user_not_found")
        self._check_content(p)
        ts = self._next_ts()
        self.ephemerals.append(dict(p, message_ts=ts))
        return {"message_ts": ts}

    def _permalink(self, p: dict) -> dict:
        channel, msg = self._message_or_error(p, "message_ts")
        link = f"https://standin.slack.com/archives/{channel}/p{msg['ts'].replace('.', '')}"
        if msg.get("thread_ts") and msg["thread_ts"] != msg["ts"]:
            link += f"?thread_ts={msg['thread_ts']}&cid={channel}"
        return {"channel": channel, "permalink": link}

    def _reactions_add(self, p: dict) -> dict:
        _, msg = self._message_or_error(p, "timestamp")
        reactions = msg.setdefault("reactions", [])
        r = next((r for r in reactions if r["name"] == p.get("name")), None)
        if r is None:
            reactions.append(r := {"name": p.get("name"), "users": [], "count": 0})
        if self.bot_user_id in r["users"]:
            raise _SlackError("already_reacted")
        r["users"].append(self.bot_user_id)
        r["count"] += 1
        return {}

    def _reactions_remove(self, p: dict) -> dict:
        _, msg = self._message_or_error(p, "timestamp")
        r = next((r for r in msg.get("reactions", []) if r["name"] == p.get("name")), None)
        if r is None or self.bot_user_id not in r["users"]:
            raise _SlackError("no_reaction")
        r["users"].remove(self.bot_user_id)
        r["count"] -= 1
        if not r["count"]:
            msg["reactions"].remove(r)
        if not msg["reactions"]:
            del msg["reactions"]
        return {}

    max_page = 1000  # Slack caps `limit` for conversations.history/replies (and serves no more)

    def _page(self, msgs: list[dict], p: dict, default_limit: int) -> dict:
        """Cursor pagination like Slack's: `limit` capped at max_page, `has_more`, and
        `response_metadata.next_cursor` (opaque; a bad one is `invalid_cursor`)."""
        try:
            offset = int(base64.b64decode(p["cursor"]).decode().split(":")[1]) if p.get("cursor") else 0
        except (ValueError, IndexError):
            raise _SlackError("invalid_cursor") from None
        try:
            limit = int(p.get("limit") or default_limit)
        except ValueError:
            raise _SlackError("invalid_limit") from None
        limit = max(1, min(limit, self.max_page))
        page = copy.deepcopy(msgs[offset:offset + limit])
        if not _truthy(p.get("include_all_metadata")):  # Slack hides metadata unless asked
            for m in page:
                m.pop("metadata", None)
        out: dict = {"messages": page, "has_more": offset + limit < len(msgs)}
        if out["has_more"]:
            out["response_metadata"] = {"next_cursor": base64.b64encode(f"offset:{offset + limit}".encode()).decode()}
        return out

    def _replies(self, p: dict) -> dict:
        channel, ts = p.get("channel"), str(p.get("ts") or "")
        if channel not in self._channels:
            raise _SlackError("channel_not_found")
        parent = self._find(channel, ts)
        if parent is None:
            raise _SlackError("thread_not_found")
        if parent.get("thread_ts") not in (None, ts):
            ts = parent["thread_ts"]  # asked with a reply's ts: Slack answers with the whole thread
        msgs = self.thread(channel, ts)
        if p.get("oldest") or p.get("latest"):
            # the window applies to the replies; the parent always comes first, as in Slack
            oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
            inclusive = _truthy(p.get("inclusive"))
            msgs = msgs[:1] + [m for m in msgs[1:] if (oldest <= float(m["ts"]) <= latest if inclusive
                                                       else oldest < float(m["ts"]) < latest)]
        return self._page(msgs, p, 1000)

    def _history(self, p: dict) -> dict:
        channel = p.get("channel")
        if channel not in self._channels:
            raise _SlackError("channel_not_found")
        oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
        inclusive = _truthy(p.get("inclusive"))
        msgs = [m for m in reversed(self._channels[channel])  # newest first; replies stay in threads
                if m.get("thread_ts") in (None, m["ts"])
                and (oldest <= float(m["ts"]) <= latest if inclusive else oldest < float(m["ts"]) < latest)]
        return self._page(msgs, p, 100)

    # --- scheduled messages, as Slack serves them ------------------------------------------------
    schedule_max_days = 120  # Slack: post_at at most 120 days ahead
    schedule_burst = 30  # Slack: at most 30 messages scheduled per channel within 5 minutes

    def _schedule_message(self, p: dict) -> dict:
        channel = p.get("channel")
        if not channel or channel not in self._channels:
            raise _SlackError("channel_not_found")
        try:
            post_at = int(str(p.get("post_at")))
        except ValueError:
            raise _SlackError("invalid_time") from None
        now = time.time()
        if post_at <= now:
            raise _SlackError("time_in_past")
        if post_at > now + self.schedule_max_days * 86400:
            raise _SlackError("time_too_far")
        if p.get("metadata") is not None and not isinstance(p.get("metadata"), dict):
            raise _SlackError("invalid_metadata_format")
        self._check_content(p)
        recent = [x for x in self.scheduled.values() if x["channel"] == channel and now - x["created_at"] < 300]
        if len(recent) >= self.schedule_burst:
            raise _SlackError("restricted_too_many")
        sid = "Q" + uuid.uuid4().hex[:10].upper()
        self.scheduled[sid] = {"channel": channel, "post_at": post_at, "date_created": int(now), "created_at": now,
                               "params": copy.deepcopy(p)}
        return {"channel": channel, "scheduled_message_id": sid, "post_at": post_at,
                "message": {"type": "delayed_message", "text": p.get("text") or "", "bot_id": self.bot_id,
                            "user": self.bot_user_id}}

    def _scheduled_list(self, p: dict) -> dict:
        channel = p.get("channel")
        if channel and channel not in self._channels:
            raise _SlackError("channel_not_found")
        items = sorted(((sid, x) for sid, x in self.scheduled.items() if not channel or x["channel"] == channel),
                       key=lambda kv: (kv[1]["post_at"], kv[0]))
        listed = [{"id": sid, "channel_id": x["channel"], "post_at": x["post_at"], "date_created": x["date_created"],
                   "text": x["params"].get("text") or ""} for sid, x in items]
        page = self._page(listed, p, 100)
        return {"scheduled_messages": page.pop("messages"),
                "response_metadata": page.get("response_metadata", {"next_cursor": ""})}

    def _delete_scheduled(self, p: dict) -> dict:
        channel, sid = p.get("channel"), p.get("scheduled_message_id")
        if not channel or channel not in self._channels:
            raise _SlackError("channel_not_found")
        x = self.scheduled.get(sid or "")
        if x is None or x["channel"] != channel:
            raise _SlackError("invalid_scheduled_message_id")  # unknown, already sent, or deleted
        del self.scheduled[sid]
        return {}

    def _deliver_scheduled(self) -> None:
        """Post what is due, as Slack does on its own clock (call with the lock held)."""
        now = time.time()
        for sid, x in sorted(self.scheduled.items(), key=lambda kv: kv[1]["post_at"]):
            if x["post_at"] <= now:
                del self.scheduled[sid]
                msg = self._store(x["channel"], self._bot_message(x["params"], self._next_ts()))
                self.scheduled_sent.append(dict(copy.deepcopy(msg), channel=x["channel"], scheduled_message_id=sid))

    def _assistant_call(self, p: dict) -> dict:
        """assistant.threads.*: a thread that exists (a DM's, or an ordinary channel's for setStatus);
        prompts 1 to 4, each a title and a message."""
        channel, thread_ts = p.get("channel_id") or "", p.get("thread_ts") or ""
        if not channel or not thread_ts:
            raise _SlackError("invalid_arguments")
        if channel not in self._channels:
            raise _SlackError("channel_not_found")
        if self._find(channel, thread_ts) is None:
            raise _SlackError("thread_not_found")
        prompts = _json_param(p.get("prompts"), "invalid_arguments")
        if prompts is not None:
            if not isinstance(prompts, list) or not 1 <= len(prompts) <= 4 or not all(isinstance(x, dict) and x.get("title") and x.get("message") for x in prompts):
                raise _SlackError("invalid_arguments")
        if "status" in p and len(p.get("status") or "") > 200:
            raise _SlackError("invalid_arguments")
        return {}

    def _views_publish(self, p: dict) -> dict:
        """App Home: a `home` view of at most 100 blocks, per user."""
        view = _json_param(p.get("view"), "invalid_arguments")
        user = p.get("user_id") or ""
        if not user.startswith(("U", "W")):
            raise _SlackError("invalid_arguments")
        if not isinstance(view, dict) or view.get("type") != "home" or not isinstance(view.get("blocks"), list) \
                or len(view["blocks"]) > 100:
            raise _SlackError("invalid_arguments")
        self._check_content({"blocks": view["blocks"], "text": "home"})
        self.home_views[user] = copy.deepcopy(view)
        return {"view": {"id": f"V{len(self.home_views):08d}", "type": "home", "blocks": view["blocks"]}}

    def _upload_url(self, p: dict) -> dict:
        """Step 1 of files_upload_v2: Slack wants the name and the exact length up front."""
        try:
            length = int(p.get("length") or 0)
        except ValueError:
            raise _SlackError("invalid_arguments") from None
        if not p.get("filename") or length <= 0:
            raise _SlackError("invalid_arguments")
        fid = f"F{len(self.files) + 1:08d}"
        self.files[fid] = {"filename": p["filename"], "length": length, "data": None}
        return {"upload_url": f"{self.base_url}/upload/{fid}", "file_id": fid}

    def _complete_upload(self, p: dict) -> dict:
        """Step 3: every file must have been uploaded whole; shared in the channel or thread as a
        file_share message, like Slack does."""
        try:
            items = json.loads(p.get("files") or "[]")
        except ValueError:
            raise _SlackError("invalid_arguments") from None
        channel = p.get("channel_id")
        if channel and channel not in self._channels:
            raise _SlackError("channel_not_found")
        out = []
        for item in items:
            f = self.files.get(item.get("id"))
            if f is None or f.get("data") is None:
                raise _SlackError("file_upload_not_complete" if f else "file_not_found")
            f.update(title=item.get("title") or f["filename"], channel=channel, thread_ts=p.get("thread_ts"))
            out.append({"id": item["id"], "name": f["filename"], "title": f["title"], "size": f["length"]})
        if channel and out:
            msg = self._bot_message({"text": p.get("initial_comment") or "", "thread_ts": p.get("thread_ts")},
                                    self._next_ts())
            msg.update(subtype="file_share", files=copy.deepcopy(out), upload=True)
            self._store(channel, msg)
        return {"files": out}

    def _users_info(self, p: dict) -> dict:
        uid = p.get("user") or ""
        if not uid.startswith(("U", "W")):
            raise _SlackError("user_not_found")
        is_bot = uid == self.bot_user_id
        name = "flowrag" if is_bot else f"user-{uid.lower()}"
        return {"user": {"id": uid, "team_id": self.team_id, "name": name, "real_name": name, "is_bot": is_bot,
                         "deleted": False, "tz": "UTC", "tz_offset": 0,
                         "profile": {"display_name": name, "real_name": name}}}

    # ------------------------------------------------------------------ modals, App Home clicks, membership
    # Slack: a trigger_id opens one view, within 3 seconds of the interaction that minted it
    trigger_ttl_s = 3.0
    view_max_bytes = 250_000  # views.open: view_too_large above this

    def _view_methods(self) -> dict:
        self.modals: dict[str, dict] = {}  # view id -> {"user", "view", "open", "errors", "refused", "acks"}
        self.view_refusals: list[dict] = []  # views.open calls Slack refused: {"error", "messages"}
        self.bot_not_in: set[str] = set()  # channels the bot is not a member of
        self._triggers: dict[str, dict] = {}
        return {"views.open": self._views_open, "conversations.history": self._history_as_member}

    def _new_trigger(self, user: str) -> str:
        tid = f"{int(time.time())}.{uuid.uuid4().int % 10**11}.{uuid.uuid4().hex[:32]}"
        with self._cond:
            self._triggers[tid] = {"issued": time.monotonic(), "user": user, "used": False}
        return tid

    def _history_as_member(self, p: dict) -> dict:
        """conversations.history as Slack serves a bot: only in channels it is a member of."""
        if p.get("channel") in self.bot_not_in:
            raise _SlackError("not_in_channel")
        return self._history(p)

    def post_bot_message(self, channel: str, text: str, *, attachments: list[dict] | None = None,
                         bot_id: str = "B0AIRFLOW", username: str = "Airflow") -> dict:
        """A message from another app (an alerting integration): subtype bot_message, often with
        the useful text in attachments."""
        with self._cond:
            msg = {"type": "message", "subtype": "bot_message", "bot_id": bot_id, "username": username,
                   "text": text, "ts": self._next_ts(), "team": self.team_id}
            if attachments:
                msg["attachments"] = attachments
            self._store(channel, msg)
            return dict(copy.deepcopy(msg), channel=channel)

    def _refuse_view(self, error: str, messages: list[str]):
        self.view_refusals.append({"error": error, "messages": messages})
        raise _SlackError(error)

    def _views_open(self, p: dict) -> dict:
        tid = p.get("trigger_id") or ""
        trig = self._triggers.get(tid)
        if trig is None:
            self._refuse_view("invalid_trigger_id", [])
        if trig["used"]:
            self._refuse_view("exchanged_trigger_id", [])
        if time.monotonic() - trig["issued"] > self.trigger_ttl_s:
            self._refuse_view("expired_trigger_id", [])
        view = p.get("view")
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                self._refuse_view("invalid_arguments", ["[ERROR] view must be JSON"])
        if len(json.dumps(view)) > self.view_max_bytes:
            self._refuse_view("view_too_large", [])
        problems = _modal_problems(view)
        if problems:
            self._refuse_view("invalid_arguments", problems)
        trig["used"] = True
        vid = f"V{len(self.modals) + 1:010d}"
        stored = dict(copy.deepcopy(view), id=vid, team_id=self.team_id, app_id=self.app_id, bot_id=self.bot_id,
                      state={"values": {}}, hash=uuid.uuid4().hex[:20], root_view_id=vid, previous_view_id=None)
        self.modals[vid] = {"user": trig["user"], "view": stored, "open": True, "errors": {}, "refused": None,
                            "acks": []}
        return {"view": copy.deepcopy(stored)}

    def wait_for_modal(self, user: str, timeout: float = 10.0) -> str:
        """The id of the newest modal open for `user`."""
        return self._wait(f"a modal for {user}", lambda: next(
            (vid for vid, m in reversed(list(self.modals.items())) if m["user"] == user and m["open"]), None), timeout)

    def modal(self, view_id: str) -> dict:
        with self._cond:
            return copy.deepcopy(self.modals[view_id])

    def click_home_button(self, user_id: str, action_id: str, value: str | None = None) -> str:
        """A person clicks a button of their App Home: it must be on the view published for them
        (a button nobody was shown cannot be clicked). Slack sends block_actions with a fresh
        trigger_id, from a view container, without a response_url."""
        with self._cond:
            view = copy.deepcopy(self.home_views.get(user_id))
        if view is None:
            raise AssertionError(f"no App Home was published for {user_id}")
        found = None
        for b in view["blocks"]:
            elements = list(b.get("elements") or []) if b.get("type") == "actions" else []
            if isinstance(b.get("accessory"), dict):
                elements.append(b["accessory"])
            for el in elements:
                if el.get("action_id") == action_id and (value is None or el.get("value") == value):
                    found = (b, el)
                    break
            if found:
                break
        if found is None:
            raise AssertionError(f"{user_id}'s App Home shows no {action_id} button" +
                                 (f" with value {value!r}" if value is not None else ""))
        block, el = found
        view_id = f"VHOME{user_id}"
        payload = {
            "type": "block_actions", "api_app_id": self.app_id, "token": "verification-token",
            "user": {"id": user_id, "username": "tester", "name": "tester", "team_id": self.team_id},
            "team": {"id": self.team_id, "domain": "standin"}, "is_enterprise_install": False, "enterprise": None,
            "container": {"type": "view", "view_id": view_id}, "trigger_id": self._new_trigger(user_id),
            "view": dict(view, id=view_id, team_id=self.team_id, state={"values": {}}),
            "actions": [{"action_id": action_id, "block_id": block.get("block_id", ""), "value": el.get("value"),
                         "type": el.get("type", "button"), "text": el.get("text"),
                         "action_ts": f"{time.time():.6f}"}],
        }
        return self._send(self._envelope("interactive", payload, False))

    def submit_view(self, view_id: str, values: dict | None = None, *, timeout: float = 10.0) -> dict:
        """The person fills in the modal and presses its submit button. `values`: block_id -> what
        they typed (text), picked (an option's value, a channel id) or ticked (a list of values);
        a field left out shows what it showed: what was typed into it before a refused submission,
        else its initial value. Slack itself refuses to submit with a required field empty. Returns
        what the person then sees: the errors under the fields, or the modal closed."""
        with self._cond:
            m = self.modals[view_id]
            if not m["open"]:
                raise AssertionError(f"modal {view_id} is closed")
            view, user = copy.deepcopy(m["view"]), m["user"]
            typed = m.setdefault("typed", {})
            typed.update(values or {})
            values = dict(typed)
        state = {}
        for b in view.get("blocks") or []:
            if b.get("type") != "input":
                continue
            bid, el = b["block_id"], b["element"]
            entry = _input_state(el, values[bid] if bid in values else _UNTOUCHED)
            empty = not any(v for k, v in entry.items() if k != "type")
            if empty and not b.get("optional"):
                raise AssertionError(f"Slack does not submit a modal whose required field {bid!r} is empty")
            state[bid] = {el["action_id"]: entry}
        unknown = set(values) - set(state)  # checked on what was typed: a typo in a test, not a user
        if unknown:
            raise AssertionError(f"the modal has no input {sorted(unknown)}")
        payload = {
            "type": "view_submission", "api_app_id": self.app_id, "token": "verification-token",
            "team": {"id": self.team_id, "domain": "standin"}, "is_enterprise_install": False, "enterprise": None,
            "user": {"id": user, "username": "tester", "name": "tester", "team_id": self.team_id},
            "trigger_id": self._new_trigger(user), "response_urls": [],
            "view": dict(view, state={"values": state}),
        }
        eid = self._send(self._envelope("interactive", payload, True))
        frame = self.wait_for_ack(eid, timeout)
        resp = frame.get("payload") or {}
        with self._cond:
            seconds = self.acks[eid][1]
            m["acks"].append(resp)
            action = resp.get("response_action")
            if seconds > 3:  # Slack gave up waiting and told the person it could not connect
                m["refused"] = "timeout"
            elif action == "errors":
                errors = resp.get("errors") if isinstance(resp.get("errors"), dict) else {}
                # an error must name an input block of the view, or Slack shows none of them
                if not errors or set(errors) - set(state) or not all(isinstance(v, str) and v for v in errors.values()):
                    m["refused"], m["errors"] = "invalid errors", {}
                else:
                    m["errors"], m["refused"] = dict(errors), None
            elif action == "update" and isinstance(resp.get("view"), dict):
                m["view"] = dict(resp["view"], id=view_id)
            elif action in (None, "", "clear"):
                m["open"], m["errors"] = False, {}
            self._cond.notify_all()
            return {"open": m["open"], "errors": dict(m["errors"]), "refused": m["refused"], "seconds": seconds}

    # ------------------------------------------------------------------ streams and the thinking status
    # chat.startStream / appendStream / stopStream and assistant.threads.setStatus as Slack's method
    # reference has them: markdown_text at most 12,000 chars a call (here msg_too_long; a markdown_text
    # chunk over it is invalid_chunks); outside DMs a stream names its recipient (missing_recipient_
    # user_id / _team_id) and needs a workspace that streams in channels (channel_type_not_supported);
    # append and stop only on the app's own message while it streams (message_not_found,
    # message_not_owned_by_app, message_not_in_streaming_state); chat.update of a streaming message is
    # streaming_state_conflict; the stop takes blocks (checked like any message's) and metadata. The
    # status: loading_messages 1 to 10, of 1 to 50 chars; shown until the app replies in the thread or
    # for status_ttl_s (Slack: two minutes); "" clears it; an unknown thread is invalid_thread_ts.

    markdown_limit = 12_000
    status_ttl_s = 120.0
    _CHUNK_TYPES = frozenset({"markdown_text", "task_update", "plan_update", "blocks"})

    def _init_streams(self) -> None:
        self.streams_in_channels = True  # False: a workspace that streams only in DMs
        self._stream_state: dict[tuple[str, str], str] = {}  # (channel, ts) -> streaming | stopped | expired
        self._statuses: dict[tuple[str, str], dict] = {}  # (channel, thread_ts) -> the status last set
        self._methods.update({"chat.startStream": self._start_stream, "chat.appendStream": self._append_stream,
                              "chat.stopStream": self._stop_stream, "assistant.threads.setStatus": self._set_status})

    def streaming(self, channel: str, ts: str) -> bool:
        with self._cond:
            return self._stream_state.get((channel, ts)) == "streaming"

    def expire_stream(self, channel: str, ts: str) -> None:
        """What Slack does to a stream left too long: it stops taking text (chat.update still works)."""
        with self._cond:
            self._stream_state[(channel, ts)] = "expired"

    def status(self, channel: str, thread_ts: str) -> dict | None:
        """The thinking status people see under the thread now, or None."""
        with self._cond:
            shown = self._statuses.get((channel, thread_ts))
            if shown is None or time.monotonic() - shown["at"] > self.status_ttl_s:
                return None
            return copy.deepcopy(shown)

    def _bot_replied(self, channel: str, thread_ts: str | None) -> None:
        if thread_ts:  # Slack clears the status when the app replies
            self._statuses.pop((channel, str(thread_ts)), None)

    def _refuse_while_streaming(self, channel: str, msg: dict) -> None:
        if self._stream_state.get((channel, msg["ts"])) == "streaming":
            raise _SlackError("streaming_state_conflict")

    def _stream_text(self, p: dict, required: bool) -> str:
        text = p.get("markdown_text")
        if text is not None and (not isinstance(text, str) or len(text) > self.markdown_limit):
            raise _SlackError("msg_too_long")
        chunks = _json_param(p.get("chunks"), "invalid_chunks")
        parts = [text or ""]
        for c in chunks or []:
            if not isinstance(c, dict) or c.get("type") not in self._CHUNK_TYPES:
                raise _SlackError("invalid_chunks")
            if c["type"] == "markdown_text":
                if not isinstance(c.get("text"), str) or len(c["text"]) > self.markdown_limit:
                    raise _SlackError("invalid_chunks")
                parts.append(c["text"])
        if required and not text and not chunks:
            raise _SlackError("no_text")
        return "".join(parts)

    def _start_stream(self, p: dict) -> dict:
        channel = p.get("channel")
        if not channel:
            raise _SlackError("channel_not_found")
        if not channel.startswith("D"):
            if not self.streams_in_channels:
                raise _SlackError("channel_type_not_supported")
            if not p.get("recipient_user_id"):
                raise _SlackError("missing_recipient_user_id")
            if not p.get("recipient_team_id"):
                raise _SlackError("missing_recipient_team_id")
        text = self._stream_text(p, required=False)
        msg = self._store(channel, self._bot_message({"text": text, "thread_ts": p.get("thread_ts")}, self._next_ts()))
        self._stream_state[(channel, msg["ts"])] = "streaming"
        self._bot_replied(channel, p.get("thread_ts"))
        self._echo(channel, self.event_from(dict(msg, channel=channel), "message"))
        return {"channel": channel, "ts": msg["ts"]}

    def _streaming_message(self, p: dict) -> tuple[str, dict]:
        channel, msg = self._message_or_error(p)
        if msg.get("bot_id") != self.bot_id:
            raise _SlackError("message_not_owned_by_app")
        if self._stream_state.get((channel, msg["ts"])) != "streaming":
            raise _SlackError("message_not_in_streaming_state")
        return channel, msg

    def _append_stream(self, p: dict) -> dict:
        channel, msg = self._streaming_message(p)
        msg["text"] += self._stream_text(p, required=True)
        return {"channel": channel, "ts": msg["ts"]}

    def _stop_stream(self, p: dict) -> dict:
        channel, msg = self._streaming_message(p)
        text = msg["text"] + self._stream_text(p, required=False)
        blocks = p.get("blocks")
        if blocks is not None:
            self._check_content({"text": text or " ", "blocks": blocks})
        previous = copy.deepcopy(msg)
        msg["text"] = text
        if blocks:
            msg["blocks"] = blocks
        meta = p.get("metadata")
        if isinstance(meta, str):
            try:
                meta = json.loads(meta)
            except ValueError:
                raise _SlackError("invalid_metadata_format") from None
        if isinstance(meta, dict):
            msg["metadata"] = {"event_type": meta.get("event_type"), "event_payload": meta.get("event_payload", {})}
        self._stream_state[(channel, msg["ts"])] = "stopped"
        ts = self._next_ts()
        self._echo(channel, {"type": "message", "subtype": "message_changed", "hidden": True,
                             "message": copy.deepcopy(msg), "previous_message": previous,
                             "ts": ts, "event_ts": ts, "channel_type": "channel"})
        return {"channel": channel, "ts": msg["ts"], "message": copy.deepcopy(msg)}

    def _set_status(self, p: dict) -> dict:
        try:
            self._assistant_call(p)  # the thread must exist, as for the other assistant.threads methods
        except _SlackError as e:
            raise _SlackError("invalid_thread_ts") if str(e) == "thread_not_found" else e
        if not isinstance(p.get("status"), str):
            raise _SlackError("invalid_arguments")
        loading = _json_param(p.get("loading_messages"), "invalid_arguments")
        if loading is not None and not (isinstance(loading, list) and 1 <= len(loading) <= 10 and all(
                isinstance(m, str) and 1 <= len(m) <= 50 for m in loading)):
            raise _SlackError("invalid_arguments")
        key = (p["channel_id"], str(p["thread_ts"]))
        if p["status"]:
            self._statuses[key] = {"status": p["status"], "loading_messages": loading or [], "at": time.monotonic()}
        else:
            self._statuses.pop(key, None)
        return {}


_UNTOUCHED = object()


def _input_state(el: dict, given) -> dict:
    """state.values[block][action] as Slack sends it for one input element."""
    typ = el.get("type")
    if typ == "plain_text_input":
        value = el.get("initial_value") if given is _UNTOUCHED else given
        if value and el.get("max_length") and len(value) > el["max_length"]:
            raise AssertionError("Slack does not let anyone type past max_length")
        return {"type": typ, "value": value or None}
    if typ == "static_select":
        options = el.get("options") or []
        wanted = (el.get("initial_option") or {}).get("value") if given is _UNTOUCHED else given
        opt = next((o for o in options if o.get("value") == wanted), None)
        if wanted and opt is None:
            raise AssertionError(f"no option {wanted!r} to pick")
        return {"type": typ, "selected_option": copy.deepcopy(opt)}
    if typ == "conversations_select":
        return {"type": typ, "selected_conversation": el.get("initial_conversation") if given is _UNTOUCHED else given}
    if typ == "checkboxes":
        options = el.get("options") or []
        wanted = [o.get("value") for o in el.get("initial_options") or []] if given is _UNTOUCHED else list(given)
        picked = [copy.deepcopy(o) for o in options if o.get("value") in wanted]
        if len(picked) != len(wanted):
            raise AssertionError(f"no such checkbox among {wanted}")
        return {"type": typ, "selected_options": picked}
    raise AssertionError(f"the stand-in does not fill in {typ} elements")


def _plain(obj, limit: int, where: str, problems: list[str], required: bool = True) -> None:
    if obj is None:
        if required:
            problems.append(f"[ERROR] missing required field [json-pointer:{where}]")
        return
    if not isinstance(obj, dict) or obj.get("type") != "plain_text" or not isinstance(obj.get("text"), str):
        problems.append(f"[ERROR] must be a plain_text object [json-pointer:{where}]")
    elif not 1 <= len(obj["text"]) <= limit:
        problems.append(f"[ERROR] must be between 1 and {limit} characters [json-pointer:{where}/text]")


def _modal_problems(view) -> list[str]:
    """Slack's limits on a modal view, the ones a real views.open enforces (invalid_arguments)."""
    problems: list[str] = []
    if not isinstance(view, dict) or view.get("type") != "modal":
        return ["[ERROR] view.type must be modal [json-pointer:/view/type]"]
    _plain(view.get("title"), 24, "/view/title", problems)
    _plain(view.get("close"), 24, "/view/close", problems, required=False)
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not 1 <= len(blocks) <= 100:
        return problems + ["[ERROR] blocks: 1 to 100 items [json-pointer:/view/blocks]"]
    has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    _plain(view.get("submit"), 24, "/view/submit", problems, required=has_input)
    if len(view.get("private_metadata") or "") > 3000:
        problems.append("[ERROR] must be at most 3000 characters [json-pointer:/view/private_metadata]")
    if len(view.get("callback_id") or "") > 255:
        problems.append("[ERROR] must be at most 255 characters [json-pointer:/view/callback_id]")
    ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    if len(ids) != len(set(ids)):
        problems.append("[ERROR] block_id must be unique [json-pointer:/view/blocks]")
    for i, b in enumerate(blocks):
        where = f"/view/blocks/{i}"
        if not isinstance(b, dict):
            problems.append(f"[ERROR] must be an object [json-pointer:{where}]")
            continue
        if b.get("type") == "section" and len(((b.get("text") or {}).get("text") or "")) > 3000:
            problems.append(f"[ERROR] must be at most 3000 characters [json-pointer:{where}/text/text]")
        if b.get("type") == "context" and len(b.get("elements") or []) > 10:
            problems.append(f"[ERROR] at most 10 elements [json-pointer:{where}/elements]")
        if b.get("type") != "input":
            continue
        _plain(b.get("label"), 2000, f"{where}/label", problems)
        _plain(b.get("hint"), 2000, f"{where}/hint", problems, required=False)
        el = b.get("element")
        if not isinstance(el, dict) or not el.get("action_id") or len(el["action_id"]) > 255:
            problems.append(f"[ERROR] element needs an action_id [json-pointer:{where}/element]")
            continue
        _plain(el.get("placeholder"), 150, f"{where}/element/placeholder", problems, required=False)
        if el.get("type") == "plain_text_input" and len(el.get("initial_value") or "") > 3000:
            problems.append(f"[ERROR] must be at most 3000 characters [json-pointer:{where}/element/initial_value]")
        if el.get("type") in ("static_select", "checkboxes"):
            options = el.get("options") or []
            cap = 100 if el["type"] == "static_select" else 10
            if not 1 <= len(options) <= cap:
                problems.append(f"[ERROR] options: 1 to {cap} items [json-pointer:{where}/element/options]")
            for j, o in enumerate(options):
                _plain(o.get("text"), 75, f"{where}/element/options/{j}/text", problems)
                if not 1 <= len(o.get("value") or "") <= 150:
                    problems.append(f"[ERROR] value: 1 to 150 characters [json-pointer:{where}/element/options/{j}]")
            values = [o.get("value") for o in options]
            initial = ([el["initial_option"]] if el.get("initial_option") else []) + list(el.get("initial_options") or [])
            if any(o.get("value") not in values for o in initial):
                problems.append(f"[ERROR] initial option not among the options [json-pointer:{where}/element]")
    return problems
