"""The two Slack tokens: their shape, and whether Slack accepts them. `flowrag serve` refuses to
start on a bad one; `flowrag doctor` reports each with its fix. Both ask Slack through the SDK's
WebClient, as the bot does."""
from __future__ import annotations

import re
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

SLACK_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class TokenKind:
    env: str
    prefix: str
    method: str  # the call that proves the token works
    what: str  # where to find a good one


BOT_TOKEN = TokenKind("SLACK_BOT_TOKEN", "xoxb-", "auth.test",
                      "the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page")
# An app-level token can call little else: opening a Socket Mode URL is exactly what `flowrag
# serve` does with it (the URL is single-use and simply expires unused).
APP_TOKEN = TokenKind("SLACK_APP_TOKEN", "xapp-", "apps.connections.open",
                      "an App-Level Token (xapp-…) with connections:write, from Basic Information")


class Unreachable(Exception):
    """Slack did not answer (network, proxy, a wrong SLACK_API_URL)."""


def shape_problem(kind: TokenKind, token: str | None) -> str | None:
    """What is wrong with the token before Slack is asked, naming its kind but nothing of its secret."""
    if not token:
        return f"{kind.env} is not set"
    if token.startswith(kind.prefix):
        return None
    m = re.match(r"(xox[a-z]|xapp)-", token)
    found = f"a {m.group(0)}… token" if m else "not a Slack token"
    return f"{kind.env} is {found}, not {kind.prefix}…"


def ask_slack(kind: TokenKind, token: str, api_url: str | None = None, timeout: float = 10.0) -> dict:
    """Slack's answer to the token's proving call: {"ok": true, …} or {"ok": false, "error": …}."""
    base = (api_url or SLACK_API_URL).rstrip("/") + "/"
    client = WebClient(token=token, base_url=base, timeout=max(1, round(timeout)))
    try:
        # an app-level token is sent as the call's token: apps.connections.open takes no other
        answer = client.auth_test() if kind is BOT_TOKEN else client.apps_connections_open(app_token=token)
        return dict(answer.data)
    except SlackApiError as e:
        data = e.response.data
        return dict(data) if isinstance(data, dict) else {"ok": False, "error": "the answer is not JSON "
                                                                                   "(is SLACK_API_URL right?)"}
    except (SlackClientError, OSError, ValueError) as e:
        raise Unreachable(str(getattr(e, "reason", e))) from None
