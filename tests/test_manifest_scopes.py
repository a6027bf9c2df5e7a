"""The manifest asks for exactly the scopes the code needs: every Web API method the bot calls
and every event it subscribes to maps to its scope (Slack's method and event reference), and the
union is what manifest.yml declares. A new call with no entry here fails: map it, then the
manifest follows."""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from slack_sdk import WebClient

ROOT = Path(__file__).resolve().parent.parent
HISTORY = {"channels:history", "groups:history", "im:history"}  # replies/history wherever the bot answers
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"}, "chat_update": {"chat:write"}, "chat_delete": {"chat:write"},
    "chat_postEphemeral": {"chat:write"}, "chat_stream": {"chat:write"},
    "assistant_threads_setStatus": {"chat:write"},  # accepts chat:write (or assistant:write)
    # bot/claims.py: the claim markers of replicas with their own index
    "chat_scheduleMessage": {"chat:write"}, "chat_deleteScheduledMessage": {"chat:write"},
    "chat_scheduledMessages_list": {"chat:write"},
    "reactions_add": {"reactions:write"}, "reactions_remove": {"reactions:write"},
    "files_upload_v2": {"files:write"},
    "conversations_replies": HISTORY, "conversations_history": HISTORY,
    "views_publish": set(), "views_open": set(), "auth_test": set(),
    # bot/tokens.py proves the app-level token the way Socket Mode uses it: its scope is the app
    # token's connections:write, which no bot scope in the manifest grants
    "apps_connections_open": set(),
}
# Bolt's assistant utilities call assistant.threads.setTitle / setSuggestedPrompts
BOLT_ASSISTANT = {"set_title": {"assistant:write"}, "set_suggested_prompts": {"assistant:write"}}
EVENT_SCOPES = {"app_mention": {"app_mentions:read"}, "message.channels": {"channels:history"},
                "message.groups": {"groups:history"}, "message.im": {"im:history"},
                "app_home_opened": set(), "assistant_thread_started": {"assistant:write"},
                "assistant_thread_context_changed": {"assistant:write"}}


def called_methods() -> set[str]:
    api = {name for name in dir(WebClient) if not name.startswith("_")}
    found = set()
    for path in (ROOT / "bot").rglob("*.py"):
        found |= {m for m in re.findall(r"\.(\w+)\(", path.read_text()) if m in api and "_" in m}
    return found


def test_every_call_and_event_maps_to_a_declared_scope_and_nothing_more():
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    methods = called_methods()
    assert methods - set(METHOD_SCOPES) == set(), "map these methods to their scopes"
    needed = set().union(*(METHOD_SCOPES[m] for m in methods))
    assistant_code = (ROOT / "bot" / "listeners" / "assistant.py").read_text()
    needed |= set().union(*(s for name, s in BOLT_ASSISTANT.items() if name in assistant_code))
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    needed |= set().union(*(EVENT_SCOPES[e] for e in events))
    if manifest["features"].get("slash_commands"):
        needed.add("commands")
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed
