"""App Home: published when someone opens it, and again after each ingest."""
from __future__ import annotations

import logging
import threading

from slack_bolt import App

from ..home import ACTION_DIGEST, ACTION_INGEST, home_view, today_figures
from ..service import BotService

log = logging.getLogger("flowrag.bot")


class Home:
    def __init__(self, service: BotService, schedule, language: str, alert_channel: str | None = None):
        self.service, self.schedule, self.language = service, schedule, language
        self.alert_channel = alert_channel
        self.viewers: set[str] = set()  # who opened it: they get the refreshed view after an ingest
        self._lock = threading.Lock()

    def publish(self, client, user: str) -> None:
        engine = self.service.engine
        is_admin = self.service.may_ingest(user)
        view = home_view(engine.status(), today_figures(engine), self.schedule,
                         is_admin=is_admin, language=self.language, tz=engine.tz)
        view = view.to_dict() if hasattr(view, "to_dict") else dict(view)
        view["blocks"] = [*view["blocks"][:-1], *self.settings_blocks(is_admin), *view["blocks"][-1:]]
        client.views_publish(user_id=user, view=view)
        with self._lock:
            self.viewers.add(user)

    def settings_blocks(self, is_admin: bool) -> list[dict]:
        """Per-channel settings, above the "updated …" line."""
        from ..settings_view import home_blocks

        roles: dict[str, list[str]] = {}
        for c in (self.schedule.channels if self.schedule is not None else ()):
            roles.setdefault(c, []).append("digest")
        if self.alert_channel:
            roles.setdefault(self.alert_channel, []).append("alerts")
        engine = self.service.engine
        return home_blocks(engine.channels.all(), roles, is_admin=is_admin, language=self.language,
                           default_tz=engine.settings.timezone)

    def refresh_all(self, client) -> None:
        with self._lock:
            users = list(self.viewers)
        for user in users:
            try:
                self.publish(client, user)
            except Exception as e:  # noqa: BLE001 - one closed tab must not stop the others
                log.warning("App Home refresh for %s failed: %s", user, e)


def register(app: App, service: BotService, home: Home) -> tuple[set[str], set[str]]:
    @app.event("app_home_opened")
    def on_home(event, client):
        if event.get("tab", "home") == "home" and event.get("user"):
            home.publish(client, event["user"])

    @app.action(ACTION_INGEST)
    def on_ingest(ack, body, client):
        ack()
        user = (body.get("user") or {}).get("id", "")
        if not service.may_ingest(user):
            from ..strings import SLACK

            client.chat_postMessage(channel=user, text=SLACK[home.language]["home_not_admin"])
            return

        def run():
            try:
                service.engine.ingest()
            except Exception as e:  # noqa: BLE001 - the refreshed home shows the index as it is
                log.warning("ingest from App Home: %s", e)
            home.refresh_all(client)

        threading.Thread(target=run, name="flowrag-home-ingest", daemon=True).start()

    @app.action(ACTION_DIGEST)
    def on_digest(ack, body, client):
        ack()
        from ..digest import post_digest

        user = (body.get("user") or {}).get("id", "")
        d = service.engine.digest(language=home.language)
        post_digest(client, d, service.engine.tz, channel=user)

    return {"app_home_opened"}, {ACTION_INGEST, ACTION_DIGEST}
