"""Per-channel settings, edited by admins from App Home: a button opens the modal (views.open
with the click's trigger_id, which Slack honours for 3 seconds only: nothing slow before it), the
submission is validated before it is acknowledged, so that mistakes show under their fields."""
from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from core.channels import validate

from .. import settings_view
from ..requests import from_settings_submission
from ..service import BotService
from ..strings import words

log = logging.getLogger("flowrag.bot")


def register(app: App, service: BotService, home) -> set[str]:
    engine = service.engine

    def t(key: str) -> str:
        return words(home.language)[key]

    def open_modal(ack, body, client, channel: str | None) -> None:
        ack()
        user = (body.get("user") or {}).get("id", "")
        if not service.may_ingest(user):
            client.chat_postMessage(channel=user, text=t("settings_not_admin"))
            return
        view = settings_view.modal(engine.channels.get(channel) if channel else None, channel, engine.vocabulary(),
                                   language=home.language, default_tz=engine.settings.timezone,
                                   default_language=engine.settings.digest_language)
        try:
            client.views_open(trigger_id=body.get("trigger_id", ""), view=view)
        except SlackApiError as e:  # expired_trigger_id above all: a slow click, a busy bot
            error = e.response.get("error")
            log.warning("channel settings modal not opened for %s: %s", user, error)
            client.chat_postMessage(channel=user, text=t("settings_open_failed").format(error=error))

    @app.action(settings_view.ACTION_EDIT)
    def on_edit(ack, body, client, action):
        open_modal(ack, body, client, action.get("value") or None)

    @app.action(settings_view.ACTION_ADD)
    def on_add(ack, body, client):
        open_modal(ack, body, client, None)

    @app.view(settings_view.CALLBACK)
    def on_submit(ack, body, client):
        form = from_settings_submission(body)
        if not service.may_ingest(form.user):
            ack(response_action="errors", errors={"channel": t("settings_not_admin")})
            return
        settings, problems = validate(form.channel, techs=form.techs, pipelines=form.pipelines,
                                      language=form.language, timezone_name=form.timezone, muted=form.muted,
                                      vocabulary=engine.vocabulary(), lang=home.language)
        if problems:
            ack(response_action="errors", errors=problems.by_field)
            return
        ack()  # closes the modal; saving and refreshing App Home come after, outside Slack's 3 s
        engine.channels.save(settings, by=form.user)
        log.info("channel settings of %s set by %s: %s", settings.channel, form.user, settings)
        home.refresh_all(client)

    return {settings_view.ACTION_EDIT, settings_view.ACTION_ADD}
