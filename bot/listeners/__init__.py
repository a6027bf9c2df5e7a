"""Listeners grouped by Slack surface. `register` wires them and says what it wired, so that a
test can hold manifest.yml to exactly that."""
from __future__ import annotations

from slack_bolt import App

from ..service import BotService
from . import actions, commands, events


def register(app: App, service: BotService) -> dict[str, set[str]]:
    return {
        "events": events.register(app, service),
        "commands": commands.register(app, service),
        "actions": actions.register(app, service),
    }
