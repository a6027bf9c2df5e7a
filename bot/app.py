"""Composition root of `flowrag serve`: settings → engine → Bolt app → Socket Mode."""
from __future__ import annotations

import logging
import threading

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

log = logging.getLogger("flowrag.bot")
HEARTBEAT_EVERY_S = 30


def check_tokens(settings: Settings) -> None:
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set: the bot token (xoxb-…) from your Slack app's "
                          "OAuth & Permissions page.")
    if not settings.slack_bot_token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-.")
    if not settings.slack_app_token:
        raise ConfigError("SLACK_APP_TOKEN is not set: an app-level token (xapp-…) with the "
                          "connections:write scope, from your Slack app's Basic Information page.")
    if not settings.slack_app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp-.")


def web_client(settings: Settings) -> WebClient:
    kwargs = {"base_url": settings.slack_api_url} if settings.slack_api_url else {}
    client = WebClient(token=settings.slack_bot_token, **kwargs)
    # every Web API call honours 429 Retry-After, and survives a dropped connection
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=5))
    client.retry_handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    return client


def build_app(settings: Settings, engine: Engine) -> tuple[App, dict]:
    check_tokens(settings)
    client = web_client(settings)
    try:
        app = App(client=client, process_before_response=False)
    except Exception as e:  # Bolt calls auth.test here and wraps its failure in BoltError
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack ({_reason(e)}).") from None
    wired = register(app, BotService(engine, settings.admin_ids))
    return app, wired


def start_socket_mode(settings: Settings, app: App) -> SocketModeHandler:
    handler = SocketModeHandler(app, settings.slack_app_token, web_client=web_client(settings))
    try:
        handler.connect()
    except SlackApiError as e:
        raise ConfigError(f"SLACK_APP_TOKEN was refused by Slack ({e.response.get('error')}).") from None
    return handler


def serve(settings: Settings) -> None:
    logging.getLogger().setLevel(logging.INFO)
    engine = Engine(settings)
    app, _ = build_app(settings, engine)
    handler = start_socket_mode(settings, app)
    log.info("flowrag connected to Slack in Socket Mode; index %s", engine.status()["index"])
    stop = threading.Event()
    heartbeat = settings.heartbeat_file
    try:
        while True:
            if heartbeat and handler.client.is_connected():
                heartbeat.touch()  # the container healthcheck reads this file's age
            if stop.wait(HEARTBEAT_EVERY_S):
                break
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()
        engine.close()


def _reason(e: Exception) -> str:
    text = str(e)
    for code in ("invalid_auth", "not_authed", "account_inactive", "token_revoked", "not_allowed_token_type"):
        if code in text:
            return code
    return type(e).__name__
