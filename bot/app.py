"""Composition root of `flowrag serve`: settings → engine → Bolt app → Socket Mode."""
from __future__ import annotations

import logging
import os
import signal
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from core.engine import Engine
from core.errors import ConfigError
from core.settings import Settings

from .listeners import register
from .service import BotService
from .tokens import APP_TOKEN, BOT_TOKEN, shape_problem

log = logging.getLogger("flowrag.bot")
HEARTBEAT_EVERY_S = 30
SIGNAL_POLL_S = 0.2  # how soon a received SIGTERM is acted on
CLOSE_S = 2.0  # for the goodbye frame and the SDK's close, before the drain
DRAIN_S = 8.0  # answers in flight get this long after SIGTERM (Docker's default grace is 10 s)
LLM_GIVE_UP_S = 3.0  # before the drain's end: LLM calls still running are abandoned (deterministic answer)
APOLOGY_S = 1.5  # before the drain's end: what is still in flight gets an apology
EXIT_GRACE_S = 1.0  # after the drain: threads still alive are left behind, exit 0 regardless
# Listener threads. An answer mostly waits (on Slack, and on Retry-After when Slack says 429), so
# Bolt's default of 10 queues a burst behind a few rate-limited calls; the engine's share is CPU
# time in milliseconds, and its SQLite connections are per thread.
LISTENER_THREADS = 32


@dataclass
class BotApp:
    app: App
    wired: dict[str, set[str]]  # what the listeners take, for the manifest test
    service: BotService
    home: object = None  # listeners.home.Home: App Home, refreshed after ingests
    executor: ThreadPoolExecutor | None = None  # Bolt's listener threads: shut down after the drain


def check_tokens(settings: Settings) -> None:
    """Refuse to start on a token of the wrong shape, before anything connects."""
    for kind, token in ((BOT_TOKEN, settings.slack_bot_token), (APP_TOKEN, settings.slack_app_token)):
        problem = shape_problem(kind, token)
        if problem:
            raise ConfigError(f"{problem}: use {kind.what}.")


def web_client(settings: Settings) -> WebClient:
    kwargs = {"base_url": settings.slack_api_url} if settings.slack_api_url else {}
    client = WebClient(token=settings.slack_bot_token, **kwargs)
    # every Web API call honours 429 Retry-After, and survives a dropped connection
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=5))
    client.retry_handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    return client


def build_app(settings: Settings, engine: Engine) -> BotApp:
    check_tokens(settings)
    client = web_client(settings)
    executor = ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="flowrag-listener")
    try:
        app = App(client=client, process_before_response=False, listener_executor=executor)
    except Exception as e:  # Bolt calls auth.test here and wraps its failure in BoltError
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack ({_reason(e)}).") from None
    service = BotService(engine, settings.admin_ids)
    from .digest import Schedule
    from .listeners.home import Home

    home = Home(service, Schedule.from_settings(settings), settings.digest_language, settings.alert_channel)
    return BotApp(app, register(app, service, home, settings.digest_language), service, home, executor)


def start_socket_mode(settings: Settings, app: App) -> SocketModeHandler:
    handler = SocketModeHandler(app, settings.slack_app_token, web_client=web_client(settings))
    try:
        handler.connect()
    except SlackApiError as e:
        raise ConfigError(f"SLACK_APP_TOKEN was refused by Slack ({e.response.get('error')}).") from None
    return handler


def warm_up(engine: Engine) -> threading.Thread | None:
    """Import the LLM client (litellm: ~3.5 s) now, beside the connection to Slack, rather than
    inside the first answer. In a thread: the bot connects meanwhile, and an answer that comes
    before the import is done waits for it (Python's import lock) rather than importing twice."""
    chat = engine.chat
    warm = getattr(chat, "warm", None)
    if warm is None:
        return None

    def run() -> None:
        t0 = time.perf_counter()
        try:
            warm()
            log.info("LLM client ready in %.1f s", time.perf_counter() - t0)
        except Exception as e:  # noqa: BLE001 — the first answer will say what is wrong
            log.warning("LLM client warm-up failed: %s", e)

    thread = threading.Thread(target=run, name="flowrag-warm", daemon=True)
    thread.start()
    return thread


def close_socket_mode(handler: SocketModeHandler) -> None:
    """Say goodbye before hanging up: a WebSocket close frame (1000), so that Slack sees a clean
    disconnect and sends the next events to the other connections at once; then close. The SDK's
    builtin client only drops the TCP connection, hence the frame written here, best effort."""
    session = getattr(handler.client, "current_session", None)
    try:
        from slack_sdk.socket_mode.builtin.frame_header import FrameHeader
        from slack_sdk.socket_mode.builtin.internals import _build_data_frame_for_sending

        frame = _build_data_frame_for_sending(struct.pack("!H", 1000) + b"shutdown", FrameHeader.OPCODE_CLOSE)
        # a send stuck on a dead peer holds this lock: waiting for it would hang the shutdown
        if session.sock_send_lock.acquire(timeout=2):
            try:
                if session.sock is not None:
                    session.sock.send(frame)
            finally:
                session.sock_send_lock.release()
    except Exception as e:  # noqa: BLE001 — a plain close is still a close
        log.debug("no close frame sent: %s", e)
    handler.close()


def start_background(settings: Settings, engine: Engine, client, stop: threading.Event,
                     home=None) -> list[threading.Thread]:
    """Live ingest, and the digest when channels are set: daemon threads that end with `stop`."""
    from core.live import LiveIngest

    from .digest import DigestPoster, DigestScheduler, Schedule

    from .alerts import AlertPoster

    alerts = AlertPoster(client, engine, settings.alert_channel, settings.alert_max_per_hour,
                         language=settings.digest_language, backfill=settings.alert_backfill,
                         catch_up_s=settings.alert_catch_up_s) \
        if settings.alert_channel else None

    def after_ingest(counts: dict) -> None:
        if alerts:
            try:
                alerts.check(counts)
            except Exception as e:  # noqa: BLE001 - a Slack failure must not end the live ingest's thread
                log.warning("new-error alerts failed: %s", e)
        if home is not None and (counts.get("new") or counts.get("updated")):
            home.refresh_all(client)

    live = LiveIngest(engine, on_ingested=after_ingest, stop=stop)
    threads = [threading.Thread(target=live.run, name="flowrag-live-ingest", daemon=True)]
    if alerts:
        threads.append(threading.Thread(target=alerts.run_heartbeat, args=(stop,), name="flowrag-alerts", daemon=True))
    schedule = Schedule.from_settings(settings)
    if schedule.channels:
        sched = DigestScheduler(DigestPoster(client, engine), schedule)
        threads.append(threading.Thread(target=sched.run, args=(stop,), name="flowrag-digest", daemon=True))
        log.info("digest at %s (%s) in %s", schedule.at.strftime("%H:%M"), settings.digest_days,
                 ", ".join(schedule.channels))
    channels = [*schedule.channels, *([settings.alert_channel] if settings.alert_channel else [])]
    if channels:
        threads.append(threading.Thread(target=_sweep_claims, args=(client, engine, channels),
                                        name="flowrag-claims-sweep", daemon=True))
    for t in threads:
        t.start()
    return threads


def _sweep_claims(client, engine: Engine, channels: list[str]) -> None:
    from .claims import Claims

    claims = Claims(client, engine.state)
    for channel in channels:
        try:
            if n := claims.sweep(channel):
                log.info("deleted %d claim marker(s) a stopped replica left in %s", n, channel)
        except Exception as e:  # noqa: BLE001 - best effort: the next claim there sweeps too
            log.warning("claim markers in %s not swept: %s", channel, e)


def serve(settings: Settings) -> None:
    """Runs until SIGTERM or SIGINT: then the Socket Mode connection is closed (no new events),
    answers in flight get DRAIN_S to finish, and the process exits 0."""
    logging.getLogger().setLevel(logging.INFO)
    stop, received = threading.Event(), []

    def on_signal(signum, _frame) -> None:
        # only a list append: the handler runs in the main thread between two bytecodes, maybe
        # while it holds a lock that logging or Event.set() would take again (a hang seen in CI)
        received.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    engine = Engine(settings)
    handler = None
    try:
        warm_up(engine)
        bot = build_app(settings, engine)
        handler = start_socket_mode(settings, bot.app)
        log.info("flowrag connected to Slack in Socket Mode; index %s", engine.status()["index"])
        start_background(settings, engine, bot.app.client, stop, bot.home)
        heartbeat, beat_at = settings.heartbeat_file, 0.0
        while not received and not stop.is_set():
            if heartbeat and time.monotonic() >= beat_at and handler.client.is_connected():
                heartbeat.touch()  # the container healthcheck reads this file's age
                beat_at = time.monotonic() + HEARTBEAT_EVERY_S
            time.sleep(SIGNAL_POLL_S)
        stop.set()  # here, outside the handler: background threads end with it
        deadline = time.monotonic() + DRAIN_S  # what is in flight is answered, or apologised for, by then
        log.info("stopping on %s: closing the Socket Mode connection",
                 signal.Signals(received[0]).name if received else "request")
        _bounded(lambda h=handler: close_socket_mode(h), CLOSE_S, "closing the Socket Mode connection")
        handler = None
        _drain(bot, deadline)
        if bot.executor is not None:
            bot.executor.shutdown(wait=False, cancel_futures=True)
    finally:
        if handler is not None:
            close_socket_mode(handler)
        engine.close()
        for sig, old in previous.items():
            signal.signal(sig, old)
    log.info("flowrag stopped")
    _exit_past_stuck_threads()


def _drain(bot: BotApp, deadline: float) -> bool:
    """Answers in flight finish by `deadline`: first on their own; LLM_GIVE_UP_S before it, the LLM
    calls still running are abandoned so that those answers fall back to their deterministic text;
    APOLOGY_S before it, whatever is still in flight gets an apology with an error id."""
    service = bot.service
    if service.drain(deadline - LLM_GIVE_UP_S - time.monotonic()):
        return True
    log.warning("answers still in flight: abandoning their LLM calls")
    service.stop_llm()
    if service.drain(deadline - APOLOGY_S - time.monotonic()):
        return True
    n = service.apologize_in_flight(bot.app.client, max(0.0, deadline - time.monotonic()))
    log.warning("stopping with %d answer(s) still in flight after %.0f s: apologised", n, DRAIN_S)
    return False


def _bounded(fn, seconds: float, what: str) -> None:
    """The SDK's close takes the socket's send and receive locks and waits for its workers: one
    blocked on a dead peer would hang the shutdown. Past `seconds`, carry on without it."""
    done = threading.Thread(target=fn, name="flowrag-close", daemon=True)
    done.start()
    done.join(seconds)
    if done.is_alive():
        log.warning("%s took over %.0f s: going on without it", what, seconds)


def _exit_past_stuck_threads(grace_s: float = EXIT_GRACE_S) -> None:
    """Interpreter exit joins, without a timeout, every non-daemon thread and every worker of a
    ThreadPoolExecutor, daemon or not (concurrent.futures registers that join at exit): Bolt's
    listener workers are those, and one stuck on a network call past the drain would keep the
    process (and the container) up until it is killed. Name them in the log, then leave with 0."""
    deadline = time.monotonic() + grace_s
    stuck = [t for t in threading.enumerate() if t is not threading.main_thread()
             and (not t.daemon or t.name.startswith("flowrag-listener"))]
    for t in stuck:
        t.join(max(0.0, deadline - time.monotonic()))
    stuck = [t for t in stuck if t.is_alive()]
    if stuck:
        import faulthandler
        import sys

        log.warning("exiting past %d stuck thread(s): %s", len(stuck), ", ".join(t.name for t in stuck))
        faulthandler.dump_traceback(file=sys.stderr)
        logging.shutdown()
        sys.stdout.flush()
        os._exit(0)


def _reason(e: Exception) -> str:
    text = str(e)
    for code in ("invalid_auth", "not_authed", "account_inactive", "token_revoked", "not_allowed_token_type"):
        if code in text:
            return code
    return type(e).__name__
